/**
 * The compatibility rules, as a table of contract edits (pairs of small contracts) with the verdict expected for
 * each pairing; and the verdicts checked empirically, not only asserted: for a schema edit judged safe for a
 * pairing, at least 200 values the sender may write (generated from its JSON Schema with fast-check, kept only
 * when the sender's own zod schema accepts them) all pass the receiver's zod schema; for one judged breaking, some
 * generated value is rejected by the receiver's zod schema.
 */
import * as fc from "fast-check";
import * as z from "zod";
import { describe, expect, it } from "vitest";
import {
  type Contract,
  type EventDef,
  type NamespaceDef,
  type Schema,
  defineContract,
} from "@iocontract/runtime/contract";
import { type JsonSchema, toJsonSchema } from "../json-schema.js";
import { buildModel } from "../model.js";
import { buildSnapshot } from "../snapshot.js";
import { type Pairing, type VerdictKind, diffSnapshots } from "./compare.js";

type Dir = "clientToServer" | "serverToClient" | "serverToServer";
type Part = "payload" | "ack" | "auth" | "error";

interface Edit {
  readonly name: string;
  readonly before: NamespaceDef | Record<string, NamespaceDef>;
  readonly after: NamespaceDef | Record<string, NamespaceDef>;
  readonly expect: Partial<Record<Pairing, VerdictKind>>;
  /** A schema edit: where, and both schemas (for the empirical check). */
  readonly site?: { readonly dir: Dir | undefined; readonly part: Part; readonly old: Schema; readonly new: Schema };
  /** A field path the breaking reason must name. */
  readonly path?: string;
}

const ev = (def: EventDef) => ({ e: def });
/** A schema edit at one position: the event "e" (or the namespace's auth, or error code E). */
function schemaEdit(
  name: string,
  dir: Dir | undefined,
  part: Part,
  old: Schema,
  neu: Schema,
  expected: Edit["expect"],
  path?: string,
): Edit {
  const at = (schema: Schema): NamespaceDef => {
    if (part === "auth") return { auth: schema };
    if (part === "error") return { errors: { E: schema } };
    if (part === "payload") return { [dir!]: ev({ payload: schema }) };
    return { [dir!]: ev({ ack: schema }) };
  };
  return {
    name,
    before: at(old),
    after: at(neu),
    expect: expected,
    site: { dir, part, old, new: neu },
    ...(path !== undefined ? { path } : {}),
  };
}
const c2s = (name: string, old: Schema, neu: Schema, e: Edit["expect"], path?: string) =>
  schemaEdit(`c2s payload: ${name}`, "clientToServer", "payload", old, neu, e, path);
const s2c = (name: string, old: Schema, neu: Schema, e: Edit["expect"], path?: string) =>
  schemaEdit(`s2c payload: ${name}`, "serverToClient", "payload", old, neu, e, path);
const S = "safe" as const;
const B = "breaking" as const;
const U = "unknown" as const;
const both = (p1: VerdictKind, p2: VerdictKind) => ({ oldClientsNewServer: p1, newClientsOldServer: p2 });

const obj = z.object;
const str = z.string();

export const EDITS: Edit[] = [
  // ---- client→server payloads: sent by clients, received by servers ----
  c2s("add an optional field", obj({ a: str }), obj({ a: str, b: str.optional() }), both(S, S)),
  c2s("add a required field", obj({ a: str }), obj({ a: str, room: str }), both(B, S), "room"),
  c2s("remove an optional field", obj({ a: str, b: str.optional() }), obj({ a: str }), both(S, S)),
  c2s("remove a required field", obj({ a: str, b: str }), obj({ a: str }), both(S, B), "b"),
  c2s("optional field becomes required", obj({ a: str.optional() }), obj({ a: str }), both(B, S), "a"),
  c2s("required field becomes optional", obj({ a: str }), obj({ a: str.optional() }), both(S, B), "a"),
  c2s("required field gets a default", obj({ a: str }), obj({ a: str.default("x") }), both(S, B), "a"),
  c2s("enum widened", obj({ k: z.enum(["a", "b"]) }), obj({ k: z.enum(["a", "b", "c"]) }), both(S, B), "k"),
  c2s("enum narrowed", obj({ k: z.enum(["a", "b", "c"]) }), obj({ k: z.enum(["a", "b"]) }), both(B, S), "k"),
  c2s("literal changed", obj({ v: z.literal(1) }), obj({ v: z.literal(2) }), both(B, B), "v"),
  c2s("type changed string → number", obj({ a: str }), obj({ a: z.number() }), both(B, B), "a"),
  c2s("integer → number", obj({ n: z.number().int() }), obj({ n: z.number() }), both(S, B), "n"),
  c2s("max length tightened", obj({ a: str.max(100) }), obj({ a: str.max(10) }), both(B, S), "a"),
  c2s("max length loosened", obj({ a: str.max(10) }), obj({ a: str.max(100) }), both(S, B), "a"),
  c2s("minimum added", obj({ n: z.number() }), obj({ n: z.number().min(0) }), both(B, S), "n"),
  c2s(
    "exclusive bound loosened to inclusive",
    obj({ n: z.number().gt(0) }),
    obj({ n: z.number().min(0) }),
    both(S, B),
    "n",
  ),
  c2s("nullable added", obj({ a: str }), obj({ a: str.nullable() }), both(S, B), "a"),
  c2s("union widened", obj({ a: str }), obj({ a: z.union([str, z.number()]) }), both(S, B), "a"),
  c2s(
    "discriminated union gains a branch",
    z.discriminatedUnion("kind", [
      obj({ kind: z.literal("text"), text: str }),
      obj({ kind: z.literal("image"), url: str }),
    ]),
    z.discriminatedUnion("kind", [
      obj({ kind: z.literal("text"), text: str }),
      obj({ kind: z.literal("image"), url: str }),
      obj({ kind: z.literal("poll"), options: z.array(str) }),
    ]),
    both(S, B),
  ),
  c2s(
    "discriminated union branch gains a required field",
    z.discriminatedUnion("kind", [
      obj({ kind: z.literal("text"), text: str }),
      obj({ kind: z.literal("image"), url: str }),
    ]),
    z.discriminatedUnion("kind", [
      obj({ kind: z.literal("text"), text: str }),
      obj({ kind: z.literal("image"), url: str, alt: str }),
    ]),
    both(B, S),
    "alt",
  ),
  c2s("receiver turns strict, sender unchanged", obj({ a: str }), z.strictObject({ a: str }), both(S, S)),
  c2s(
    "strict receiver, sender gains an optional field",
    z.strictObject({ a: str }),
    z.strictObject({ a: str, b: str.optional() }),
    both(S, B),
    "b",
  ),
  c2s("array gets a minimum length", obj({ xs: z.array(str) }), obj({ xs: z.array(str).min(1) }), both(B, S), "xs"),
  c2s(
    "array items narrowed",
    obj({ xs: z.array(z.union([str, z.number()])) }),
    obj({ xs: z.array(str) }),
    both(B, S),
    "xs[]",
  ),
  c2s("tuple gains an element", z.tuple([str]), z.tuple([str, z.number()]), both(B, B)),
  c2s("record values narrowed", z.record(str, z.number()), z.record(str, z.number().int()), both(B, S)),
  c2s(
    "record keys narrowed to an enum",
    z.record(str, z.number()),
    z.record(z.enum(["a", "b"]), z.number()),
    both(B, S),
  ),
  c2s(
    "nested object gains a required field",
    obj({ user: obj({ id: str }) }),
    obj({ user: obj({ id: str, name: str }) }),
    both(B, S),
    "user.name",
  ),
  c2s("format added (email)", obj({ to: str }), obj({ to: z.email() }), both(B, S), "to"),
  c2s("refinement added (cannot prove)", obj({ a: str }), obj({ a: str.refine((s) => s !== "x") }), both(U, S), "a"),
  c2s(
    "transform added (cannot prove)",
    obj({ a: str }),
    obj({ a: str.transform((s) => s.length).pipe(z.number()) }),
    both(U, S),
    "a",
  ),
  c2s(
    "regex changed (cannot prove)",
    obj({ a: str.regex(/^[a-z]+$/) }),
    obj({ a: str.regex(/^[a-z0-9]+$/) }),
    both(U, U),
    "a",
  ),
  c2s(
    "rewriting check added: trim (cannot prove)",
    obj({ a: str.min(1) }),
    obj({ a: str.trim().min(1) }),
    both(U, S),
    "a",
  ),
  schemaEdit(
    "c2s payload added to an event that had none",
    "clientToServer",
    "payload",
    undefined as unknown as Schema,
    obj({ a: str }),
    both(B, S),
  ),
  // ---- server→client payloads: sent by the server, received by clients ----
  s2c("add an optional field", obj({ a: str }), obj({ a: str, b: str.optional() }), both(S, S)),
  s2c("add a required field", obj({ a: str }), obj({ a: str, b: str }), both(S, B), "b"),
  s2c("remove a required field", obj({ a: str, b: str }), obj({ a: str }), both(B, S), "b"),
  s2c("enum widened", obj({ k: z.enum(["a", "b"]) }), obj({ k: z.enum(["a", "b", "c"]) }), both(B, S), "k"),
  s2c("nullable added", obj({ a: str }), obj({ a: str.nullable() }), both(B, S), "a"),
  // ---- acks ----
  schemaEdit(
    "c2s ack: required field removed (the server sends it)",
    "clientToServer",
    "ack",
    obj({ n: z.number() }),
    obj({}),
    both(B, S),
    "n",
  ),
  schemaEdit(
    "c2s ack: required field added",
    "clientToServer",
    "ack",
    obj({}),
    obj({ n: z.number() }),
    both(S, B),
    "n",
  ),
  schemaEdit(
    "s2c ack: required field added (clients send it)",
    "serverToClient",
    "ack",
    obj({}),
    obj({ at: z.number() }),
    both(B, S),
    "at",
  ),
  // ---- handshake auth: sent by clients ----
  schemaEdit(
    "auth: a required token",
    "clientToServer",
    "auth",
    obj({ name: str.optional() }),
    obj({ name: str.optional(), token: str }),
    both(B, S),
    "token",
  ),
  schemaEdit(
    "auth: an optional field",
    "clientToServer",
    "auth",
    obj({ name: str.optional() }),
    obj({ name: str.optional(), lang: str.optional() }),
    both(S, S),
  ),
  // ---- error details: sent by the server ----
  schemaEdit(
    "error details gain a required field",
    undefined,
    "error",
    obj({ room: str }),
    obj({ room: str, since: z.number() }),
    both(S, B),
    "since",
  ),
  schemaEdit(
    "error details lose a required field",
    undefined,
    "error",
    obj({ room: str, since: z.number() }),
    obj({ room: str }),
    both(B, S),
    "since",
  ),
  // ---- inter-server payloads: old and new servers both ways ----
  schemaEdit(
    "s2s payload: optional field added",
    "serverToServer",
    "payload",
    obj({ sid: str }),
    obj({ sid: str, name: str.optional() }),
    { serversSideBySide: S },
  ),
  schemaEdit(
    "s2s payload: required field added",
    "serverToServer",
    "payload",
    obj({ sid: str }),
    obj({ sid: str, name: str }),
    { serversSideBySide: B },
    "name",
  ),
  // ---- events, acks, names, limits ----
  { name: "c2s event added", before: {}, after: { clientToServer: ev({}) }, expect: both(S, B) },
  { name: "c2s event removed", before: { clientToServer: ev({}) }, after: {}, expect: both(B, S) },
  {
    name: "s2c event without ack added",
    before: {},
    after: { serverToClient: ev({ payload: obj({ a: str }) }) },
    expect: both(S, S),
  },
  {
    name: "s2c event with an ack added",
    before: {},
    after: { serverToClient: ev({ ack: obj({}) }) },
    expect: both(B, S),
  },
  {
    name: "s2c event with an ack removed",
    before: { serverToClient: ev({ ack: obj({}) }) },
    after: {},
    expect: both(S, B),
  },
  { name: "s2s event added", before: {}, after: { serverToServer: ev({}) }, expect: { serversSideBySide: B } },
  {
    name: "event renamed on the wire (same identifier)",
    before: { clientToServer: { "send message": { identifier: "send" } } },
    after: { clientToServer: { "message:send": { identifier: "send" } } },
    expect: both(B, B),
  },
  {
    name: "identifier renamed (same wire name)",
    before: { clientToServer: { e: {} } },
    after: { clientToServer: { e: { identifier: "emitE" } } },
    expect: both(S, S),
  },
  {
    name: "c2s ack added",
    before: { clientToServer: ev({}) },
    after: { clientToServer: ev({ ack: obj({ ok: z.boolean() }) }) },
    expect: both(S, B),
  },
  {
    name: "c2s ack removed",
    before: { clientToServer: ev({ ack: obj({ ok: z.boolean() }) }) },
    after: { clientToServer: ev({}) },
    expect: both(B, S),
  },
  {
    name: "c2s ack timeout shortened",
    before: { clientToServer: ev({ ack: obj({}), timeoutMs: 5000 }) },
    after: { clientToServer: ev({ ack: obj({}), timeoutMs: 500 }) },
    expect: both(S, U),
  },
  {
    name: "c2s ack timeout lengthened",
    before: { clientToServer: ev({ ack: obj({}), timeoutMs: 500 }) },
    after: { clientToServer: ev({ ack: obj({}), timeoutMs: 5000 }) },
    expect: both(S, S),
  },
  {
    name: "rate limit added",
    before: { clientToServer: ev({}) },
    after: { clientToServer: ev({ rateLimit: { perSecond: 5 } }) },
    expect: both(U, S),
  },
  {
    name: "rate limit loosened",
    before: { clientToServer: ev({ rateLimit: { perSecond: 5 } }) },
    after: { clientToServer: ev({ rateLimit: { perSecond: 50 } }) },
    expect: both(S, U),
  },
  { name: "error code added", before: {}, after: { errors: { FULL: obj({}) } }, expect: both(U, S) },
  { name: "error code removed", before: { errors: { FULL: obj({}) } }, after: {}, expect: both(S, U) },
  { name: "namespace added", before: { "/": {} }, after: { "/": {}, "/admin": {} }, expect: both(S, B) },
  { name: "namespace removed", before: { "/": {}, "/admin": {} }, after: { "/": {} }, expect: both(B, S) },
];

function contractOf(ns: Edit["before"], version: string): Contract {
  const namespaces = Object.keys(ns).some((k) => k.startsWith("/"))
    ? (ns as Record<string, NamespaceDef>)
    : { "/": ns as NamespaceDef };
  // An `undefined` payload (the "payload added" edit) means the key is absent.
  const clean = JSON.parse(JSON.stringify(Object.keys(namespaces))) as string[];
  return defineContract({
    name: "rules",
    version,
    namespaces: Object.fromEntries(clean.map((k) => [k, stripUndefined(namespaces[k]!)])),
  });
}

function stripUndefined(ns: NamespaceDef): NamespaceDef {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ns)) {
    if (v === undefined) continue;
    if (k === "clientToServer" || k === "serverToClient" || k === "serverToServer") {
      out[k] = Object.fromEntries(
        Object.entries(v as Record<string, EventDef>).map(([w, d]) => [
          w,
          Object.fromEntries(Object.entries(d).filter(([, x]) => x !== undefined)),
        ]),
      );
    } else out[k] = v;
  }
  return out as NamespaceDef;
}

export function snapshotOf(ns: Edit["before"], version = "1.0.0") {
  const contract = contractOf(ns, version);
  return buildSnapshot(contract, buildModel(contract, "rules.ts"));
}

/** The worst verdict per pairing over every change the diff reports. */
function verdicts(edit: Edit) {
  const result = diffSnapshots(snapshotOf(edit.before), snapshotOf(edit.after));
  const out: Partial<Record<Pairing, VerdictKind>> = {};
  const reasons: string[] = [];
  for (const c of result.changes) {
    for (const [p, v] of Object.entries(c.verdicts) as Array<[Pairing, { verdict: VerdictKind; reason?: string }]>) {
      const prev = out[p];
      if (prev === undefined || v.verdict === "breaking" || (v.verdict === "unknown" && prev === "safe"))
        out[p] = v.verdict;
      if (v.reason !== undefined) reasons.push(v.reason);
    }
  }
  return { out, reasons, count: result.changes.length };
}

describe("the rule table", () => {
  it("has at least 40 edits, covering safe, breaking and cannot prove in every pairing", () => {
    expect(EDITS.length).toBeGreaterThanOrEqual(40);
    for (const p of ["oldClientsNewServer", "newClientsOldServer", "serversSideBySide"] as const) {
      const kinds = new Set(EDITS.map((e) => e.expect[p]).filter(Boolean));
      expect([p, [...kinds].sort()]).toEqual([
        p,
        p === "serversSideBySide" ? ["breaking", "safe"] : ["breaking", "safe", "unknown"],
      ]);
    }
  });

  it.each(EDITS.map((e) => [e.name, e] as const))("%s", (_name, edit) => {
    const { out, reasons, count } = verdicts(edit);
    expect(count).toBeGreaterThan(0);
    expect(out).toEqual(edit.expect);
    if (edit.path !== undefined) expect(reasons.join("\n")).toContain(`\`${edit.path}\``);
  });

  it("an unchanged contract has no changes", () => {
    const ns: NamespaceDef = {
      auth: obj({ t: str }),
      clientToServer: ev({ payload: obj({ a: str.max(3) }), ack: obj({ ok: z.boolean() }) }),
    };
    expect(diffSnapshots(snapshotOf(ns), snapshotOf(ns)).changes).toEqual([]);
  });
});

// ---- the empirical check ----

/** Who sends a schema position, and which contract version each side runs in a pairing. */
function roles(
  dir: Dir | undefined,
  part: Part,
  pairing: Pairing,
): Array<{ sender: "old" | "new"; receiver: "old" | "new" }> {
  const clientSends =
    part === "auth" ||
    (part !== "error" && dir !== "serverToServer" && (dir === "clientToServer") === (part === "payload"));
  if (pairing === "serversSideBySide")
    return [
      { sender: "old", receiver: "new" },
      { sender: "new", receiver: "old" },
    ];
  const client = pairing === "oldClientsNewServer" ? "old" : "new";
  const server = client === "old" ? "new" : "old";
  return clientSends ? [{ sender: client, receiver: server }] : [{ sender: server, receiver: client }];
}

/** Values a JSON Schema allows, from the subset the snapshots use; objects get only their declared keys. */
function arbitraryOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  if ("const" in schema) return fc.constant(schema["const"]);
  if (Array.isArray(schema["enum"])) return fc.constantFrom(...(schema["enum"] as unknown[]));
  const branches = (schema["anyOf"] ?? schema["oneOf"]) as JsonSchema[] | undefined;
  if (branches !== undefined) return fc.oneof(...branches.map(arbitraryOf));
  if (Array.isArray(schema["type"]))
    return fc.oneof(...(schema["type"] as string[]).map((t) => arbitraryOf({ ...schema, type: t })));
  const n = (k: string) => (typeof schema[k] === "number" ? (schema[k] as number) : undefined);
  switch (schema["type"]) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "string": {
      const minLength = n("minLength") ?? 0;
      const maxLength = Math.min(n("maxLength") ?? minLength + 30, minLength + 30);
      if (typeof schema["pattern"] === "string") {
        return fc
          .stringMatching(new RegExp(schema["pattern"], "u"))
          .filter((s) => [...s].length >= minLength && [...s].length <= (n("maxLength") ?? Infinity));
      }
      return fc.string({ minLength, maxLength, unit: "grapheme-ascii", size: "max" });
    }
    case "integer": {
      const min = Math.max(n("minimum") ?? -1e6, (n("exclusiveMinimum") ?? -Infinity) + 1, -1e6);
      const max = Math.min(n("maximum") ?? 1e6, (n("exclusiveMaximum") ?? Infinity) - 1, 1e6);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    }
    case "number": {
      const lower = n("exclusiveMinimum") ?? n("minimum");
      const upper = n("exclusiveMaximum") ?? n("maximum");
      return fc.oneof(
        fc.double({
          noNaN: true,
          noDefaultInfinity: true,
          min: lower ?? -1e9,
          max: upper ?? 1e9,
          minExcluded: n("exclusiveMinimum") !== undefined,
          maxExcluded: n("exclusiveMaximum") !== undefined,
        }),
        fc
          .integer({ min: Math.ceil(Math.max(lower ?? -1000, -1000)), max: Math.floor(Math.min(upper ?? 1000, 1000)) })
          .filter(
            (x) =>
              (n("exclusiveMinimum") === undefined || x > n("exclusiveMinimum")!) &&
              (n("exclusiveMaximum") === undefined || x < n("exclusiveMaximum")!),
          ),
      );
    }
    case "array": {
      const prefix = ((schema["prefixItems"] ?? []) as JsonSchema[]).map(arbitraryOf);
      const rest = schema["items"];
      const restArb = rest === false ? undefined : arbitraryOf((rest ?? {}) as JsonSchema);
      const minItems = Math.max((n("minItems") ?? 0) - prefix.length, 0);
      const maxItems =
        Math.min(n("maxItems") ?? minItems + 4, minItems + 4) - (n("maxItems") !== undefined ? prefix.length : 0);
      const tail =
        restArb === undefined
          ? fc.constant([])
          : fc.array(restArb, { minLength: minItems, maxLength: Math.max(maxItems, minItems), size: "max" });
      return fc.tuple(fc.tuple(...prefix), tail).map(([a, b]) => [...a, ...b]);
    }
    case "object": {
      const props = (schema["properties"] ?? {}) as Record<string, JsonSchema>;
      const required = (schema["required"] ?? []) as string[];
      const extra = schema["additionalProperties"];
      const model = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, arbitraryOf(s)]));
      // A record with enum keys requires each key (zod's exhaustive record): its values come from additionalProperties.
      for (const k of required)
        if (!(k in model) && typeof extra === "object" && extra !== null) model[k] = arbitraryOf(extra as JsonSchema);
      const record = fc.record(model, { requiredKeys: required });
      if (typeof extra !== "object" || extra === null) return record;
      const keys = arbitraryOf({
        type: "string",
        ...((schema["propertyNames"] ?? {}) as JsonSchema),
      }) as fc.Arbitrary<string>;
      return fc
        .tuple(record, fc.dictionary(keys, arbitraryOf(extra as JsonSchema), { maxKeys: 4 }))
        .map(([a, b]) => ({ ...b, ...a }));
    }
    default:
      return fc.jsonValue();
  }
}

/** The sender's values: generated from its JSON Schema (input side), kept when its zod schema accepts them, as JSON carries them. */
function senderValues(schema: Schema | undefined): fc.Arbitrary<unknown> {
  if (schema === undefined) return fc.constant(undefined);
  const zod = schema as z.ZodType;
  return arbitraryOf(toJsonSchema(schema, "input"))
    .filter((v) => zod.safeParse(v).success)
    .map((v) => (v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as unknown)));
}

function receiverAccepts(schema: Schema | undefined, value: unknown, part: Part): boolean {
  if (schema === undefined) return true; // a receiver without a schema ignores what it gets
  // A sender without auth sends {} (socket.io's default); without a payload, nothing.
  const v = value === undefined && part === "auth" ? {} : value;
  return (schema as z.ZodType).safeParse(v).success;
}

const EMPIRICAL = EDITS.flatMap((edit) =>
  edit.site === undefined
    ? []
    : (Object.entries(edit.expect) as Array<[Pairing, VerdictKind]>)
        .filter(([, v]) => v !== "unknown")
        .map(([pairing, verdict]) => [`${edit.name} / ${pairing}: ${verdict}`, edit, pairing, verdict] as const),
);

describe("the verdicts, checked with generated values", () => {
  it("checks every safe and breaking verdict of a schema edit (at least 60)", () => {
    expect(EMPIRICAL.length).toBeGreaterThanOrEqual(60);
  });

  it("controls: the same checks fail on a wrong verdict", () => {
    const required = EDITS.find((e) => e.name === "c2s payload: add a required field")!.site!;
    // Claimed safe for old clients with the new server: a generated old value lacks `room`.
    expect(() =>
      fc.assert(
        fc.property(senderValues(required.old), (v) => receiverAccepts(required.new, v, "payload")),
        { numRuns: 200, seed: 13 },
      ),
    ).toThrow();
    const optional = EDITS.find((e) => e.name === "c2s payload: add an optional field")!.site!;
    // Claimed breaking: no generated value is rejected.
    expect(
      fc.check(
        fc.property(senderValues(optional.old), (v) => receiverAccepts(optional.new, v, "payload")),
        { numRuns: 2000, seed: 13 },
      ).failed,
    ).toBe(false);
  });

  it.each(EMPIRICAL)("%s", (_name, edit, pairing, verdict) => {
    const site = edit.site!;
    const schemaOf = (v: "old" | "new") => (v === "old" ? site.old : site.new);
    for (const { sender, receiver } of roles(site.dir, site.part, pairing)) {
      const values = senderValues(schemaOf(sender));
      if (verdict === "safe") {
        let checked = 0;
        fc.assert(
          fc.property(values, (v) => {
            checked++;
            return receiverAccepts(schemaOf(receiver), v, site.part);
          }),
          { numRuns: 200, seed: 13 },
        );
        expect(checked).toBeGreaterThanOrEqual(200);
      }
      if (verdict === "breaking") {
        // One direction of a side-by-side pairing suffices; for the others, the only direction must fail.
        const result = fc.check(
          fc.property(values, (v) => receiverAccepts(schemaOf(receiver), v, site.part)),
          { numRuns: 2000, seed: 13 },
        );
        if (pairing !== "serversSideBySide")
          expect(result.failed, `no value from the ${sender} sender was rejected by the ${receiver} receiver`).toBe(
            true,
          );
        else if (result.failed) return;
      }
    }
    if (verdict === "breaking" && pairing === "serversSideBySide")
      throw new Error("no value was rejected in either direction");
  });
});

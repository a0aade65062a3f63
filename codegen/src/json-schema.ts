/**
 * zod schema → JSON Schema (draft 2020-12): one module for every consumer, so the same schema gives the same bytes.
 *
 * - `toJsonSchema` / `bothSides`: the snapshot, `iocontract diff`, AsyncAPI and the docs page. `io: "input"` is what
 *   a sender writes and a receiver accepts; `io: "output"` is what a handler gets after parsing. Nodes JSON Schema
 *   cannot fully describe (refinements, transforms, dates) carry `"x-iocontract-unprovable": "<why>"`, so that
 *   `iocontract diff` reports "cannot prove" for them instead of trusting an incomplete description.
 * - `siteJsonSchema` / `contractJsonSchemas`: the Python printers, both sides: `io: "input"` (what travels: every
 *   Python sender and receiver checks it) and `io: "output"` (what a TypeScript receiver holds after zod's parse),
 *   with what JSON Schema cannot say listed per schema as `serverChecks` (the receiving side's zod schema still
 *   checks it) and the codecs a TypeScript receiver decodes as `decodes`.
 */
import * as z from "zod";
import type { Contract, EventDef, Schema } from "@iocontract/runtime/contract";
import { type ChildRole, checksOf, childrenOf, kindOf, ruleOf } from "@iocontract/runtime/v1/zod-kinds";
import { defOf, isCodec } from "./schema/print-type.js";

export type JsonSchema = { readonly [key: string]: unknown };
export type Io = "input" | "output";

/** The marker key on nodes whose JSON Schema does not say everything the zod schema checks. */
export const UNPROVABLE = "x-iocontract-unprovable";

function unprovable(schema: Schema, io: Io): string | undefined {
  const def = defOf(schema);
  const checks = checksOf(schema);
  if (def.type === "transform") return "transform";
  if (def.type === "pipe") return io === "input" ? "pipe (its output schema may reject)" : "pipe (its output side)";
  // zod kinds whose value JSON cannot carry as such (`unrepresentable: "any"` prints them as `{}`).
  if (ruleOf(schema).notJson) return `${def.type} (not representable in JSON Schema)`;
  if (checks.some((c) => c["check"] === "custom")) return "refinement (custom check)";
  // .trim(), .toLowerCase() and the like rewrite the value before the other checks run.
  if (checks.some((c) => c["check"] === "overwrite")) return "rewriting check (trim, case)";
  return undefined;
}

/** The JSON Schema of one zod schema for one side, without `$schema` (documents that embed it say it once). */
export function toJsonSchema(
  schema: Schema,
  io: Io,
  target: "draft-2020-12" | "draft-7" = "draft-2020-12",
): JsonSchema {
  const out = z.toJSONSchema(schema as z.ZodType, {
    io,
    target,
    unrepresentable: "any",
    cycles: "ref",
    reused: "inline",
    override: (ctx) => {
      const why = unprovable(ctx.zodSchema as unknown as Schema, io);
      if (why !== undefined) (ctx.jsonSchema as Record<string, unknown>)[UNPROVABLE] = why;
    },
  }) as Record<string, unknown>;
  delete out["$schema"];
  return out;
}

/** Both sides of a schema. */
export function bothSides(schema: Schema): { readonly input: JsonSchema; readonly output: JsonSchema } {
  return { input: toJsonSchema(schema, "input"), output: toJsonSchema(schema, "output") };
}

export interface SiteJsonSchema {
  /** The input side: what travels. Not named `schema`: the no-op cache leaves keys of that name (zod schemas) out of its key. */
  readonly jsonSchema: JsonSchema;
  /** The output side (what zod's parse gives a TypeScript receiver), when it differs from the input side. */
  readonly outputJsonSchema?: JsonSchema;
  /** What the schema does not express, one line each: `data: a refinement (.refine / .superRefine)`. */
  readonly serverChecks: readonly string[];
  /** Codecs, one line each: what a TypeScript receiver decodes the wire value to (a Python receiver keeps the wire value). */
  readonly decodes: readonly string[];
}

export interface EventJsonSchemas {
  readonly payload?: SiteJsonSchema;
  readonly ack?: SiteJsonSchema;
}

export interface NamespaceJsonSchemas {
  readonly path: string;
  readonly auth?: SiteJsonSchema;
  readonly errors: Readonly<Record<string, SiteJsonSchema>>;
  readonly clientToServer: Readonly<Record<string, EventJsonSchemas>>;
  readonly serverToClient: Readonly<Record<string, EventJsonSchemas>>;
}

/** Marks a `.prefault()` in the Python outputs' input side: its "default" is parsed like a sent value. */
const PREFAULT = "x-iocontract-prefault";

/** zod meta keys that are ours, not JSON Schema's. */
const META_KEYS = new Set(["tsType", "id"]);

/**
 * Regular-expression syntax of JavaScript's `u` flag that Python's `re` (which jsonschema uses) rejects or reads
 * otherwise: Unicode property escapes, `\u{…}`, named groups written `(?<name>`.
 */
const NON_PORTABLE_PATTERN = /\\[pP]\{|\\u\{|\(\?<(?![=!])/;

/** The JSON Schemas of one contract schema: the input side (what travels) and, when it differs, the output side. */
export function siteJsonSchema(schema: Schema): SiteJsonSchema {
  const serverChecks: string[] = [];
  const decodes: string[] = [];
  collectServerChecks(schema, [], serverChecks, decodes, new Set());
  const side = (io: Io, notes: string[]): JsonSchema => {
    const raw = z.toJSONSchema(schema as z.ZodType, {
      io,
      unrepresentable: "any",
      // Both .default() and .prefault() print as "default"; zod parses a prefault's value and not a default's,
      // and so does a Python receiver filling them in: it needs to know which is which.
      override: (ctx) => {
        if (io === "input" && kindOf(ctx.zodSchema) === "prefault")
          (ctx.jsonSchema as Record<string, unknown>)[PREFAULT] = true;
      },
    }) as JsonSchema;
    const clean = (node: unknown, path: string[]): unknown => {
      if (Array.isArray(node)) return node.map((n) => clean(n, path));
      if (node === null || typeof node !== "object") return node;
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if (META_KEYS.has(key) || key === "$schema") continue;
        if (key === "pattern" && typeof value === "string" && NON_PORTABLE_PATTERN.test(value)) {
          notes.push(`${label(path)}: the pattern ${value} (JavaScript syntax other languages read otherwise)`);
          continue;
        }
        // Paths name object keys only: `data`, `items.name`.
        out[key] =
          key === "properties" || key === "$defs"
            ? Object.fromEntries(
                Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, clean(v, [...path, k])]),
              )
            : clean(value, path);
      }
      return out;
    };
    return clean(raw, []) as JsonSchema;
  };
  const input = side("input", serverChecks);
  // The output side is not checked by a Python receiver (it cannot hold zod's output): its patterns need no note.
  const output = side("output", []);
  return {
    jsonSchema: input,
    ...(JSON.stringify(output) === JSON.stringify(input) ? {} : { outputJsonSchema: output }),
    serverChecks: [...new Set(serverChecks)].sort(),
    decodes: [...new Set(decodes)].sort(),
  };
}

/**
 * The output side as the Python runtime derives it from the input side (its `derived_output`, the same rule):
 * a plain object (properties, nothing said of other keys) refuses other keys (zod strips them), a key with a
 * default is required, and a prefault's value is not part of the output. Where zod's output side is this, the
 * Python outputs embed the input side alone; elsewhere (codecs, transforms, pipes) both.
 */
export function derivedOutput(input: JsonSchema): JsonSchema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    const source = node as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(source)) {
      if (key === PREFAULT || (key === "default" && source[PREFAULT] === true)) continue;
      out[key] = key === "default" || key === "const" || key === "enum" ? value : walk(value);
    }
    const properties = source["properties"];
    if (properties !== null && typeof properties === "object" && !Array.isArray(properties)) {
      const required = Array.isArray(source["required"]) ? (source["required"] as string[]) : [];
      const defaulted = Object.entries(properties as Record<string, Record<string, unknown>>)
        .filter(([, v]) => v !== null && typeof v === "object" && "default" in v)
        .map(([k]) => k);
      const all = [...required, ...defaulted.filter((k) => !required.includes(k))];
      if (all.length > 0)
        out["required"] = Object.keys(properties)
          .filter((k) => all.includes(k))
          .concat(required.filter((k) => !(k in (properties as object))));
      if (!("additionalProperties" in source)) out["additionalProperties"] = false;
    }
    return out;
  };
  return walk(input) as JsonSchema;
}

/** JSON with sorted keys: two schemas that differ only in key order are the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export interface ContractJsonSchemas {
  /** The contract's named `types`, by name. */
  readonly types: Readonly<Record<string, SiteJsonSchema>>;
  readonly namespaces: readonly NamespaceJsonSchemas[];
}

/** Every JSON Schema the SDKs validate with: the named types, and per namespace by wire name. */
export function contractJsonSchemas(contract: Contract): ContractJsonSchemas {
  return {
    types: Object.fromEntries(
      Object.entries(contract.types ?? {}).map(([name, schema]) => [name, siteJsonSchema(schema)]),
    ),
    namespaces: namespaceJsonSchemas(contract),
  };
}

function namespaceJsonSchemas(contract: Contract): NamespaceJsonSchemas[] {
  const events = (map: Readonly<Record<string, EventDef>> | undefined) =>
    Object.fromEntries(
      Object.entries(map ?? {}).map(([wire, ev]) => [
        wire,
        {
          ...(ev.payload ? { payload: siteJsonSchema(ev.payload) } : {}),
          ...(ev.ack ? { ack: siteJsonSchema(ev.ack) } : {}),
        },
      ]),
    );
  return Object.entries(contract.namespaces).map(([path, ns]) => ({
    path,
    ...(ns.auth ? { auth: siteJsonSchema(ns.auth) } : {}),
    errors: Object.fromEntries(Object.entries(ns.errors ?? {}).map(([code, s]) => [code, siteJsonSchema(s)])),
    clientToServer: events(ns.clientToServer),
    serverToClient: events(ns.serverToClient),
  }));
}

/** The segment each role adds to a server check's path (`items.[]`, `tags.*`); roles not listed add none. */
const SEGMENT: Partial<Record<ChildRole, (key: string | number | undefined) => string | number | undefined>> = {
  entry: (key) => key,
  element: () => "[]",
  item: (key) => key,
  rest: () => "[]",
  value: () => "*",
};

function label(path: readonly (string | number)[]): string {
  return path.length === 0 ? "(the value)" : path.join(".");
}

function collectServerChecks(
  schema: Schema,
  path: (string | number)[],
  out: string[],
  decodes: string[],
  seen: Set<Schema>,
): void {
  if (seen.has(schema)) return;
  seen.add(schema);
  const def = defOf(schema);
  if (isCodec(schema)) {
    // What travels is the codec's input side, which the JSON Schema states; the decoded value is the receiver's own.
    const app = defOf(def["out"] as Schema).type;
    decodes.push(
      `${label(path)}: a codec (z.codec): a TypeScript receiver decodes it to a ${app === "custom" ? "class instance (z.instanceof)" : app}`,
    );
    collectServerChecks(def["in"] as Schema, path, out, decodes, seen);
    return;
  }
  const checks = checksOf(schema);
  if (checks.some((c) => c["check"] === "custom")) out.push(`${label(path)}: a refinement (.refine / .superRefine)`);
  if (checks.some((c) => c["check"] === "overwrite"))
    out.push(`${label(path)}: a normalisation (.trim, .toLowerCase...) applied before the other checks`);
  if (def["coerce"] === true)
    out.push(`${label(path)}: a coercion (z.coerce): the receiver also accepts values it can convert`);
  if (def.type === "catch") out.push(`${label(path)}: a fallback (.catch): the receiver accepts any value there`);
  if (def.type === "transform" || (def.type === "pipe" && defOf(def["out"] as Schema).type === "transform"))
    out.push(`${label(path)}: a transform`);
  if (ruleOf(schema).notJson) out.push(`${label(path)}: a ${def.type} (not expressible in JSON Schema)`);
  for (const child of childrenOf(schema)) {
    // A record's keys are strings on the wire: only its values are checked further.
    if (child.role === "key") continue;
    const segment = SEGMENT[child.role]?.(child.key);
    collectServerChecks(child.schema, segment === undefined ? path : [...path, segment], out, decodes, seen);
  }
}

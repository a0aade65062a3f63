/**
 * What the fuzzer sends, as fast-check arbitraries. Three kinds of case:
 * - `event`: a Socket.IO event built by hand (exact bytes), for any event of a fixture namespace or an unknown
 *   name: seeds mutated (fields replaced, dropped, added — `__proto__`, `constructor`, `prototype` included —
 *   wrapped, deeply nested, huge), wrong argument counts, binary attachments where JSON is expected, with or
 *   without an ack id;
 * - `client`: the same through socket.io-client, with values JSON cannot carry (undefined, NaN, dates, maps,
 *   functions, toJSON...) and missing, extra or misplaced ack callbacks;
 * - `packet`: malformed Engine.IO / Socket.IO frames (bad packet types, bad namespaces, truncated JSON, bad
 *   binary attachment counts, stray binary frames, odd ack ids).
 */
import fc from "fast-check";
import type { Fixture, FixtureNamespace } from "./fixtures";
import { EIO } from "./wire";

export interface EventCase {
  readonly kind: "event";
  readonly nsp: string;
  readonly event: unknown;
  readonly args: unknown[];
  readonly ack: boolean;
  readonly label: string;
}
export type CallbackShape = "none" | "one" | "two" | "first";
export interface ClientCase {
  readonly kind: "client";
  readonly nsp: string;
  readonly event: string;
  readonly args: unknown[];
  readonly callbacks: CallbackShape;
  readonly label: string;
}
export interface PacketCase {
  readonly kind: "packet";
  readonly nsp: string;
  readonly frames: Array<string | Uint8Array>;
  readonly label: string;
}
export type FuzzCase = EventCase | ClientCase | PacketCase;

/** Keys that attack prototypes and builtin names. */
const NASTY_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "__defineGetter__",
  "then",
  "_placeholder",
  "",
];
/** Event names that are not in any namespace of the contract, or that Socket.IO reserves. */
const ODD_EVENT_NAMES = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "error",
  "iocontract:error",
  "fuzz:call",
  "message",
  "newListener",
  "connect",
  "disconnect",
  "disconnecting",
  "removeListener",
  "connect_error",
  "",
  " ",
  "my  message",
];
/** Names socket.io-parser refuses as event names (the connection is closed). */
export const RESERVED_EVENT_NAMES = new Set([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);

/** An object with an own (not inherited) key, `__proto__` included. */
function withKey(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj))
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

function nest(value: unknown, depth: number, asObject: boolean): unknown {
  let out = value;
  for (let i = 0; i < depth; i++) out = asObject ? { a: out } : [out];
  return out;
}

const hugeString = fc
  .integer({ min: 10_000, max: 200_000 })
  .chain((n) => fc.constantFrom("x", "é", "\u{1F600}", "\u0000").map((c) => c.repeat(Math.ceil(n / c.length))));
const hugeArray = fc
  .integer({ min: 1_000, max: 30_000 })
  .chain((n) => fc.constantFrom<unknown>(0, "s", null, {}, [1]).map((v) => Array.from({ length: n }, () => v)));
const deepValue = fc
  .tuple(fc.integer({ min: 20, max: 1_000 }), fc.boolean(), fc.jsonValue({ maxDepth: 1 }))
  .map(([d, o, v]) => nest(v, d, o));
const binary = fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a));
const specialNumber = fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, -(2 ** 31), 5e-324, 9, 10, 5001);
const strangeString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\ud800",
    "123456",
    "#fff",
    "circle",
    "square",
    "red",
    "fixed",
    "throw",
    "2020-01-01T00:00:00Z",
    "a@b.co",
    "x | a | a | y",
    "<",
    "{",
  ),
);

/** Any value a JSON text can carry, plus binaries, biased towards what schemas check. */
function junk(withBinary: boolean): fc.Arbitrary<unknown> {
  // Weights: one junk value in about fifty is huge or deep (a case draws several), the rest is cheap to send.
  const base: Array<fc.WeightedArbitrary<unknown>> = [
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 30 },
    { arbitrary: strangeString, weight: 20 },
    { arbitrary: specialNumber, weight: 15 },
    { arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}), weight: 15 },
    {
      arbitrary: fc
        .constantFrom(...NASTY_KEYS)
        .chain((k) => fc.jsonValue({ maxDepth: 1 }).map((v) => withKey({}, k, v))),
      weight: 10,
    },
    { arbitrary: deepValue, weight: 1 },
    { arbitrary: hugeString, weight: 1 },
    { arbitrary: hugeArray, weight: 1 },
  ];
  if (withBinary) base.push({ arbitrary: binary, weight: 10 });
  return fc.oneof(...base);
}

/** Paths into a JSON value: `[]` (the value itself) and every key or index below it. */
function paths(
  value: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
  depth = 0,
): Array<Array<string | number>> {
  out.push(prefix);
  if (depth > 8 || typeof value !== "object" || value === null || value instanceof Uint8Array) return out;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) paths(v, [...prefix, i], out, depth + 1);
  } else for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out, depth + 1);
  return out;
}

/** A copy of `value` with `edit` applied at `path` (returns the new node; `DELETE` removes it). */
const DELETE: unique symbol = Symbol("delete");
function editAt(value: unknown, path: ReadonlyArray<string | number>, edit: (node: unknown) => unknown): unknown {
  if (path.length === 0) return edit(value);
  const [head, ...rest] = path;
  // An earlier edit may have removed or replaced the path: then this edit does nothing.
  if (typeof value !== "object" || value === null || value instanceof Uint8Array || !Object.hasOwn(value, head!))
    return value;
  if (Array.isArray(value)) {
    const copy = [...value];
    const next = editAt(copy[head as number], rest, edit);
    if (next === DELETE) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const next = k === head ? editAt(v, rest, edit) : v;
    if (next !== DELETE)
      Object.defineProperty(out, k, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A seed with zero or more mutations. */
function mutated(seed: unknown, withBinary: boolean): fc.Arbitrary<unknown> {
  const all = paths(seed);
  const objectPaths = all.filter((p) => {
    let node: unknown = seed;
    for (const part of p) node = (node as Record<string | number, unknown>)[part];
    return typeof node === "object" && node !== null && !Array.isArray(node);
  });
  const one: Array<fc.WeightedArbitrary<(v: unknown) => unknown>> = [
    {
      arbitrary: fc.tuple(fc.constantFrom(...all), junk(withBinary)).map(
        ([p, j]) =>
          (v: unknown) =>
            editAt(v, p, () => j),
      ),
      weight: 6,
    },
    {
      arbitrary: fc.constantFrom(...all).map((p) => (v: unknown) => (p.length === 0 ? v : editAt(v, p, () => DELETE))),
      weight: 3,
    },
    {
      arbitrary: fc.tuple(fc.integer({ min: 1, max: 40 }), fc.boolean()).map(
        ([d, o]) =>
          (v: unknown) =>
            nest(v, d, o),
      ),
      weight: 1,
    },
  ];
  if (objectPaths.length > 0) {
    one.push({
      arbitrary: fc
        .tuple(
          fc.constantFrom(...objectPaths),
          fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 8 })),
          junk(withBinary),
        )
        .map(
          ([p, k, j]) =>
            (v: unknown) =>
              editAt(v, p, (node) =>
                typeof node === "object" && node !== null && !Array.isArray(node) && !(node instanceof Uint8Array)
                  ? withKey(node as Record<string, unknown>, k, j)
                  : node,
              ),
        ),
      weight: 4,
    });
  }
  return fc.array(fc.oneof(...one), { maxLength: 3 }).map((edits) => edits.reduce((v, edit) => edit(v), seed));
}

/** The payload arguments for an event: mostly one, sometimes none or too many. */
function eventArgs(seeds: readonly unknown[], hasPayload: boolean, withBinary: boolean): fc.Arbitrary<unknown[]> {
  if (!hasPayload) {
    return fc.oneof(
      { arbitrary: fc.constant<unknown[]>([]), weight: 5 },
      { arbitrary: fc.array(junk(withBinary), { minLength: 1, maxLength: 3 }), weight: 3 },
    );
  }
  const payload = fc.oneof(
    { arbitrary: fc.constantFrom(...seeds).chain((s) => mutated(s, withBinary)), weight: 6 },
    { arbitrary: junk(withBinary), weight: 1 },
  );
  return fc.oneof(
    { arbitrary: payload.map((p) => [p]), weight: 10 },
    { arbitrary: fc.constant<unknown[]>([]), weight: 1 },
    {
      arbitrary: fc
        .tuple(payload, fc.array(junk(withBinary), { minLength: 1, maxLength: 3 }))
        .map(([p, extra]) => [p, ...extra]),
      weight: 2,
    },
  );
}

export function eventCase(ns: FixtureNamespace): fc.Arbitrary<EventCase> {
  const known = fc.constantFrom(...ns.events).chain((ev) =>
    fc.tuple(eventArgs(ev.seeds, ev.payload !== undefined, true), fc.boolean()).map(
      ([args, ack]): EventCase => ({
        kind: "event",
        nsp: ns.path,
        event: ev.wire,
        args,
        ack,
        label: `event ${JSON.stringify(ev.wire)}`,
      }),
    ),
  );
  const unknown = fc
    .tuple(
      fc.oneof(fc.constantFrom<unknown>(...ODD_EVENT_NAMES), fc.string({ maxLength: 12 }), fc.integer()),
      fc.array(junk(false), { maxLength: 2 }),
      fc.boolean(),
    )
    .map(
      ([event, args, ack]): EventCase => ({
        kind: "event",
        nsp: ns.path,
        event,
        args,
        ack,
        label: `unknown event ${JSON.stringify(event)}`,
      }),
    );
  return fc.oneof({ arbitrary: known, weight: 9 }, { arbitrary: unknown, weight: 1 });
}

// ---- through socket.io-client: values JSON cannot carry ----

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
  method(): number {
    return this.x;
  }
}

const nonJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(undefined, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
  fc.date({ noInvalidDate: true }),
  fc.constant(() => 1),
  fc.jsonValue({ maxDepth: 1 }).map((v) => new Map([["k", v]])),
  fc.jsonValue({ maxDepth: 1 }).map((v) => new Set([v])),
  fc.tuple(fc.integer(), fc.integer()).map(([x, y]) => new Point(x, y)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => ({ toJSON: () => v })),
  fc.integer({ min: 1, max: 5 }).map((n) => new Array<unknown>(n)),
  fc.jsonValue({ maxDepth: 1 }).map((v) => ({ [Symbol("s")]: v, plain: v })),
  fc.jsonValue({ maxDepth: 1 }).map((v) => Object.defineProperty({}, "viaGetter", { get: () => v, enumerable: true })),
  fc.jsonValue({ maxDepth: 1 }).map((v) => Object.assign(Object.create(null) as object, { v })),
);

export function clientCase(ns: FixtureNamespace): fc.Arbitrary<ClientCase> {
  return fc.constantFrom(...ns.events).chain((ev) => {
    const seedArb = ev.payload === undefined ? fc.constant<unknown>(undefined) : fc.constantFrom(...ev.seeds);
    const payload = fc.oneof(
      seedArb,
      nonJson,
      fc.tuple(seedArb, nonJson).map(([s, j]) => {
        if (typeof s !== "object" || s === null || Array.isArray(s)) return [s, j];
        const keys = Object.keys(s);
        return keys.length === 0 ? { ...s, extra: j } : { ...s, [keys[0]!]: j };
      }),
      fc
        .tuple(seedArb, nonJson)
        .map(([s, j]) => (typeof s === "object" && s !== null && !Array.isArray(s) ? { ...s, added: j } : s)),
    );
    const args =
      ev.payload === undefined
        ? fc.oneof(
            fc.constant<unknown[]>([]),
            nonJson.map((j) => [j]),
          )
        : fc.oneof(
            payload.map((p) => [p]),
            fc.tuple(payload, nonJson).map(([p, j]) => [p, j]),
            fc.constant<unknown[]>([]),
          );
    return fc.tuple(args, fc.constantFrom<CallbackShape>("none", "one", "two", "first")).map(
      ([a, callbacks]): ClientCase => ({
        kind: "client",
        nsp: ns.path,
        event: ev.wire,
        args: a,
        callbacks,
        label: `client ${JSON.stringify(ev.wire)} (${callbacks} callback)`,
      }),
    );
  });
}

// ---- malformed frames ----

const M = EIO.MESSAGE;

export function packetCase(fx: Fixture): fc.Arbitrary<PacketCase> {
  const nsps = fx.namespaces.map((n) => n.path);
  const nspPart = (p: string) => (p === "/" ? "" : `${p},`);
  const nsp = fc.constantFrom(...nsps);
  const someEvent = fc.constantFrom(
    ...fx.namespaces.flatMap((n) => n.events.map((e) => ({ nsp: n.path, wire: e.wire, seed: e.seeds[0] }))),
  );
  const text = fc.string({ unit: "binary", maxLength: 40 });
  const families: Array<fc.Arbitrary<{ frames: Array<string | Uint8Array>; label: string; nsp?: string }>> = [
    // Engine.IO packet types that do not exist, or that a client should not send now.
    fc
      .tuple(fc.constantFrom("7", "8", "9", "x", "", "-", "0", "1", "2", "3", "5", "6", "\u0000"), text)
      .map(([t, rest]) => ({ frames: [t + rest], label: "engine.io type" })),
    // Socket.IO packet types that do not exist, and junk after a valid type digit.
    fc
      .tuple(fc.constantFrom("7", "8", "9", "a", "/", "-", ""), text)
      .map(([t, rest]) => ({ frames: [M + t + rest], label: "socket.io type" })),
    fc
      .tuple(fc.constantFrom("0", "1", "2", "3", "4"), text)
      .map(([t, rest]) => ({ frames: [M + t + rest], label: "socket.io junk" })),
    // Truncated JSON of a real event.
    fc.tuple(someEvent, fc.boolean(), fc.nat()).map(([ev, ack, cut]) => {
      const json = JSON.stringify(ev.seed === undefined ? [ev.wire] : [ev.wire, ev.seed]);
      const keep = cut % json.length; // strictly shorter than the JSON: never a complete value
      return {
        frames: [`${M}2${nspPart(ev.nsp)}${ack ? "7" : ""}${json.slice(0, keep)}`],
        label: "truncated JSON",
        nsp: ev.nsp,
      };
    }),
    // Payloads that are not an event array, event names that are not names.
    fc
      .tuple(
        nsp,
        fc.constantFrom(
          "[]",
          "[null]",
          "[{}]",
          "[[1]]",
          "[true]",
          '"event"',
          "{}",
          "null",
          "1",
          '["connect"]',
          '["disconnect",1]',
          '["newListener"]',
          '["removeListener"]',
          '["disconnecting"]',
          '["connect_error"]',
          "[1.5]",
          "[-1]",
        ),
      )
      .map(([p, json]) => ({ frames: [`${M}2${nspPart(p)}${json}`], label: "not an event", nsp: p })),
    // Namespaces that do not exist, events for namespaces this connection did not join, odd namespace syntax.
    fc
      .tuple(
        fc.constantFrom(
          "/nope",
          "/",
          "//",
          "/game/../admin",
          "/ADMIN",
          "/%2e",
          "/metrics/x",
          "/\u0000",
          "/" + "n".repeat(1000),
        ),
        fc.constantFrom("0", "2", "1", "3"),
      )
      .map(([p, t]) => ({
        frames: [`${M}${t}${p},${t === "2" ? '["fuzz:unknown"]' : t === "3" ? "[1]" : ""}`],
        label: "bad namespace",
      })),
    // Binary events whose attachment counts do not match what follows.
    fc
      .tuple(
        nsp,
        fc.constantFrom("0", "-1", "1", "2", "3", "11", "99999999999", "x", "1.5", " 1", ""),
        fc.array(fc.constantFrom<unknown>(0, 1, 2, -1, 10, "0", null, 1.5), { maxLength: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
      )
      .map(([p, count, nums, frames, trailingText]) => {
        const json = JSON.stringify(["fuzz:unknown", ...nums.map((num) => ({ _placeholder: true, num }))]);
        const out: Array<string | Uint8Array> = [`${M}5${count}-${nspPart(p)}${json}`];
        for (let i = 0; i < frames; i++) out.push(Buffer.from([i, 1, 2]));
        if (trailingText) out.push(`${M}2${nspPart(p)}["fuzz:unknown"]`);
        return { frames: out, label: "binary attachments", nsp: p };
      }),
    // Binary frames nobody announced.
    fc.uint8Array({ maxLength: 32 }).map((bytes) => ({ frames: [Buffer.from(bytes)], label: "stray binary frame" })),
    // Odd ack ids, acks for requests the server never made, a client sending CONNECT_ERROR or DISCONNECT.
    fc
      .tuple(nsp, fc.constantFrom("9".repeat(30), "0", "007", "1e5", "-1"), fc.constantFrom("2", "3", "6", "4", "1"))
      .map(([p, id, t]) => ({
        frames: [
          `${M}${t}${nspPart(p)}${id}${t === "2" ? '["fuzz:unknown"]' : t === "4" ? '{"message":"x"}' : t === "1" ? "" : "[1]"}`,
        ],
        label: "odd ids and packet types",
        nsp: p,
      })),
  ];
  return fc
    .oneof(...families)
    .map(({ frames, label, nsp: p }) => ({ kind: "packet", nsp: p ?? nsps[0]!, frames, label: `packet: ${label}` }));
}

/** Unit tests of the reliability pieces: idempotency-key parsing, the dedupe store, the pollution guard, issue caps. */
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { DedupeStore } from "./dedupe";
import { findPollutionKey, guardKeys, mayCarryArbitraryKeys } from "./guard";
import { check } from "./spec";
import { IDEMPOTENCY_KEY, MAX_ISSUE_PATH, idempotencyKeyOf } from "./wire";

describe("idempotency keys on the wire", () => {
  it("accepts exactly { 'iocontract:key': non-empty string ≤ 128 }", () => {
    expect(idempotencyKeyOf({ [IDEMPOTENCY_KEY]: "abc.1" })).toBe("abc.1");
    expect(idempotencyKeyOf({ [IDEMPOTENCY_KEY]: "" })).toBeUndefined();
    expect(idempotencyKeyOf({ [IDEMPOTENCY_KEY]: "k".repeat(129) })).toBeUndefined();
    expect(idempotencyKeyOf({ [IDEMPOTENCY_KEY]: 1 })).toBeUndefined();
    expect(idempotencyKeyOf({ [IDEMPOTENCY_KEY]: "k", other: 1 })).toBeUndefined();
    expect(idempotencyKeyOf([IDEMPOTENCY_KEY])).toBeUndefined();
    expect(idempotencyKeyOf(null)).toBeUndefined();
    expect(idempotencyKeyOf("iocontract:key")).toBeUndefined();
  });
});

describe("the dedupe store", () => {
  it("runs once per key: a retry joins the running first attempt, later ones get the recorded answer", () => {
    const store = new DedupeStore();
    expect(store.seen("k", 0)).toBeUndefined();
    const first = store.latest;
    const retry = store.seen("k", 1);
    expect(retry).toBe(first);
    const answers: unknown[] = [];
    store.join(retry!, (a) => answers.push(a));
    expect(answers).toEqual([]);
    store.record(first, { ok: true, data: 7 });
    expect(answers).toEqual([{ ok: true, data: 7 }]);
    store.join(store.seen("k", 2)!, (a) => answers.push(a));
    expect(answers).toEqual([
      { ok: true, data: 7 },
      { ok: true, data: 7 },
    ]);
  });

  it("forgets keys after ttlMs and beyond maxEntries, oldest first", () => {
    const store = new DedupeStore({ ttlMs: 100, maxEntries: 3 });
    store.seen("a", 0);
    store.seen("b", 50);
    expect(store.seen("a", 99)).toBeDefined();
    expect(store.seen("a", 101)).toBeUndefined(); // expired, so it runs again
    store.seen("c", 120);
    store.seen("d", 121); // over 3: the oldest ("b") goes
    expect(store.size).toBeLessThanOrEqual(3);
    expect(store.seen("b", 122)).toBeUndefined();
  });

  it("per client: a client that floods keys loses its own oldest, never another client's", () => {
    const store = new DedupeStore({ ttlMs: 60_000, maxEntries: 1000, maxEntriesPerClient: 100 });
    expect(store.seen("victim.1", 0, "victim")).toBeUndefined();
    for (let i = 0; i < 50_000; i++) store.seen(`flood.${i}`, 1, "flood");
    expect(store.heldBy("flood")).toBe(100);
    expect(store.seen("victim.1", 2, "victim")).toBeDefined(); // still remembered: a retry would not run again
    expect(store.seen("flood.0", 3, "flood")).toBeUndefined(); // the flooder's own old key is gone
  });

  it("globally: past maxEntries the largest holder loses its oldest key first", () => {
    const store = new DedupeStore({ ttlMs: 60_000, maxEntries: 1000, maxEntriesPerClient: 100 });
    store.seen("victim.1", 0, "victim");
    // Many flooding identities, each at its own bound: the store fills up, and only they pay for it.
    for (let c = 0; c < 30; c++) for (let i = 0; i < 100; i++) store.seen(`f${c}.${i}`, 1, `f${c}`);
    expect(store.size).toBeLessThanOrEqual(1000); // freed in batches of 5 %, from the largest holders down
    expect(store.size).toBeGreaterThan(900);
    expect(store.heldBy("victim")).toBe(1);
    expect(store.seen("victim.1", 2, "victim")).toBeDefined();
  });

  it("control: with every key under one identity (the store as it was before per-client bounds) the flood evicts the victim", () => {
    const shared = new DedupeStore({ ttlMs: 60_000, maxEntries: 1000, maxEntriesPerClient: 1000 });
    shared.seen("victim.1", 0, "");
    for (let i = 0; i < 50_000; i++) shared.seen(`flood.${i}`, 1, "");
    expect(shared.seen("victim.1", 2, "")).toBeUndefined(); // forgotten: the retry would run again
  });

  it("stays bounded under a flood of keys", () => {
    const store = new DedupeStore({ ttlMs: 60_000, maxEntries: 1000 });
    for (let i = 0; i < 100_000; i++) store.seen(`k${i}`, i);
    expect(store.size).toBe(1000);
  });
});

describe("prototype-pollution keys", () => {
  it("knows which schemas can carry keys they do not name", () => {
    expect(mayCarryArbitraryKeys(z.object({ a: z.string() }))).toBe(false);
    expect(mayCarryArbitraryKeys(z.strictObject({ a: z.array(z.number()) }))).toBe(false);
    expect(mayCarryArbitraryKeys(z.record(z.string(), z.number()))).toBe(true);
    expect(mayCarryArbitraryKeys(z.looseObject({ a: z.string() }))).toBe(true);
    expect(mayCarryArbitraryKeys(z.object({ a: z.optional(z.array(z.unknown())) }))).toBe(true);
    expect(mayCarryArbitraryKeys(z.union([z.string(), z.object({ b: z.any() })]))).toBe(true);
    const Tree: z.ZodType<{ kids: unknown[] }> = z.object({ kids: z.array(z.lazy(() => Tree)) });
    expect(mayCarryArbitraryKeys(Tree)).toBe(false);
  });

  it("finds __proto__ anywhere, and constructor / prototype holding objects", () => {
    expect(findPollutionKey(JSON.parse('{"a":[{"__proto__":{"x":1}}]}'))).toEqual(["a", 0, "__proto__"]);
    expect(findPollutionKey(JSON.parse('{"constructor":{"prototype":{"x":1}}}'))).toEqual(["constructor"]);
    expect(findPollutionKey({ constructor: "a word", prototype: 3 })).toBeUndefined();
    expect(findPollutionKey({ a: { b: [1, 2, { c: null }] } })).toBeUndefined();
  });

  it("refuses them after validation, with the path", () => {
    const schema = z.object({ meta: z.unknown() });
    const validate = guardKeys(schema, (v) => check(schema, v));
    expect(validate(JSON.parse('{"meta":{"__proto__":{"admin":true}}}'))).toEqual({
      ok: false,
      issues: [
        { path: ["meta", "__proto__"], message: 'Forbidden key "__proto__": prototype-pollution keys are refused' },
      ],
      total: 1,
    });
    expect(validate({ meta: { fine: 1 } })).toEqual({ ok: true, value: { meta: { fine: 1 } } });
    const plain = z.object({ a: z.string() });
    const plainValidate = (v: unknown) => check(plain, v);
    expect(guardKeys(plain, plainValidate)).toBe(plainValidate); // no walk where none is needed
  });
});

describe("bounded issues", () => {
  it("caps the path of an issue deep in a recursive schema", () => {
    type Node = { next?: Node | undefined; v: number };
    const Node: z.ZodType<Node> = z.object({ v: z.number(), next: z.optional(z.lazy(() => Node)) });
    let value: unknown = { v: "bad" };
    for (let i = 0; i < 300; i++) value = { v: 1, next: value };
    const checked = check(Node, value);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.issues[0]!.path).toHaveLength(MAX_ISSUE_PATH + 1);
    expect(checked.issues[0]!.path.at(-1)).toBe(`...${301 - MAX_ISSUE_PATH} more`);
    expect(JSON.stringify(checked).length).toBeLessThan(1000);
  });

  it("a value deeper than the validator's stack is invalid, not a crash", () => {
    type Node = { next?: Node | undefined; v: number };
    const Node: z.ZodType<Node> = z.object({ v: z.number(), next: z.optional(z.lazy(() => Node)) });
    let value: unknown = { v: 1 };
    for (let i = 0; i < 100_000; i++) value = { v: 1, next: value };
    const checked = check(Node, value);
    expect(checked).toMatchObject({ ok: false, total: 1 });
  });
});

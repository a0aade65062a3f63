import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { canCompile, makeCompiledValidator, notCompiled } from "./compiled";
import { makeValidator } from "./spec";

const Item = z.object({ name: z.string().min(1), qty: z.number().int().positive() });

/** [name, schema, inputs]: every input is checked by the compiled and the plain validator. */
const CASES: Array<[string, z.ZodType, unknown[]]> = [
  [
    "object with bounded string",
    z.object({ data: z.string().min(1).max(5) }),
    [{ data: "hi" }, { data: "" }, { data: "toolong" }, { data: 3 }, {}, null, "x", { data: "ok", extra: 1 }],
  ],
  [
    "defaults and optionals",
    z.object({ a: z.number().default(7), b: z.string().optional() }),
    [{}, { a: 1 }, { b: "x" }, { b: 1 }, { a: "1" }],
  ],
  ["transform", z.object({ n: z.string().transform((s) => s.length) }), [{ n: "abc" }, { n: 1 }]],
  [
    "nested arrays",
    z.object({ items: z.array(Item).max(3) }),
    [{ items: [] }, { items: [{ name: "a", qty: 1 }] }, { items: [{ name: "", qty: 0 }] }, { items: [1, 2, 3, 4] }],
  ],
  [
    "union and literal",
    z.union([z.object({ kind: z.literal("a"), x: z.number() }), z.object({ kind: z.literal("b"), y: z.string() })]),
    [{ kind: "a", x: 1 }, { kind: "b", y: "s" }, { kind: "c" }, { kind: "a", y: "s" }],
  ],
  ["refinement", z.number().refine((n) => n % 2 === 0, "even please"), [2, 3, "2"]],
  [
    "enum and record",
    z.object({ e: z.enum(["x", "y"]), r: z.record(z.string(), z.number()) }),
    [
      { e: "x", r: { a: 1 } },
      { e: "z", r: {} },
      { e: "y", r: { a: "1" } },
    ],
  ],
  ["undefined", z.undefined(), [undefined, null, 0]],
];

describe("compiled validators", () => {
  afterEach(() => {
    z.config({ jitless: false });
  });

  it("compile here (Node allows code generation)", () => {
    expect(canCompile()).toBe(true);
    const validator = makeCompiledValidator(CASES[0]![1]);
    expect(notCompiled.has(validator)).toBe(false);
  });

  it.each(CASES)("answer exactly as the plain validator: %s", (_name, schema, inputs) => {
    const compiled = makeCompiledValidator(schema);
    const plain = makeValidator(schema);
    expect(notCompiled.has(compiled)).toBe(false);
    for (const input of inputs) {
      expect(compiled(input), JSON.stringify(input)).toEqual(plain(input));
    }
  });

  it("return fresh output: unknown keys stripped, defaults filled, the input untouched", () => {
    const check = makeCompiledValidator(z.object({ a: z.number().default(7) }));
    const input = { extra: true };
    expect(check(input)).toEqual({ ok: true, value: { a: 7 } });
    expect(input).toEqual({ extra: true });
  });

  it("fall back to the plain validator for what zod cannot compile, with the reason", () => {
    const asyncRefined = z.string().refine(async () => true);
    const check = makeCompiledValidator(asyncRefined);
    expect(notCompiled.get(check)).toMatch(/async/i);
    // the plain path cannot run async checks synchronously either: invalid, never a throw
    expect(check("x").ok).toBe(false);
  });

  it("never throw, even when the schema's transform throws", () => {
    const check = makeCompiledValidator(
      z.string().transform(() => {
        throw new Error("boom");
      }),
    );
    const checked = check("x");
    expect(checked.ok).toBe(false);
  });

  it("are not made when zod is told to be jitless (the CSP setting), and still validate", () => {
    z.config({ jitless: true });
    expect(canCompile()).toBe(false);
    const check = makeCompiledValidator(CASES[0]![1]);
    expect(notCompiled.get(check)).toMatch(/not allowed/);
    expect(check({ data: "hi" })).toEqual({ ok: true, value: { data: "hi" } });
    expect(check({ data: "" }).ok).toBe(false);
  });

  it("fall back where code generation from strings is forbidden (node --disallow-code-generation-from-strings)", () => {
    const script = `
      import * as z from "zod";
      import { canCompile, makeCompiledValidator, notCompiled } from "./src/v1/compiled.ts";
      const check = makeCompiledValidator(z.object({ data: z.string().min(1) }));
      const reason = notCompiled.get(check) ?? null;
      console.log(JSON.stringify({ canCompile: canCompile(), reason, good: check({ data: "x", extra: 1 }), bad: check({ data: "" }).ok }));
    `;
    // The flag is the Node twin of a Content-Security-Policy without 'unsafe-eval': `new Function` throws.
    const r = spawnSync(
      process.execPath,
      ["--conditions=iocontract-source", "--import", "tsx", "--input-type=module", "-e", script],
      {
        cwd: path.resolve(import.meta.dirname, "../.."),
        env: { ...process.env, NODE_OPTIONS: "--disallow-code-generation-from-strings" },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as {
      canCompile: boolean;
      reason: string | null;
      good: unknown;
      bad: boolean;
    };
    expect(out).toEqual({
      canCompile: false,
      reason: "code generation is not allowed here",
      good: { ok: true, value: { data: "x" } },
      bad: false,
    });
  }, 60_000); // a fresh Node with the TypeScript loader: seconds on a loaded machine
});

/** The zod walker's table: each row's children, roles and accesses, and the facts readers take from it. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as zm from "zod/mini";
import type { Schema } from "../contract";
import {
  type ZodChild,
  ZOD_KINDS,
  arbitraryKeysItself,
  changesTypeItself,
  checksOf,
  childrenOf,
  instanceClass,
  keyFlags,
  kindOf,
  ruleOf,
} from "./zod-kinds";

/** Follows a child's `access` from its parent's `_zod`: it must lead to the child itself. */
function follow(parent: Schema, child: ZodChild): unknown {
  let at: unknown = (parent as unknown as { _zod: unknown })._zod;
  for (const key of child.access) at = (at as Record<string | number, unknown>)[key];
  return at;
}

const summary = (schema: Schema) => childrenOf(schema).map((c) => [c.role, c.key, kindOf(c.schema)]);

describe("the zod walker's rows", () => {
  const lazy = z.lazy(() => z.string());
  const table: Array<[string, Schema, Array<[string, string | number | undefined, string | undefined]>]> = [
    [
      "object (with a catchall)",
      z.object({ a: z.string(), b: z.number() }).catchall(z.boolean()),
      [
        ["entry", "a", "string"],
        ["entry", "b", "number"],
        ["catchall", undefined, "boolean"],
      ],
    ],
    [
      "strict object: a catchall of never",
      z.strictObject({ a: z.string() }),
      [
        ["entry", "a", "string"],
        ["catchall", undefined, "never"],
      ],
    ],
    ["array", z.array(z.string()), [["element", undefined, "string"]]],
    [
      "tuple with a rest",
      z.tuple([z.string(), z.number()]).rest(z.boolean()),
      [
        ["item", 0, "string"],
        ["item", 1, "number"],
        ["rest", undefined, "boolean"],
      ],
    ],
    [
      "union",
      z.union([z.string(), z.null()]),
      [
        ["option", 0, "string"],
        ["option", 1, "null"],
      ],
    ],
    [
      "intersection",
      z.intersection(z.object({}), z.string()),
      [
        ["left", undefined, "object"],
        ["right", undefined, "string"],
      ],
    ],
    [
      "record",
      z.record(z.string(), z.number()),
      [
        ["key", undefined, "string"],
        ["value", undefined, "number"],
      ],
    ],
    [
      "pipe",
      z.string().pipe(z.coerce.number()),
      [
        ["in", undefined, "string"],
        ["out", undefined, "number"],
      ],
    ],
    [
      "transform (.transform(): a pipe into a transform)",
      z.string().transform((s) => s.length),
      [
        ["in", undefined, "string"],
        ["out", undefined, "transform"],
      ],
    ],
    ["lazy", lazy, [["inner", undefined, "string"]]],
    ["optional", z.string().optional(), [["inner", undefined, "string"]]],
    ["nullable", z.string().nullable(), [["inner", undefined, "string"]]],
    ["default", z.string().default("x"), [["inner", undefined, "string"]]],
    ["prefault", z.string().prefault("x"), [["inner", undefined, "string"]]],
    ["catch", z.string().catch("x"), [["inner", undefined, "string"]]],
    ["readonly", z.array(z.string()).readonly(), [["inner", undefined, "array"]]],
    ["nonoptional", z.string().optional().nonoptional(), [["inner", undefined, "optional"]]],
    ["a scalar holds nothing", z.string(), []],
    ["an enum holds nothing", z.enum(["a", "b"]), []],
  ];
  it.each(table)("%s", (_name, schema, want) => {
    expect(summary(schema)).toEqual(want);
    for (const child of childrenOf(schema)) expect(follow(schema, child)).toBe(child.schema);
  });

  it("reads zod/mini's schemas the same way", () => {
    const mini = zm.object({ a: zm.optional(zm.string()), b: zm.array(zm.number()) });
    expect(summary(mini)).toEqual([
      ["entry", "a", "optional"],
      ["entry", "b", "array"],
    ]);
    expect(summary(childrenOf(mini)[0]!.schema)).toEqual([["inner", undefined, "string"]]);
  });

  it("a value that is not a zod schema has no kind and no children", () => {
    expect(kindOf({})).toBeUndefined();
    expect(kindOf(undefined)).toBeUndefined();
    expect(childrenOf({} as Schema)).toEqual([]);
    expect(ruleOf("string")).toEqual({});
  });

  /**
   * Every def field that holds schemas is walked, for every kind a sample of it is given here (a control: a
   * kind whose row is missing or forgets a field fails). Kinds the generator refuses and the guard treats as
   * holding no object keys (a Map, a Set, a promise, a template literal) are the only ones left out.
   */
  it("walks every schema a def holds, except in the kinds it leaves out on purpose", () => {
    const NOT_WALKED = new Set(["map", "set", "promise", "template_literal"]);
    const samples: Schema[] = [
      z.object({ a: z.string() }).catchall(z.number()),
      z.array(z.string()),
      z.tuple([z.string()]).rest(z.number()),
      z.union([z.string(), z.number()]),
      z.discriminatedUnion("k", [z.object({ k: z.literal("a") }), z.object({ k: z.literal("b") })]),
      z.intersection(z.string(), z.number()),
      z.record(z.string(), z.number()),
      z.partialRecord(z.enum(["a"]), z.number()),
      z.string().pipe(z.string()),
      z.codec(z.string(), z.number(), { decode: Number, encode: String }),
      z.preprocess((v) => v, z.string()),
      z.lazy(() => z.string()),
      z.string().optional(),
      z.string().nullable(),
      z.string().default(""),
      z.string().prefault(""),
      z.string().catch(""),
      z.string().readonly(),
      z.string().optional().nonoptional(),
      z.success(z.string()),
      z.map(z.string(), z.number()),
      z.set(z.string()),
      z.promise(z.string()),
      z.templateLiteral([z.string()]),
    ];
    const isSchema = (v: unknown) => kindOf(v) !== undefined;
    for (const schema of samples) {
      const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
      const held = Object.entries(def)
        .filter(([field]) => field !== "checks")
        .flatMap(([, v]) =>
          isSchema(v)
            ? [v]
            : Array.isArray(v)
              ? v.filter(isSchema)
              : typeof v === "object" && v !== null && !isSchema(v)
                ? Object.values(v).filter(isSchema)
                : [],
        );
      const walked = childrenOf(schema).map((c) => c.schema);
      if (kindOf(schema) === "lazy") {
        expect(walked).toHaveLength(1);
        continue;
      }
      if (NOT_WALKED.has(kindOf(schema)!)) {
        expect(walked, kindOf(schema)).toEqual([]);
        expect(held.length, `${kindOf(schema)} holds schemas`).toBeGreaterThan(0);
        continue;
      }
      expect(new Set(walked), kindOf(schema)).toEqual(new Set(held));
    }
  });
});

describe("the facts readers take from the table", () => {
  it("wrappers are the kinds that stand for their inner schema's value", () => {
    const wrappers = Object.entries(ZOD_KINDS)
      .filter(([, rule]) => rule.wrapper)
      .map(([kind]) => kind);
    expect(wrappers.sort()).toEqual(
      ["catch", "default", "nonoptional", "nullable", "optional", "prefault", "readonly", "success"].sort(),
    );
    expect(ruleOf(z.lazy(() => z.string())).wrapper).toBeUndefined();
  });

  it("the kinds JSON cannot carry", () => {
    const notJson = Object.entries(ZOD_KINDS)
      .filter(([, rule]) => rule.notJson)
      .map(([kind]) => kind);
    expect(notJson.sort()).toEqual(
      [
        "bigint",
        "custom",
        "date",
        "file",
        "function",
        "map",
        "nan",
        "promise",
        "set",
        "symbol",
        "undefined",
        "void",
      ].sort(),
    );
    expect(ruleOf(z.date()).notJson).toBe(true);
    expect(ruleOf(z.string()).notJson).toBeUndefined();
  });

  it("input and output differ on a schema's own account: defaults, pipes, transforms, coercion", () => {
    expect(changesTypeItself(z.string().default("x"))).toBe(true);
    expect(changesTypeItself(z.string().prefault("x"))).toBe(true);
    expect(changesTypeItself(z.string().pipe(z.string()))).toBe(true);
    expect(changesTypeItself(z.transform((v: unknown) => v))).toBe(true);
    expect(changesTypeItself(z.coerce.number())).toBe(true);
    expect(changesTypeItself(z.number())).toBe(false);
    // Only on its own account: an object holding a default is the reader's question (print-type's `differs`).
    expect(changesTypeItself(z.object({ a: z.string().default("x") }))).toBe(false);
    expect(changesTypeItself(z.string().optional())).toBe(false);
  });

  it("which kinds may carry keys the schema does not name", () => {
    const keys = arbitraryKeysItself;
    expect(keys(z.record(z.string(), z.string()))).toBe(true);
    expect(keys(z.looseObject({}))).toBe(true);
    expect(keys(z.unknown())).toBe(true);
    expect(keys(z.object({}))).toBe(false);
    expect(keys(z.strictObject({}))).toBe(false);
    expect(keys(z.array(z.unknown()))).toBe(false); // its element does: the guard walks on
  });

  it("checks, key flags and instanceof classes", () => {
    expect(checksOf(z.string().min(1).trim()).map((c) => c["check"])).toEqual(["min_length", "overwrite"]);
    expect(checksOf(z.string())).toEqual([]);
    const flags = (s: Schema) => ({ in: keyFlags(s).optin, out: keyFlags(s).optout });
    expect(flags(z.string().optional())).toEqual({ in: "optional", out: "optional" });
    expect(flags(z.string().default("x"))).toEqual({ in: "defaulted", out: undefined });
    expect(flags(z.string())).toEqual({ in: undefined, out: undefined });
    expect(instanceClass(z.instanceof(Uint8Array))).toBe(Uint8Array);
    expect(instanceClass(z.string())).toBeUndefined();
  });
});

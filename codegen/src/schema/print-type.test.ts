/** One row per zod construct → the TypeScript the printer writes, for output and input. Then the refusals. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Schema } from "@iocontract/runtime/contract";
import { CodegenError, type Where } from "../errors";
import { TypePrinter, docLines } from "./print-type";

const where: Where = { contract: "t", namespace: "/", direction: "clientToServer", event: "e", part: "payload" };
const printer = () => new TypePrinter(new Map());

const Named = z.object({ id: z.string() });
enum NumericEnum {
  Up,
  Down,
}
enum StringEnum {
  Up = "up",
  Down = "down",
}
const NamedWithDefault = z.object({ n: z.number().default(1) });

const cases: Array<[string, { given: Schema; want: string; wantInput?: string; names?: Map<Schema, string> }]> = [
  ["string", { given: z.string(), want: "string" }],
  ["string with checks", { given: z.string().min(1).max(3).trim(), want: "string" }],
  ["email format", { given: z.email(), want: "string" }],
  ["number", { given: z.number(), want: "number" }],
  ["int", { given: z.int(), want: "number" }],
  ["boolean", { given: z.boolean(), want: "boolean" }],
  ["null", { given: z.null(), want: "null" }],
  ["unknown", { given: z.unknown(), want: "unknown" }],
  ["never", { given: z.never(), want: "never" }],
  ["string literal", { given: z.literal("a"), want: '"a"' }],
  ["several literals", { given: z.literal(["a", 1, true, null]), want: '"a" | 1 | true | null' }],
  ["enum", { given: z.enum(["x", "y"]), want: '"x" | "y"' }],
  ["enum from a TS-like object", { given: z.enum({ A: "a", B: "b" } as const), want: '"a" | "b"' }],
  ["optional", { given: z.string().optional(), want: "string | undefined" }],
  ["nullable", { given: z.string().nullable(), want: "string | null" }],
  ["nullish", { given: z.string().nullish(), want: "string | null | undefined" }],
  ["default", { given: z.string().default("x"), want: "string", wantInput: "string | undefined" }],
  ["optional then default", { given: z.string().optional().default("x"), want: "string", wantInput: "string | undefined" }],
  ["prefault", { given: z.string().prefault("x"), want: "string", wantInput: "string | undefined" }],
  ["catch", { given: z.number().catch(0), want: "number" }],
  ["array", { given: z.array(z.string()), want: "string[]" }],
  ["array of a union", { given: z.array(z.union([z.string(), z.number()])), want: "(string | number)[]" }],
  ["readonly array", { given: z.array(z.string()).readonly(), want: "readonly string[]" }],
  ["array of readonly arrays", { given: z.array(z.array(z.string()).readonly()), want: "(readonly string[])[]" }],
  ["tuple", { given: z.tuple([z.string(), z.number()]), want: "[string, number]" }],
  ["tuple with rest", { given: z.tuple([z.string()], z.number()), want: "[string, ...number[]]" }],
  ["tuple with an optional item", { given: z.tuple([z.string(), z.number().optional()]), want: "[string, (number | undefined)?]" }],
  ["union", { given: z.union([z.string(), z.number()]), want: "string | number" }],
  [
    "discriminated union",
    {
      given: z.discriminatedUnion("k", [z.object({ k: z.literal("a") }), z.object({ k: z.literal("b"), n: z.number() })]),
      want: '{\n  k: "a";\n} | {\n  k: "b";\n  n: number;\n}',
    },
  ],
  ["intersection", { given: z.intersection(z.object({ a: z.string() }), z.object({ b: z.number() })), want: "{\n  a: string;\n} & {\n  b: number;\n}" }],
  ["record", { given: z.record(z.string(), z.number()), want: "Record<string, number>" }],
  ["record with enum keys", { given: z.record(z.enum(["a", "b"]), z.boolean()), want: 'Record<"a" | "b", boolean>' }],
  ["object", { given: z.object({ a: z.string(), b: z.number().optional() }), want: "{\n  a: string;\n  b?: number | undefined;\n}" }],
  ["object with a default", { given: z.object({ n: z.number().default(1) }), want: "{\n  n: number;\n}", wantInput: "{\n  n?: number | undefined;\n}" }],
  ["empty object", { given: z.object({}), want: "{}" }],
  ["quoted keys", { given: z.object({ "a-b": z.string(), "with space": z.string() }), want: '{\n  "a-b": string;\n  "with space": string;\n}' }],
  ["loose object", { given: z.looseObject({ a: z.string() }), want: "{\n  a: string;\n  [key: string]: unknown;\n}" }],
  ["strict object", { given: z.strictObject({ a: z.string() }), want: "{\n  a: string;\n}" }],
  ["readonly object", { given: z.object({ a: z.string() }).readonly(), want: "Readonly<{\n  a: string;\n}>" }],
  ["nested object", { given: z.object({ o: z.object({ p: z.string() }) }), want: "{\n  o: {\n    p: string;\n  };\n}" }],
  ["described field", { given: z.object({ a: z.string().describe("An a.") }), want: "{\n  /** An a. */\n  a: string;\n}" }],
  ["lazy", { given: z.lazy(() => z.string()), want: "string" }],
  ["coerce", { given: z.coerce.number(), want: "number", wantInput: "unknown" }],
  ["pipe into a schema", { given: z.string().pipe(z.coerce.number()), want: "number", wantInput: "string" }],
  ["transform with a declared type", { given: z.string().transform((s) => s.length).meta({ tsType: "number" }), want: "number", wantInput: "string" }],
  ["custom with a declared type", { given: z.custom<Uint8Array>().meta({ tsType: "Uint8Array" }), want: "Uint8Array" }],
  ["literals that look like type syntax stay whole", { given: z.array(z.enum(["<", ">", "|"])), want: '("<" | ">" | "|")[]' }],
  ["a brace literal in a union inside an array", { given: z.array(z.union([z.literal("{"), z.number()])), want: '("{" | number)[]' }],
  ["a literal containing ' | ' is not split", { given: z.literal("x | a | a | y"), want: '"x | a | a | y"' }],
  ["a numeric TS enum: values only, not its reverse mapping", { given: z.enum(NumericEnum), want: "0 | 1" }],
  ["a string TS enum", { given: z.enum(StringEnum), want: '"up" | "down"' }],
  ["partial record", { given: z.partialRecord(z.enum(["a", "b"]), z.number()), want: 'Partial<Record<"a" | "b", number>>' }],
  ["array of a declared function type", { given: z.array(z.custom().meta({ tsType: "() => void" })), want: "(() => void)[]" }],
  ["a description that would end the comment", { given: z.object({ a: z.string().describe("src/**/*.ts */") }), want: "{\n  /** src/**\\/*.ts *\\/ */\n  a: string;\n}" }],
  ["a named schema is a reference", { given: z.array(Named), want: "Named[]", names: new Map([[Named, "Named"]]) }],
  [
    "a named schema whose input differs is referenced by its Input twin",
    { given: z.array(NamedWithDefault), want: "N[]", wantInput: "NInput[]", names: new Map<Schema, string>([[NamedWithDefault, "N"]]) },
  ],
];

describe("TypePrinter: one row per construct", () => {
  it.each(cases)("%s", (_name, { given, want, wantInput, names }) => {
    const p = names ? new TypePrinter(names) : printer();
    expect(p.print(given, "output", where)).toBe(want);
    expect(p.print(given, "input", where)).toBe(wantInput ?? want);
    expect(p.differs(given)).toBe(wantInput !== undefined && wantInput !== want);
  });
});

const refusals: Array<[string, { given: Schema; want: RegExp }]> = [
  ["z.any()", { given: z.object({ a: z.any() }), want: /payload\.a: z\.any\(\) would print `any`: use z\.unknown\(\)/ }],
  ["z.date()", { given: z.object({ when: z.date() }), want: /payload\.when: a Date does not survive JSON: use z\.iso\.datetime\(\)/ }],
  ["z.bigint()", { given: z.object({ n: z.bigint() }), want: /payload\.n: a bigint does not survive JSON/ }],
  ["z.map()", { given: z.map(z.string(), z.string()), want: /payload: a Map does not survive JSON/ }],
  ["z.set()", { given: z.array(z.set(z.string())), want: /payload\[0\]: a Set does not survive JSON/ }],
  ["z.symbol()", { given: z.symbol(), want: /a symbol cannot be sent/ }],
  ["z.nan()", { given: z.nan(), want: /NaN does not survive JSON/ }],
  ["z.promise()", { given: z.promise(z.string()), want: /a promise cannot be sent/ }],
  ["z.void()", { given: z.void(), want: /z\.void\(\) is not a payload/ }],
  ["z.custom() without a declared type", { given: z.object({ c: z.custom() }), want: /payload\.c: z\.custom\(\) has no type the generator can see: declare it with `\.meta\(\{ tsType/ }],
  ["a transform without a declared type", { given: z.object({ t: z.string().transform((s) => s.length) }), want: /payload\.t: the output type of this transform is unknown/ }],
  ["catchall of another schema", { given: z.object({ a: z.string() }).catchall(z.number()), want: /\.catchall\(\) with a schema other than z\.unknown\(\) is not supported/ }],
  ["template literal", { given: z.templateLiteral(["a", z.number()]), want: /template literal types are not supported yet/ }],
];

describe("TypePrinter: what it refuses, naming contract, namespace, event and field", () => {
  it.each(refusals)("%s", (_name, { given, want }) => {
    const attempt = () => printer().print(given, "output", where);
    expect(attempt).toThrowError(CodegenError);
    expect(attempt).toThrowError(/^contract "t", namespace "\/", clientToServer event "e", /);
    expect(attempt).toThrowError(want);
  });

  it("z.function() is refused too", () => {
    const fn = z.function() as unknown as Schema;
    expect(() => printer().print(z.object({ f: fn }), "output", where)).toThrowError(/payload\.f: a function cannot be sent/);
  });
});

describe("docLines", () => {
  it("gives a field's description and its string format", () => {
    expect(docLines(z.email().describe("Where to write.").optional())).toEqual(["Where to write.", "@format email"]);
    expect(docLines(z.string().regex(/^\d{5}$/))).toEqual(["@pattern ^\\d{5}$"]);
    expect(docLines(z.array(z.uuid()))).toEqual(["@format uuid"]);
    expect(docLines(z.string())).toEqual([]);
  });
});

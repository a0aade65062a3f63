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

const isoDate = z.codec(z.iso.datetime(), z.date(), { decode: (s) => new Date(s), encode: (d) => d.toISOString() });
const bigintString = z.codec(z.string().regex(/^-?\d+$/), z.bigint(), {
  decode: (s) => BigInt(s),
  encode: (n) => n.toString(),
});
const bytes = z.codec(z.base64url(), z.instanceof(Uint8Array), {
  decode: (s) => z.util.base64urlToUint8Array(s),
  encode: (b) => z.util.uint8ArrayToBase64url(b),
});
const isoOrEpoch = z.codec(z.union([z.iso.datetime(), z.number()]), z.date(), {
  decode: (v) => new Date(v),
  encode: (d) => d.toISOString(),
});
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
const Json: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(Json), z.record(z.string(), Json)]),
);

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
  [
    "optional then default",
    { given: z.string().optional().default("x"), want: "string", wantInput: "string | undefined" },
  ],
  ["prefault", { given: z.string().prefault("x"), want: "string", wantInput: "string | undefined" }],
  ["catch", { given: z.number().catch(0), want: "number" }],
  ["array", { given: z.array(z.string()), want: "string[]" }],
  ["array of a union", { given: z.array(z.union([z.string(), z.number()])), want: "(string | number)[]" }],
  ["readonly array", { given: z.array(z.string()).readonly(), want: "readonly string[]" }],
  ["array of readonly arrays", { given: z.array(z.array(z.string()).readonly()), want: "(readonly string[])[]" }],
  ["tuple", { given: z.tuple([z.string(), z.number()]), want: "[string, number]" }],
  ["tuple with rest", { given: z.tuple([z.string()], z.number()), want: "[string, ...number[]]" }],
  [
    "tuple with an optional item",
    { given: z.tuple([z.string(), z.number().optional()]), want: "[string, (number | undefined)?]" },
  ],
  ["union", { given: z.union([z.string(), z.number()]), want: "string | number" }],
  [
    "discriminated union",
    {
      given: z.discriminatedUnion("k", [
        z.object({ k: z.literal("a") }),
        z.object({ k: z.literal("b"), n: z.number() }),
      ]),
      want: '{\n  k: "a";\n} | {\n  k: "b";\n  n: number;\n}',
    },
  ],
  [
    "intersection",
    {
      given: z.intersection(z.object({ a: z.string() }), z.object({ b: z.number() })),
      want: "{\n  a: string;\n} & {\n  b: number;\n}",
    },
  ],
  ["record", { given: z.record(z.string(), z.number()), want: "{ [key: string]: number }" }],
  ["record with enum keys", { given: z.record(z.enum(["a", "b"]), z.boolean()), want: 'Record<"a" | "b", boolean>' }],
  [
    "object",
    {
      given: z.object({ a: z.string(), b: z.number().optional() }),
      want: "{\n  a: string;\n  b?: number | undefined;\n}",
    },
  ],
  [
    "object with a default",
    {
      given: z.object({ n: z.number().default(1) }),
      want: "{\n  n: number;\n}",
      wantInput: "{\n  n?: number | undefined;\n}",
    },
  ],
  ["empty object", { given: z.object({}), want: "Record<string, never>" }],
  ["empty strict object", { given: z.strictObject({}), want: "Record<string, never>" }],
  [
    "quoted keys",
    {
      given: z.object({ "a-b": z.string(), "with space": z.string() }),
      want: '{\n  "a-b": string;\n  "with space": string;\n}',
    },
  ],
  ["loose object", { given: z.looseObject({ a: z.string() }), want: "{\n  a: string;\n  [key: string]: unknown;\n}" }],
  ["strict object", { given: z.strictObject({ a: z.string() }), want: "{\n  a: string;\n}" }],
  ["readonly object", { given: z.object({ a: z.string() }).readonly(), want: "Readonly<{\n  a: string;\n}>" }],
  [
    "nested object",
    { given: z.object({ o: z.object({ p: z.string() }) }), want: "{\n  o: {\n    p: string;\n  };\n}" },
  ],
  [
    "described field",
    { given: z.object({ a: z.string().describe("An a.") }), want: "{\n  /** An a. */\n  a: string;\n}" },
  ],
  ["lazy", { given: z.lazy(() => z.string()), want: "string" }],
  ["coerce", { given: z.coerce.number(), want: "number", wantInput: "unknown" }],
  ["pipe into a schema", { given: z.string().pipe(z.coerce.number()), want: "number", wantInput: "string" }],
  [
    "transform with a declared type",
    {
      given: z
        .string()
        .transform((s) => s.length)
        .meta({ tsType: "number" }),
      want: "number",
      wantInput: "string",
    },
  ],
  ["custom with a declared type", { given: z.custom<Uint8Array>().meta({ tsType: "Uint8Array" }), want: "Uint8Array" }],
  [
    "literals that look like type syntax stay whole",
    { given: z.array(z.enum(["<", ">", "|"])), want: '("<" | ">" | "|")[]' },
  ],
  [
    "a brace literal in a union inside an array",
    { given: z.array(z.union([z.literal("{"), z.number()])), want: '("{" | number)[]' },
  ],
  ["a literal containing ' | ' is not split", { given: z.literal("x | a | a | y"), want: '"x | a | a | y"' }],
  ["a numeric TS enum: values only, not its reverse mapping", { given: z.enum(NumericEnum), want: "0 | 1" }],
  ["a string TS enum", { given: z.enum(StringEnum), want: '"up" | "down"' }],
  [
    "partial record",
    { given: z.partialRecord(z.enum(["a", "b"]), z.number()), want: 'Partial<Record<"a" | "b", number>>' },
  ],
  [
    "array of a declared function type",
    { given: z.array(z.custom().meta({ tsType: "() => void" })), want: "(() => void)[]" },
  ],
  [
    "a description that would end the comment",
    {
      given: z.object({ a: z.string().describe("src/**/*.ts */") }),
      want: "{\n  /** src/**\\/*.ts *\\/ */\n  a: string;\n}",
    },
  ],
  // Codecs: what travels is the input, what a receiver gets the output (model.ts: an event's sender writes the output).
  ["codec ISO string -> Date", { given: isoDate, want: "Date", wantInput: "string" }],
  ["codec string -> bigint", { given: bigintString, want: "bigint", wantInput: "string" }],
  ["codec base64url -> Uint8Array", { given: bytes, want: "InstanceType<typeof Uint8Array>", wantInput: "string" }],
  ["codec ISO string or epoch ms -> Date", { given: isoOrEpoch, want: "Date", wantInput: "string | number" }],
  [
    "codec in an object",
    {
      given: z.object({ at: isoDate.optional() }),
      want: "{\n  at?: Date | undefined;\n}",
      wantInput: "{\n  at?: string | undefined;\n}",
    },
  ],
  // Coercion: zod types the input `unknown`; a sender writes what JSON carries and the coercion accepts.
  ["coerce.date", { given: z.coerce.date(), want: "Date", wantInput: "string | number | Date" }],
  ["coerce.bigint", { given: z.coerce.bigint(), want: "bigint", wantInput: "string | number" }],
  [
    "a transform piped into z.date()",
    {
      given: z
        .string()
        .transform((s) => new Date(s))
        .pipe(z.date()),
      want: "Date",
      wantInput: "string",
    },
  ],
  // z.preprocess(): zod types the key as required (its input `unknown`), although a missing key passes at run time.
  [
    "preprocess field",
    {
      given: z.object({ n: z.preprocess((v) => Number(v), z.number()) }),
      want: "{\n  n: number;\n}",
      wantInput: "{\n  n: unknown;\n}",
    },
  ],
  ["a named schema is a reference", { given: z.array(Named), want: "Named[]", names: new Map([[Named, "Named"]]) }],
  [
    "a named schema whose input differs is referenced by its Input twin",
    {
      given: z.array(NamedWithDefault),
      want: "N[]",
      wantInput: "NInput[]",
      names: new Map<Schema, string>([[NamedWithDefault, "N"]]),
    },
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

const refusals: Array<[string, { given: Schema; want: RegExp; mode?: "input" }]> = [
  [
    "z.any()",
    {
      given: z.object({ a: z.any() }),
      want: /payload\.a: z\.any\(\) would print `any`: use z\.unknown\(\).*or set `allowAny: true`/,
    },
  ],
  // A Date or a bigint may be what a receiver gets, never what travels: refused on the input (wire) side.
  [
    "z.date()",
    {
      given: z.object({ when: z.date() }),
      mode: "input",
      want: /payload\.when: a Date does not travel as JSON: send an ISO string and receive a Date with a codec, `z\.codec\(z\.iso\.datetime\(\), z\.date\(\)/,
    },
  ],
  [
    "z.bigint()",
    {
      given: z.object({ n: z.bigint() }),
      mode: "input",
      want: /payload\.n: a bigint does not travel as JSON: .*z\.codec\(z\.string\(\).*z\.bigint\(\)/,
    },
  ],
  [
    "z.instanceof(Uint8Array) as a wire type",
    {
      given: z.instanceof(Uint8Array),
      mode: "input",
      want: /a Uint8Array does not travel as JSON: .*z\.codec\(z\.base64url\(\), z\.instanceof\(Uint8Array\)/,
    },
  ],
  [
    "a codec whose wire side is a Date",
    {
      given: z.codec(z.date(), z.string(), { decode: (d) => d.toISOString(), encode: (s) => new Date(s) }),
      mode: "input",
      want: /a Date does not travel as JSON/,
    },
  ],
  [
    "an async refinement",
    {
      given: z.object({ name: z.string().refine(async (s) => s.length > 0) }),
      want: /payload\.name: a refinement is async, and iocontract validates synchronously/,
    },
  ],
  [
    "an async transform",
    {
      given: z.object({
        n: z
          .string()
          .transform(async (s) => s.length)
          .meta({ tsType: "number" }),
      }),
      want: /payload\.n: this transform is async/,
    },
  ],
  ["z.map()", { given: z.map(z.string(), z.string()), want: /payload: a Map does not survive JSON/ }],
  ["z.set()", { given: z.array(z.set(z.string())), want: /payload\[0\]: a Set does not survive JSON/ }],
  ["z.symbol()", { given: z.symbol(), want: /a symbol cannot be sent/ }],
  ["z.nan()", { given: z.nan(), want: /NaN does not survive JSON/ }],
  ["z.promise()", { given: z.promise(z.string()), want: /a promise cannot be sent/ }],
  ["z.void()", { given: z.void(), want: /z\.void\(\) is not a payload/ }],
  [
    "z.custom() without a declared type",
    {
      given: z.object({ c: z.custom() }),
      want: /payload\.c: z\.custom\(\) has no type the generator can see: declare it with `\.meta\(\{ tsType/,
    },
  ],
  [
    "a transform without a declared type",
    {
      given: z.object({ t: z.string().transform((s) => s.length) }),
      want: /payload\.t: the output type of this transform is unknown/,
    },
  ],
  [
    "catchall of another schema",
    {
      given: z.object({ a: z.string() }).catchall(z.number()),
      want: /\.catchall\(\) with a schema other than z\.unknown\(\) is not supported/,
    },
  ],
  [
    "template literal",
    { given: z.templateLiteral(["a", z.number()]), want: /template literal types are not supported yet/ },
  ],
];

describe("TypePrinter: what it refuses, naming contract, namespace, event and field", () => {
  it.each(refusals)("%s", (_name, { given, want, mode }) => {
    const attempt = () => printer().print(given, mode ?? "output", where);
    expect(attempt).toThrowError(CodegenError);
    expect(attempt).toThrowError(/^contract "t", namespace "\/", clientToServer event "e", /);
    expect(attempt).toThrowError(want);
  });

  it("a JSON value, recursive through z.lazy and named, prints as an alias tsc accepts (index signature, not Record)", () => {
    const p = new TypePrinter(new Map<Schema, string>([[Json, "Json"]]));
    expect(p.print(Json, "output", where, "", Json)).toBe(
      "string | number | boolean | null | Json[] | { [key: string]: Json }",
    );
    expect(p.print(z.array(Json), "output", where)).toBe("Json[]");
  });

  it("a Date, a bigint or a Uint8Array prints on the receiver's (output) side", () => {
    expect(printer().print(z.date(), "output", where)).toBe("Date");
    expect(printer().print(z.bigint(), "output", where)).toBe("bigint");
    expect(printer().print(z.instanceof(Uint8Array), "output", where)).toBe("InstanceType<typeof Uint8Array>");
    expect(printer().print(z.instanceof(URL), "output", where)).toBe("URL");
  });

  it("z.any() prints as unknown with allowAny, noted as a caveat (and is refused without it: the row above)", () => {
    const p = new TypePrinter(new Map(), { allowAny: true });
    expect(p.print(z.object({ a: z.any() }), "output", where)).toBe(
      "{\n  /** `z.any()` in the contract: anything passes; printed as `unknown` (allowAny). */\n  a: unknown;\n}",
    );
    expect([...p.caveats.values()]).toEqual([
      { where: { ...where, path: ["a"] }, note: "z.any() prints as `unknown` (allowAny)" },
    ]);
  });

  it("a synchronous refinement prints, with a caveat", () => {
    const p = printer();
    expect(p.print(z.object({ n: z.number().refine((n) => n % 2 === 0) }), "output", where)).toBe("{\n  n: number;\n}");
    expect([...p.caveats.values()].map((c) => [c.where.path, c.note])).toEqual([
      [["n"], "a refinement (.refine/.superRefine/.check) that the type does not express"],
    ]);
  });

  it("z.function() is refused too", () => {
    const fn = z.function() as unknown as Schema;
    expect(() => printer().print(z.object({ f: fn }), "output", where)).toThrowError(
      /payload\.f: a function cannot be sent/,
    );
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

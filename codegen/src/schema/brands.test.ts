/** Reading brands out of the compiler's type text (brands.ts): what a schema carries as a whole. */
import { describe, expect, it } from "vitest";
import { brandsOf, normalizeBrands } from "./brands";

describe("brandsOf", () => {
  it.each([
    ["a branded string", 'string & $brand<"UserId">', ['$brand<"UserId">']],
    ["two brands", 'string & $brand<"A"> & $brand<"B">', ['$brand<"A">', '$brand<"B">']],
    [
      "a union spread by the compiler: the brand every member has",
      '(string & $brand<"T">) | (number & $brand<"T">)',
      ['$brand<"T">'],
    ],
    ["a boolean brand, spread over false and true", '(false & $brand<"F">) | (true & $brand<"F">)', ['$brand<"F">']],
    [
      "branded members with different brands: none for the whole",
      '(string & $brand<"UserId">) | (string & $brand<"SessionId">)',
      [],
    ],
    ["an optional branded string: none for the whole", '(string & $brand<"UserId">) | undefined', []],
    ["a parenthesized union, branded", '(string | number) & $brand<"T">', ['$brand<"T">']],
    ["an array of branded strings: none for the array", '(string & $brand<"UserId">)[]', []],
    ["an object with a branded member: none for the object", '{ id: string & $brand<"UserId">; }', []],
    ["a brand literal containing ' | ' and ' & '", 'string & $brand<"a | b & c">', ['$brand<"a | b & c">']],
    ["no brand", "string", []],
  ])("%s", (_name, text, want) => {
    expect(brandsOf(text)).toEqual(want);
  });
});

describe("normalizeBrands", () => {
  it("writes zod's brand type as generated code imports it, however the compiler qualified it", () => {
    expect(normalizeBrands('string & z.$brand<"A"> & z.core.$brand<"B"> & import("/x/zod").$brand<"C">')).toBe(
      'string & $brand<"A"> & $brand<"B"> & $brand<"C">',
    );
  });
});

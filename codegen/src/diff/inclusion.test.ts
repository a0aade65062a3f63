/** The inclusion check on hand-written JSON Schemas: each rule, both ways where the answer differs. */
import { describe, expect, it } from "vitest";
import type { JsonSchema } from "../json-schema.js";
import { accepts, includes } from "./inclusion.js";

const v = (sub: JsonSchema, sup: JsonSchema) => includes(sub, sup).verdict;

describe("includes(sender, receiver)", () => {
  it("types: integer fits number, not the reverse; a union of types splits", () => {
    expect(v({ type: "integer" }, { type: "number" })).toBe("safe");
    expect(v({ type: "number" }, { type: "integer" })).toBe("breaking");
    expect(v({ type: ["string", "null"] }, { type: "string" })).toBe("breaking");
    expect(v({ type: "string" }, { type: ["string", "null"] })).toBe("safe");
  });

  it("const and enum values are checked one by one against the receiver", () => {
    expect(v({ enum: ["a", "b"] }, { type: "string", enum: ["a", "b", "c"] })).toBe("safe");
    expect(includes({ enum: ["a", "d"] }, { type: "string", enum: ["a", "b"] })).toMatchObject({
      verdict: "breaking",
      reason: expect.stringContaining('"d"'),
    });
    expect(v({ type: "string" }, { enum: ["a"] })).toBe("breaking");
    expect(v({ const: 3 }, { type: "integer", minimum: 0 })).toBe("safe");
  });

  it("number bounds, exclusive bounds and multipleOf", () => {
    expect(v({ type: "number", minimum: 1, maximum: 5 }, { type: "number", minimum: 0, maximum: 10 })).toBe("safe");
    expect(v({ type: "number", minimum: 0 }, { type: "number", exclusiveMinimum: 0 })).toBe("breaking");
    expect(v({ type: "number", exclusiveMinimum: 0 }, { type: "number", minimum: 0 })).toBe("safe");
    expect(v({ type: "integer", multipleOf: 4 }, { type: "integer", multipleOf: 2 })).toBe("safe");
    expect(v({ type: "integer", multipleOf: 2 }, { type: "integer", multipleOf: 4 })).toBe("breaking");
  });

  it("string lengths; a pattern the sender lacks breaks, a different pattern cannot be proved", () => {
    expect(v({ type: "string", minLength: 2, maxLength: 5 }, { type: "string", minLength: 1, maxLength: 9 })).toBe(
      "safe",
    );
    expect(v({ type: "string" }, { type: "string", pattern: "^a$" })).toBe("breaking");
    expect(v({ type: "string", pattern: "^a$" }, { type: "string", pattern: "^a+$" })).toBe("unknown");
    expect(v({ type: "string", pattern: "^a$" }, { type: "string", pattern: "^a$" })).toBe("safe");
  });

  it("objects: required fields, unknown fields against a closed receiver, open senders (records)", () => {
    const recv = { type: "object", properties: { a: { type: "string" } }, required: ["a"] };
    expect(includes({ type: "object", properties: {} }, recv)).toEqual({
      verdict: "breaking",
      path: "a",
      reason: "senders do not send `a`; the receiver requires it",
    });
    expect(includes({ type: "object", properties: { a: { type: "string" } } }, recv)).toMatchObject({
      verdict: "breaking",
      reason: "senders may omit `a`; the receiver requires it",
    });
    expect(
      v({ type: "object", properties: { a: { type: "string" }, b: { type: "number" } }, required: ["a"] }, recv),
    ).toBe("safe");
    expect(
      v(
        { type: "object", properties: { a: { type: "string" }, b: { type: "number" } }, required: ["a"] },
        { ...recv, additionalProperties: false },
      ),
    ).toBe("breaking");
    const record = { type: "object", propertyNames: { type: "string" }, additionalProperties: { type: "integer" } };
    expect(v(record, { type: "object", additionalProperties: { type: "number" } })).toBe("safe");
    expect(v(record, { type: "object", additionalProperties: false })).toBe("breaking");
    expect(
      v(record, {
        type: "object",
        propertyNames: { type: "string", maxLength: 3 },
        additionalProperties: { type: "number" },
      }),
    ).toBe("breaking");
  });

  it("unions on either side, discriminated unions name the matching branch", () => {
    const text = {
      type: "object",
      properties: { k: { const: "text" }, text: { type: "string" } },
      required: ["k", "text"],
    };
    const img = {
      type: "object",
      properties: { k: { const: "img" }, url: { type: "string" } },
      required: ["k", "url"],
    };
    const img2 = { ...img, properties: { ...img.properties, alt: { type: "string" } }, required: ["k", "url", "alt"] };
    expect(v({ oneOf: [text, img] }, { oneOf: [img, text] })).toBe("safe");
    expect(includes({ oneOf: [text, img] }, { oneOf: [text, img2] })).toMatchObject({
      verdict: "breaking",
      path: "(option 1).alt",
    });
    expect(v({ anyOf: [{ type: "string" }, { type: "null" }] }, { type: ["string", "null"] })).toBe("safe");
  });

  it("arrays and tuples: bounds, prefix items, rest items", () => {
    expect(
      v(
        { type: "array", items: { type: "integer" }, maxItems: 3 },
        { type: "array", items: { type: "number" }, maxItems: 5 },
      ),
    ).toBe("safe");
    expect(
      v({ type: "array", items: { type: "integer" } }, { type: "array", items: { type: "number" }, maxItems: 5 }),
    ).toBe("breaking");
    const pair = { type: "array", prefixItems: [{ type: "string" }, { type: "number" }], items: false, minItems: 2 };
    expect(v(pair, { type: "array", items: { type: ["string", "number"] } })).toBe("safe");
    expect(v(pair, { type: "array", prefixItems: [{ type: "string" }, { type: "string" }], minItems: 2 })).toBe(
      "breaking",
    );
  });

  it("recursive schemas ($ref to the root and to $defs) terminate", () => {
    const tree = {
      type: "object",
      properties: { children: { type: "array", items: { $ref: "#" } } },
      required: ["children"],
    };
    expect(v(tree, tree)).toBe("safe");
    const viaDefs = {
      $ref: "#/$defs/Node",
      $defs: {
        Node: {
          type: "object",
          properties: { next: { $ref: "#/$defs/Node" }, n: { type: "integer" } },
          required: ["n"],
        },
      },
    };
    const loose = {
      $ref: "#/$defs/Node",
      $defs: { Node: { type: "object", properties: { next: { $ref: "#/$defs/Node" }, n: { type: "number" } } } },
    };
    expect(v(viaDefs, loose)).toBe("safe");
    expect(v(loose, viaDefs)).toBe("breaking");
  });

  it("markers: a receiver's refinement turns safe into cannot prove; a sender's turns breaking into cannot prove", () => {
    expect(v({ type: "string" }, { type: "string", "x-iocontract-unprovable": "refinement (custom check)" })).toBe(
      "unknown",
    );
    expect(v({ type: "number" }, { type: "string", "x-iocontract-unprovable": "refinement (custom check)" })).toBe(
      "breaking",
    );
    expect(v({ type: "number", "x-iocontract-unprovable": "refinement (custom check)" }, { type: "integer" })).toBe(
      "unknown",
    );
    expect(v({ type: "integer", "x-iocontract-unprovable": "refinement (custom check)" }, { type: "number" })).toBe(
      "safe",
    );
  });

  it("anything and nothing", () => {
    expect(v({}, { type: "string" })).toBe("breaking");
    expect(v({ type: "string" }, {})).toBe("safe");
    expect(v({ not: {} }, { type: "string" })).toBe("safe");
    expect(v({ type: "string" }, { not: {} })).toBe("breaking");
  });
});

describe("accepts(value, schema)", () => {
  it("says why a value is rejected", () => {
    const s = {
      type: "object",
      properties: { a: { type: "string", maxLength: 2 } },
      required: ["a"],
      additionalProperties: false,
    };
    expect(accepts({ a: "ok" }, s, s)).toBeUndefined();
    expect(accepts({ a: "long" }, s, s)).toEqual({ reason: "the receiver accepts at most 2 characters" });
    expect(accepts({}, s, s)).toEqual({ reason: "the receiver requires `a`" });
    expect(accepts({ a: "x", b: 1 }, s, s)).toEqual({ reason: "the receiver rejects the unknown field `b`" });
  });
});

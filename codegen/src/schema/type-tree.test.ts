/** The type tree's printer: one row per precedence rule, each beside a control that needs no parentheses. */
import { describe, expect, it } from "vitest";
import { brandMarks } from "./brands";
import {
  type TypeNode,
  array,
  foreign,
  intersection,
  keyword,
  literal,
  placeholder,
  printType,
  reference,
  tight,
  union,
} from "./type-tree";

const s = keyword("string");
const n = keyword("number");
const A = reference("A");
const B = reference("B");
const branded = (inner: TypeNode, question = 1): TypeNode => ({ kind: "branded", question, inner });
const marked = (text: string, question = 1) => {
  const { open, close } = brandMarks(question);
  return `${open}${text}${close}`;
};

const rows: Array<[string, TypeNode, string]> = [
  // An array's element: parenthesized below postfix.
  ["a union inside []", array(union(s, n)), "(string | number)[]"],
  ["an intersection inside []", array(intersection(A, B)), "(A & B)[]"],
  ["readonly inside []", array({ kind: "readonly", operand: array(s) }), "(readonly string[])[]"],
  ["control: an array inside []", array(array(s)), "string[][]"],
  ["control: a name inside []", array(A), "A[]"],
  [
    "control: a tuple inside []",
    array({ kind: "tuple", items: [{ type: union(s, n), optional: false }] }),
    "[string | number][]",
  ],
  [
    "control: generic arguments are not parenthesized",
    array(reference("Record", s, union(s, n))),
    "Record<string, string | number>[]",
  ],
  // An intersection's members.
  ["a union inside &", intersection(union(A, B), s), "(A | B) & string"],
  ["an intersection inside & (as written, not flattened)", intersection(intersection(A, B), s), "(A & B) & string"],
  ["control: an array inside &", intersection(array(A), B), "A[] & B"],
  // Unions: flattened, without repeats, never parenthesized inside a union.
  ["a union inside a union is flattened", union(union(A, B), s), "A | B | string"],
  [
    "repeated members are printed once",
    union(union(s, keyword("undefined")), keyword("undefined")),
    "string | undefined",
  ],
  ["an intersection inside a union", union(intersection(A, B), s), "A & B | string"],
  ["a union that is one member after repeats takes that member's precedence", array(union(s, s)), "string[]"],
  ["literals", union(literal('"a"'), literal("1"), literal('"a"')), '"a" | 1'],
  // Tuples: an optional item and the rest element are postfix too.
  [
    "a union as an optional tuple item and as the rest",
    {
      kind: "tuple",
      items: [
        { type: union(s, n), optional: true },
        { type: s, optional: false },
      ],
      rest: union(A, B),
    },
    "[(string | number)?, string, ...(A | B)[]]",
  ],
  ["control: a name as an optional tuple item", { kind: "tuple", items: [{ type: s, optional: true }] }, "[string?]"],
  // Places that never need parentheses.
  ["an index signature's value", { kind: "index", key: s, value: union(s, n) }, "{ [key: string]: string | number }"],
  ["readonly's operand", { kind: "readonly", operand: array(union(s, n)) }, "readonly (string | number)[]"],
  // Brand marks: the text inside is model.ts's to parenthesize, and a marked union is one member.
  ["a marked union inside []", array(branded(union(s, n))), `${marked("string | number")}[]`],
  [
    "a marked union inside a union stays one member",
    union(branded(union(s, n)), s),
    `${marked("string | number")} | string`,
  ],
  // Placeholders are names until answered.
  ["a placeholder inside []", array(placeholder("__iocontract_type_3__")), "__iocontract_type_3__[]"],
];

describe("printType: precedence", () => {
  it.each(rows)("%s", (_name, node, want) => {
    expect(printType(node)).toBe(want);
  });
});

describe("foreign text (a .meta({ tsType }))", () => {
  it("joins a union as its members, without repeats", () => {
    expect(printType(union(foreign("A | B"), B, keyword("undefined")))).toBe("A | B | undefined");
  });
  it("is parenthesized where it is loose: a union, a function type, an intersection, readonly", () => {
    expect(printType(array(foreign("A | B")))).toBe("(A | B)[]");
    expect(printType(array(foreign("(a: A) => B")))).toBe("((a: A) => B)[]");
    expect(printType(array(foreign("A & B")))).toBe("(A & B)[]");
    expect(printType(array(foreign("readonly A[]")))).toBe("(readonly A[])[]");
  });
  it("control: bracketed text and string literals holding | are primary", () => {
    expect(printType(array(foreign("{ a: A | B }")))).toBe("{ a: A | B }[]");
    expect(printType(array(foreign("Map<A | B, C>")))).toBe("Map<A | B, C>[]");
    expect(printType(array(foreign('"a | b"')))).toBe('"a | b"[]');
  });
});

describe("object literals", () => {
  const obj: TypeNode = {
    kind: "object",
    members: [
      { key: "a", optional: false, type: s, docs: [] },
      {
        key: "inner",
        optional: true,
        type: { kind: "object", members: [{ key: "b", optional: false, type: n, docs: ["one */ line"] }] },
        docs: ["first", "second"],
      },
    ],
  };
  it("prints one member a line, nested bodies indented from the line they start on, docs escaped", () => {
    expect(printType(obj, "  ")).toBe(
      [
        "{",
        "    a: string;",
        "    /**",
        "     * first",
        "     * second",
        "     */",
        "    inner?: {",
        "      /** one *\\/ line */",
        "      b: number;",
        "    };",
        "  }",
      ].join("\n"),
    );
  });
  it("an object inside [] and & is primary", () => {
    const small: TypeNode = { kind: "object", members: [{ key: "a", optional: false, type: s, docs: [] }] };
    expect(printType(array(small))).toBe("{\n  a: string;\n}[]");
    expect(printType(intersection(small, A))).toBe("{\n  a: string;\n} & A");
  });
});

describe("tight (for text from outside the tree: the compiler's answers)", () => {
  it.each([
    ["A | B", "(A | B)"],
    ["A & B", "(A & B)"],
    ["(a: A) => B", "((a: A) => B)"],
    ["readonly A[]", "(readonly A[])"],
    ["A", "A"],
    ["{ a: A | B }", "{ a: A | B }"],
    ['"x | y"', '"x | y"'],
    [marked("A | B"), marked("A | B")],
  ])("%s → %s", (text, want) => {
    expect(tight(text)).toBe(want);
  });
});

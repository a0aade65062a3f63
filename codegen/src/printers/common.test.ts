/** The printers' line breaking: imports and JSDoc prose wrap to WIDTH as they are printed. */
import { describe, expect, it } from "vitest";
import { WIDTH, docs, namedList } from "./common.js";

describe("namedList", () => {
  it("prints one line when it fits", () => {
    expect(namedList("import type", ["A", "B"], "./types.gen.js")).toBe('import type { A, B } from "./types.gen.js";');
  });

  it("prints one name a line, with a trailing comma, when the line would be wider than WIDTH", () => {
    const names = Array.from({ length: 12 }, (_, i) => `SomeLongTypeName${i}`);
    const text = namedList("export", names, "@iocontract/runtime/v1/wire");
    expect(`export { ${names.join(", ")} } from "@iocontract/runtime/v1/wire";`.length).toBeGreaterThan(WIDTH);
    expect(text.split("\n")).toEqual([
      "export {",
      ...names.map((n) => `  ${n},`),
      '} from "@iocontract/runtime/v1/wire";',
    ]);
  });
});

describe("docs", () => {
  it("keeps a short line as it is", () => {
    expect(docs('Wire name: `"chat"`.')).toEqual(['Wire name: `"chat"`.']);
  });

  it("breaks long prose at spaces, every piece within the width, no word lost", () => {
    const prose = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
    const [text] = docs(prose);
    const lines = text!.split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(WIDTH - 10);
    expect(lines.join(" ")).toBe(prose);
  });

  it("leaves code as written: indented lines and fenced blocks", () => {
    const code = `  ${"x".repeat(200)}`;
    const fenced = ["```ts", `const a = ${"1 + ".repeat(60)}1;`, "```"];
    expect(docs(code)).toEqual([code]);
    expect(docs(fenced.join("\n"))).toEqual([fenced.join("\n")]);
  });

  it("still escapes a comment end", () => {
    expect(docs("a */ b")).toEqual(["a *\\/ b"]);
  });
});

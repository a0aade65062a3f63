/**
 * What the printers share: line breaking (imports and JSDoc prose wrap to WIDTH as they are printed), imports
 * collected as names are used, and the check that a file declares what its printer reported.
 */
import { describe, expect, it } from "vitest";
import { defineContract } from "@iocontract/runtime/contract";
import { buildModel } from "../model.js";
import { buildTypeScript } from "../typescript/index.js";
import { ImportFrom, WIDTH, docs, iface, namedList, printFile } from "./common.js";

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

describe("ImportFrom", () => {
  it("imports nothing when the file uses nothing from the module", () => {
    expect(new ImportFrom("./types.gen.js", ["A", "B"]).declaration()).toBeUndefined();
  });

  it("imports exactly the names used, in the order the sibling file declares them, each once", () => {
    const types = new ImportFrom("./types.gen.js", ["Zed", "Alpha", "Mid", "Unused"]);
    expect([types.type("Mid"), types.type("Zed"), types.type("Mid")]).toEqual(["Mid", "Zed", "Mid"]);
    expect(types.declaration()).toBe('import type { Zed, Mid } from "./types.gen.js";');
  });

  it("a module without a declared order: values first, then `type` names, each group in code-unit order", () => {
    const runtime = new ImportFrom("@iocontract/runtime/v1/server");
    runtime.type("ServerOptions");
    runtime.value("createServer");
    runtime.type("Context");
    expect(runtime.declaration()).toBe(
      'import { createServer, type Context, type ServerOptions } from "@iocontract/runtime/v1/server";',
    );
  });

  it("refuses a name the sibling file does not declare (a printer bug, not a missing import at compile time)", () => {
    const types = new ImportFrom("./types.gen.js", ["A"]);
    types.type("B");
    expect(() => types.declaration()).toThrowError(
      "iocontract internal error: B is imported from ./types.gen.js, which does not declare it",
    );
  });
});

// The first print loads ts-morph (seconds on a loaded machine).
describe("printFile", { timeout: 60_000 }, () => {
  const ts = buildTypeScript(
    buildModel(defineContract({ name: "demo", version: "1.0.0", namespaces: { "/": {} } }), "demo.ts"),
  );
  const ctx = {
    model: ts.model,
    ts,
    runtimeImport: "@iocontract/runtime",
    generatorVersion: "0.0.0",
    regenerate: "npm run generate",
  };

  it("prints a file that exports exactly the names its printer reported", () => {
    const text = printFile(ctx, "A test file.", [], [iface("DemoA", {}), iface("DemoB", {})], ["DemoA", "DemoB"]);
    expect(text).toMatch(/\nexport interface DemoA \{\n\}\n\nexport interface DemoB \{\n\}\n$/);
  });

  it("refuses a declaration its printer did not report (the clash check would not have seen it)", () => {
    expect(() => printFile(ctx, "A test file.", [], [iface("DemoA", {}), iface("DemoB", {})], ["DemoA"])).toThrowError(
      /internal error: A test file\. declares DemoB its printer did not report/,
    );
  });

  it("refuses a reported name the file does not declare", () => {
    expect(() => printFile(ctx, "A test file.", [], [iface("DemoA", {})], ["DemoA", "DemoB"])).toThrowError(
      /internal error: .*or not DemoB/,
    );
  });
});

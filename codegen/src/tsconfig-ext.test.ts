import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { outputImportExtension } from "./outputs.js";
import { detectImportExtension, findTsconfig } from "./tsconfig-ext.js";

const root = mkdtempSync(path.join(tmpdir(), "iocontract-tsconfig-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** Writes a tsconfig (text as given: comments and trailing commas allowed) in a fresh folder; returns its path. */
function tsconfig(text: string, extra: Record<string, string> = {}): string {
  const dir = path.join(root, String(n++));
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(extra)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  writeFileSync(path.join(dir, "tsconfig.json"), text);
  return path.join(dir, "tsconfig.json");
}

const options = (compilerOptions: Record<string, unknown>) => JSON.stringify({ compilerOptions });

describe("detectImportExtension", () => {
  it.each([
    ["NodeNext", options({ module: "NodeNext", moduleResolution: "NodeNext" }), ".js"],
    ["module NodeNext alone", options({ module: "nodenext" }), ".js"],
    ["Node16", options({ module: "Node16" }), ".js"],
    ["Bundler", options({ module: "ESNext", moduleResolution: "Bundler" }), ".js"],
    ["module Preserve", options({ module: "preserve" }), ".js"],
    ["CommonJS (Node10)", options({ module: "CommonJS" }), ".js"],
    ["moduleResolution node", options({ module: "CommonJS", moduleResolution: "node" }), ".js"],
    ["no compilerOptions", "{}", ".js"],
    ["rewriteRelativeImportExtensions", options({ module: "NodeNext", rewriteRelativeImportExtensions: true }), ".ts"],
    [
      "allowImportingTsExtensions under NodeNext (Node runs TypeScript)",
      options({ module: "NodeNext", allowImportingTsExtensions: true, noEmit: true }),
      ".ts",
    ],
    [
      "allowImportingTsExtensions under Bundler (.js works too)",
      options({ module: "ESNext", moduleResolution: "Bundler", allowImportingTsExtensions: true, noEmit: true }),
      ".js",
    ],
    [
      "comments and trailing commas",
      `{\n  // NodeNext\n  "compilerOptions": { /* a */ "module": "NodeNext", "rewriteRelativeImportExtensions": true, },\n}`,
      ".ts",
    ],
    ["a URL-like string is not a comment", options({ module: "NodeNext", outDir: "http://x//y" }), ".js"],
  ] as const)("%s", (_name, text, want) => {
    expect(detectImportExtension(tsconfig(text))).toBe(want);
  });

  it("follows a relative `extends`; the file's own options win", () => {
    const file = tsconfig(
      JSON.stringify({ extends: "./base/tsconfig.base.json", compilerOptions: { module: "NodeNext" } }),
      {
        "base/tsconfig.base.json": options({ module: "ESNext", allowImportingTsExtensions: true }),
      },
    );
    expect(detectImportExtension(file)).toBe(".ts");
    const overridden = tsconfig(
      JSON.stringify({ extends: "./base.json", compilerOptions: { rewriteRelativeImportExtensions: false } }),
      {
        "base.json": options({ module: "NodeNext", rewriteRelativeImportExtensions: true }),
      },
    );
    expect(detectImportExtension(overridden)).toBe(".js");
  });

  it("follows a package `extends` (resolved from node_modules) and an array of them", () => {
    const file = tsconfig(JSON.stringify({ extends: ["@acme/tsconfig/node.json", "./local.json"] }), {
      "node_modules/@acme/tsconfig/package.json": JSON.stringify({ name: "@acme/tsconfig", version: "1.0.0" }),
      "node_modules/@acme/tsconfig/node.json": options({ module: "NodeNext" }),
      "local.json": options({ allowImportingTsExtensions: true }),
    });
    expect(detectImportExtension(file)).toBe(".ts");
  });

  it("findTsconfig walks up from a folder that does not exist yet", () => {
    const file = tsconfig(options({ module: "NodeNext" }));
    expect(findTsconfig(path.join(path.dirname(file), "src/gen/server"))).toBe(file);
  });

  it("an explicit setting overrides the tsconfig", () => {
    const dir = path.dirname(tsconfig(options({ module: "NodeNext" })));
    expect(outputImportExtension(dir, "auto")).toBe(".js");
    expect(outputImportExtension(dir, undefined)).toBe(".js");
    expect(outputImportExtension(dir, ".ts")).toBe(".ts");
    expect(outputImportExtension(dir, "none")).toBe("");
  });
});

/**
 * Types per environment: the browser client is type-checked without Node's globals, the server without the DOM.
 * Each case compiles a package's own tsconfig (as `npm run typecheck` does) with one extra file beside its
 * sources, through the TypeScript compiler API, and each has its control: the same file under the other
 * environment's tsconfig compiles.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it, vi } from "vitest";

// A fresh program per case: a few seconds each on a busy machine.
vi.setConfig({ testTimeout: 90_000 });

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Node's globals, as server code uses them. */
const NODE_CODE = `export const fromNode = [process.env["HOME"], Buffer.from("x"), __dirname];\n`;
/** The DOM's globals, as a page uses them. */
const DOM_CODE = `export const fromDom = [document.title, window.location.href, new HTMLDivElement()];\n`;

/**
 * The errors of `tsconfig` (a path under the repository) plus one file `name` (relative to the tsconfig's folder)
 * holding `text`, as "Cannot find name 'x'" lines of that file; and the program's source files.
 */
function compile(tsconfig: string, name: string, text: string): { errors: string[]; files: string[] } {
  const configPath = path.join(REPO, tsconfig);
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  )!;
  const extra = path.join(path.dirname(configPath), name);
  const host = ts.createCompilerHost(parsed.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, language, ...rest) =>
    path.resolve(file) === extra
      ? ts.createSourceFile(file, text, language)
      : getSourceFile.call(host, file, language, ...rest);
  host.fileExists = (file) => path.resolve(file) === extra || fileExists.call(host, file);
  host.readFile = (file) => (path.resolve(file) === extra ? text : readFile.call(host, file));
  const program = ts.createProgram({ rootNames: [...parsed.fileNames, extra], options: parsed.options, host });
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && path.resolve(d.file.fileName) === extra)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  return { errors, files: program.getSourceFiles().map((f) => path.relative(REPO, f.fileName)) };
}

describe("the browser client is checked without Node's globals", () => {
  it("packages/runtime/tsconfig.browser.json covers the client and rejects process, Buffer and __dirname", () => {
    const { errors, files } = compile("packages/runtime/tsconfig.browser.json", "src/v1/__env__.ts", NODE_CODE);
    expect(files).toContain("packages/runtime/src/v1/client.ts");
    expect(files.filter((f) => f.includes("@types/node"))).toEqual([]);
    expect(errors).toHaveLength(3);
    for (const name of ["process", "Buffer", "__dirname"])
      expect(errors.join("\n")).toContain(`Cannot find name '${name}'`);
  });

  it("control: the same code compiles under the runtime's Node tsconfig", () => {
    expect(compile("packages/runtime/tsconfig.json", "src/v1/__env__.ts", NODE_CODE).errors).toEqual([]);
  });

  it("the example's page is checked the same way, and with it the generated client SDK it imports", () => {
    const { errors, files } = compile("examples/chat/tsconfig.web.json", "src/web/__env__.ts", NODE_CODE);
    expect(files).toContain("packages/client-sdk/src/gen/client.gen.ts");
    expect(errors.join("\n")).toContain("Cannot find name 'process'");
  });
});

describe("the server is checked without the DOM", () => {
  it("packages/runtime/tsconfig.json rejects document, window and HTMLDivElement", () => {
    const { errors, files } = compile("packages/runtime/tsconfig.json", "src/v1/__env__.ts", DOM_CODE);
    expect(files.some((f) => f.startsWith("packages/runtime/src/v1/server"))).toBe(true);
    expect(errors).toHaveLength(3);
    for (const name of ["document", "window", "HTMLDivElement"])
      expect(errors.join("\n")).toContain(`Cannot find name '${name}'`);
  });

  it("control: the same code compiles under the browser tsconfig", () => {
    expect(compile("packages/runtime/tsconfig.browser.json", "src/v1/__env__.ts", DOM_CODE).errors).toEqual([]);
  });

  it("the generator is checked the same way", () => {
    expect(compile("codegen/tsconfig.json", "src/__env__.ts", DOM_CODE).errors.join("\n")).toContain(
      "Cannot find name 'document'",
    );
  });

  it("the example's server is checked the same way, and with it the generated server SDK it imports", () => {
    const { errors, files } = compile("examples/chat/tsconfig.json", "src/server/__env__.ts", DOM_CODE);
    expect(files).toContain("packages/server-sdk/src/gen/server.gen.ts");
    expect(errors.join("\n")).toContain("Cannot find name 'document'");
  });
});

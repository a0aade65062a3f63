/**
 * `importExtension: "auto"`: which extension relative imports in generated files need, read from the tsconfig
 * that governs an output folder. Plain JSON reading (comments and trailing commas allowed, `extends` followed):
 * this runs on every generate and must not load the TypeScript compiler.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** What relative imports end with: `.js`, `.ts`, or nothing. */
export type ImportExtension = "" | ".js" | ".ts";

/** The compiler options that decide the extension, merged along `extends` (a file's own options win). */
interface Options {
  module?: string;
  moduleResolution?: string;
  allowImportingTsExtensions?: boolean;
  rewriteRelativeImportExtensions?: boolean;
}

/** JSON with comments and trailing commas (tsconfig's dialect) → a value. Strings are kept as they are. */
function parseJsonc(text: string, file: string): unknown {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      out += text.slice(start, i + 1);
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2);
      if (i === -1) break;
      i++;
    } else {
      out += c;
    }
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
  } catch (error) {
    throw new Error(`iocontract: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** An `extends` entry → the file it names: a relative path, or a package's (resolved from the tsconfig's folder). */
function resolveExtends(from: string, spec: string): string | undefined {
  const dir = path.dirname(from);
  if (spec.startsWith(".") || path.isAbsolute(spec)) {
    const file = path.resolve(dir, spec);
    return [file, `${file}.json`, path.join(file, "tsconfig.json")].find(
      (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
    );
  }
  const require = createRequire(from);
  for (const candidate of [spec, `${spec}.json`, `${spec}/tsconfig.json`]) {
    try {
      return require.resolve(candidate);
    } catch {
      // next candidate
    }
  }
  return undefined;
}

function readOptions(file: string, seen: Set<string>): Options {
  if (seen.has(file)) return {};
  seen.add(file);
  const json = parseJsonc(readFileSync(file, "utf8"), file) as {
    extends?: string | string[];
    compilerOptions?: Record<string, unknown>;
  };
  const bases = json.extends === undefined ? [] : Array.isArray(json.extends) ? json.extends : [json.extends];
  let options: Options = {};
  for (const base of bases) {
    const baseFile = resolveExtends(file, base);
    if (baseFile !== undefined) options = { ...options, ...readOptions(baseFile, seen) };
  }
  const own = json.compilerOptions ?? {};
  const pick: Options = {};
  if (typeof own["module"] === "string") pick.module = own["module"].toLowerCase();
  if (typeof own["moduleResolution"] === "string") pick.moduleResolution = own["moduleResolution"].toLowerCase();
  if (typeof own["allowImportingTsExtensions"] === "boolean")
    pick.allowImportingTsExtensions = own["allowImportingTsExtensions"];
  if (typeof own["rewriteRelativeImportExtensions"] === "boolean")
    pick.rewriteRelativeImportExtensions = own["rewriteRelativeImportExtensions"];
  return { ...options, ...pick };
}

/** TypeScript's module resolution for these options (its defaults: NodeNext/Node16 follow `module`). */
function resolution(options: Options): string {
  if (options.moduleResolution !== undefined)
    return options.moduleResolution === "node" ? "node10" : options.moduleResolution;
  const module = options.module ?? "commonjs";
  if (module === "nodenext" || module.startsWith("node1") || module.startsWith("node2"))
    return module === "nodenext" ? "nodenext" : "node16";
  if (module === "preserve") return "bundler";
  return module === "commonjs" ? "node10" : "classic";
}

/**
 * The extension generated relative imports need under the tsconfig at `tsconfigPath` (see the config's
 * `importExtension`): `.ts` where the project imports TypeScript files by their own names
 * (`rewriteRelativeImportExtensions`, or `allowImportingTsExtensions` under NodeNext/Node16), `.js` everywhere
 * else: NodeNext and Node16 require it, and Bundler, Node10 and Classic resolve `./x.js` to `./x.ts` too.
 */
export function detectImportExtension(tsconfigPath: string): ImportExtension {
  const options = readOptions(path.resolve(tsconfigPath), new Set());
  if (options.rewriteRelativeImportExtensions === true) return ".ts";
  const mode = resolution(options);
  if (options.allowImportingTsExtensions === true && (mode === "nodenext" || mode === "node16")) return ".ts";
  return ".js";
}

/** The nearest `tsconfig.json` at or above `dir`, or undefined. */
export function findTsconfig(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, "tsconfig.json");
    if (existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}

/**
 * The no-op cache: lets a regenerate (or `--check`) whose outputs are already up to date skip printing, and
 * so skip loading ts-morph, the largest fixed cost of a run.
 *
 * A record says: "printing inputs K gave files with these SHA-256 hashes". K covers everything the printed bytes
 * depend on: the model with its TypeScript stage's text (plain data once the zod schemas are left out: printers
 * read the model's data and the stage's text, never a schema),
 * every output's folder, kind and printing settings, the generator's own code (a hash of its files, so an edit
 * of a printer invalidates without a version bump), the ts-morph packages' versions, and the one runtime value
 * printers print. When the current K equals the record's and every output on disk still hashes as recorded (no
 * hand edit, nothing missing), printing would write the same bytes: nothing is printed. Anything else, or
 * a cache that cannot be read, means printing as usual; the cache is only ever an optimisation.
 *
 * Records live in the nearest `node_modules/.cache/iocontract/` above the config (the usual place for tools'
 * caches: never committed, gone with a fresh install), one JSON file per config file.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ERROR_EVENT } from "@iocontract/runtime/v1/wire";
import type { IocontractConfig } from "./config.js";
import { type GeneratedFile, printContexts } from "./outputs.js";
import type { TypeScriptModel } from "./typescript/types.js";

/** Bump when the record's layout or the meaning of its key changes. */
const CACHE_FORMAT = 1;

interface CacheRecord {
  readonly format: number;
  readonly key: string;
  /** Absolute path → SHA-256 (hex) of the file's text, in printing order. */
  readonly files: Record<string, string>;
}

function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The record's file for a config: `<nearest node_modules>/.cache/iocontract/<hash of the config's path>.json`. */
export function cacheFileFor(configFile: string): string | undefined {
  for (let dir = path.dirname(configFile); ; dir = path.dirname(dir)) {
    const modules = path.join(dir, "node_modules");
    if (existsSync(modules))
      return path.join(modules, ".cache", "iocontract", `${sha256(configFile).slice(0, 16)}.json`);
    if (path.dirname(dir) === dir) return undefined;
  }
}

let generatorHash: string | undefined;

/**
 * The generator's own code (the folder this module was loaded from: `src/` when run from source, `dist/` when
 * built), the runtime's zod walker it reads schemas with, and the versions of the packages that print: an edit
 * to any of them may change the bytes.
 */
function generatorFingerprint(): string {
  if (generatorHash !== undefined) return generatorHash;
  const hash = createHash("sha256");
  const root = path.dirname(fileURLToPath(import.meta.url));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && !/\.test\.ts$/.test(entry.name))
        hash
          .update(`${path.relative(root, full)}\0`)
          .update(readFileSync(full))
          .update("\0");
    }
  };
  walk(root);
  const require = createRequire(import.meta.url);
  // The runtime's zod walker decides which schemas the printers see inside each schema. Run from source it is
  // outside this folder; the built generator bundles it (tsup.config.ts), and may run where no runtime is installed.
  const walker = resolves(require, "@iocontract/runtime/v1/zod-kinds");
  if (walker !== undefined) hash.update("zod-kinds\0").update(readFileSync(walker)).update("\0");
  const tsMorph = require.resolve("ts-morph");
  const fromTsMorph = createRequire(tsMorph);
  for (const [name, main] of [
    ["ts-morph", tsMorph],
    ["@ts-morph/common", fromTsMorph.resolve("@ts-morph/common")],
    ["code-block-writer", fromTsMorph.resolve("code-block-writer")],
  ] as const) {
    hash.update(`${name}@${packageVersion(main, name)}\0`);
  }
  hash.update(`ERROR_EVENT=${ERROR_EVENT}\0`);
  generatorHash = hash.digest("hex");
  return generatorHash;
}

function resolves(require: NodeJS.Require, specifier: string): string | undefined {
  try {
    return require.resolve(specifier);
  } catch {
    return undefined;
  }
}

/** The version in the package.json of the package `name` that holds the file `main`. */
function packageVersion(main: string, name: string): string {
  for (let dir = path.dirname(main); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === name) return pkg.version ?? "?";
  }
  return "?";
}

/**
 * K: everything the printed bytes depend on (see the module comment). `generator` is for tests; `extra` is text
 * printed without ts-morph whose bytes the model does not determine (the snapshot's JSON Schemas).
 */
export function inputKey(
  ts: TypeScriptModel,
  rootDir: string,
  config: IocontractConfig,
  generator = generatorFingerprint(),
  extra = "",
): string {
  const outputs = printContexts(ts, rootDir, config).map(({ dir, kind, ctx }) => ({
    dir,
    kind,
    runtimeImport: ctx.runtimeImport,
    contractImport: ctx.contractImport,
    importExtension: ctx.importExtension,
    generatorVersion: ctx.generatorVersion,
    regenerate: ctx.regenerate,
  }));
  // zod schemas are not data; printers read only the data and text the model and its TypeScript stage hold beside
  // them. The JSON Schemas (computed on first read, not enumerable) count only where an output prints them: the
  // Python outputs.
  const plainModel = JSON.stringify(ts, (key, value: unknown) => (key === "schema" ? undefined : value));
  const jsonSchemas = outputs.some((o) => o.kind.startsWith("python")) ? ts.model.jsonSchemas : undefined;
  return sha256(JSON.stringify({ format: CACHE_FORMAT, generator, outputs, model: plainModel, jsonSchemas, extra }));
}

async function readRecord(cacheFile: string): Promise<CacheRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(cacheFile, "utf8")) as CacheRecord;
    return record.format === CACHE_FORMAT && typeof record.key === "string" && typeof record.files === "object"
      ? record
      : undefined;
  } catch {
    return undefined;
  }
}

/** True when the record for `key` lists exactly `paths` and each file on disk still has its recorded hash. */
export async function upToDate(cacheFile: string, key: string, paths: readonly string[]): Promise<boolean> {
  const record = await readRecord(cacheFile);
  if (record === undefined || record.key !== key) return false;
  const recorded = Object.keys(record.files);
  if (recorded.length !== paths.length || paths.some((p, i) => recorded[i] !== p)) return false;
  for (const p of paths) {
    const text = await readFile(p).catch(() => undefined);
    if (text === undefined || sha256(text) !== record.files[p]) return false;
  }
  return true;
}

/** Records that inputs `key` print `files` (which are now on disk). Best effort: a cache that cannot be written is skipped. */
export async function record(cacheFile: string, key: string, files: readonly GeneratedFile[]): Promise<void> {
  const content: CacheRecord = {
    format: CACHE_FORMAT,
    key,
    files: Object.fromEntries(files.map((f) => [f.path, sha256(f.text)])),
  };
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    await mkdir(path.dirname(cacheFile), { recursive: true });
    await writeFile(temp, JSON.stringify(content));
    await rename(temp, cacheFile);
  } catch {
    // a read-only node_modules, say: the next run prints again
  }
}

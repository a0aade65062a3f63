/** Orchestration: config → contract → model → printers → files (written, or compared with `--check`). */
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Contract } from "@iocontract/runtime/contract";
import type { IocontractConfig } from "./config.js";
import { loadContract } from "./load.js";
import { buildModel } from "./model.js";
import type { PrintContext, PrintedFile } from "./printers/common.js";
import { printClient } from "./printers/client.js";
import { printEmitter } from "./printers/emitter.js";
import { printServer } from "./printers/server.js";
import { printTypes } from "./printers/types.js";
import { GENERATOR_VERSION } from "./version.js";

/** The command generated headers and `--check` name when the config does not say. */
export const DEFAULT_REGENERATE = "npx iocontract generate";

export interface GeneratedFile {
  /** Absolute path. */
  readonly path: string;
  readonly text: string;
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

/** `../../../contract/chat.contract` from an output folder to the contract file (no extension). */
function importPath(fromDir: string, file: string): string {
  const rel = toPosix(path.relative(fromDir, file)).replace(/\.(c|m)?tsx?$/, "");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/** Prints every output of a contract already loaded. Pure: the same inputs give the same bytes. */
export function printOutputs(contract: Contract, rootDir: string, config: IocontractConfig): GeneratedFile[] {
  const contractFile = path.resolve(rootDir, config.contract);
  const model = buildModel(contract, toPosix(path.relative(rootDir, contractFile)));
  const files: GeneratedFile[] = [];
  for (const output of config.outputs) {
    const dir = path.resolve(rootDir, output.dir);
    const ctx: PrintContext = {
      model,
      runtimeImport: config.runtimeImport ?? "@iocontract/runtime",
      contractImport: importPath(dir, contractFile),
      generatorVersion: GENERATOR_VERSION,
      regenerate: config.regenerate ?? DEFAULT_REGENERATE,
    };
    const printed: PrintedFile[] = output.kind === "server" ? [printTypes(ctx), printServer(ctx), printEmitter(ctx)] : [printTypes(ctx), printClient(ctx)];
    for (const f of printed) files.push({ path: path.join(dir, f.name), text: f.text });
  }
  return files;
}

export async function generateFiles(rootDir: string, config: IocontractConfig): Promise<GeneratedFile[]> {
  const contract = await loadContract(path.resolve(rootDir, config.contract));
  return printOutputs(contract, rootDir, config);
}

/** `.gen.ts` files in the output folders that the contract no longer produces. */
async function orphans(files: readonly GeneratedFile[]): Promise<string[]> {
  const wanted = new Set(files.map((f) => f.path));
  const dirs = new Set(files.map((f) => path.dirname(f.path)));
  const out: string[] = [];
  for (const dir of dirs) {
    let entries: string[] = [];
    try {
      entries = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of entries.sort()) {
      const full = path.join(dir, name);
      if (name.endsWith(".gen.ts") && !wanted.has(full)) out.push(full);
    }
  }
  return out;
}

export interface WriteResult {
  readonly written: string[];
  readonly unchanged: string[];
  readonly removed: string[];
}

/** Writes files whose bytes changed, removes orphaned `.gen.ts` files. */
export async function writeFiles(files: readonly GeneratedFile[]): Promise<WriteResult> {
  const result: WriteResult = { written: [], unchanged: [], removed: [] };
  for (const file of files) {
    const current = await readFile(file.path, "utf8").catch(() => undefined);
    if (current === file.text) {
      result.unchanged.push(file.path);
      continue;
    }
    await mkdir(path.dirname(file.path), { recursive: true });
    await writeFile(file.path, file.text);
    result.written.push(file.path);
  }
  for (const orphan of await orphans(files)) {
    await rm(orphan);
    result.removed.push(orphan);
  }
  return result;
}

export interface CheckResult {
  readonly stale: string[];
  readonly missing: string[];
  readonly orphaned: string[];
}

/** Compares without writing anything. */
export async function checkFiles(files: readonly GeneratedFile[]): Promise<CheckResult> {
  const result: CheckResult = { stale: [], missing: [], orphaned: await orphans(files) };
  for (const file of files) {
    const current = await readFile(file.path, "utf8").catch(() => undefined);
    if (current === undefined) result.missing.push(file.path);
    else if (current !== file.text) result.stale.push(file.path);
  }
  return result;
}

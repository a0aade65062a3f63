/** Orchestration: config → contract → model → printers → files (written, or compared with `--check`). */
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Contract } from "@iocontract/runtime/contract";
import type { IocontractConfig } from "./config.js";
import { loadContract } from "./load.js";
import { type ContractModel, buildModel } from "./model.js";
import { type GeneratedFile, contractPath } from "./outputs.js";
import { snapshotFiles } from "./snapshot.js";
import { buildTypeScript } from "./typescript/index.js";
import type { TypeScriptModel } from "./typescript/types.js";

export type { GeneratedFile } from "./outputs.js";

/**
 * A loaded contract's model and its TypeScript stage, as the config asks. Every command builds both (the
 * AsyncAPI, docs and diff commands read only the model), so each refuses what `generate` refuses.
 */
export function buildModels(
  contract: Contract,
  rootDir: string,
  config: IocontractConfig,
): { model: ContractModel; ts: TypeScriptModel } {
  const model = buildModel(contract, contractPath(rootDir, config));
  const ts = buildTypeScript(model, {
    allowAny: config.allowAny === true,
    contractFile: path.resolve(rootDir, config.contract),
  });
  return { model, ts };
}

/**
 * Prints every output of a contract already loaded. Pure: the same inputs give the same bytes. Asynchronous
 * because the printers (and ts-morph) load on first use: a config file imports this package for
 * `defineConfig`, and must not pay for ts-morph when nothing is printed.
 */
export async function printOutputs(
  contract: Contract,
  rootDir: string,
  config: IocontractConfig,
): Promise<GeneratedFile[]> {
  const { printModel } = await import("./print.js");
  const { model, ts } = buildModels(contract, rootDir, config);
  return [...printModel(ts, rootDir, config), ...snapshotFiles(contract, model, rootDir, config)];
}

/** Loads the contract and prints every output. */
export async function generateFiles(rootDir: string, config: IocontractConfig): Promise<GeneratedFile[]> {
  return printOutputs(await loadContract(path.resolve(rootDir, config.contract)), rootDir, config);
}

/** `.gen.ts` files in the output folders that the contract no longer produces. */
export async function orphans(paths: readonly string[]): Promise<string[]> {
  const wanted = new Set(paths);
  const dirs = new Set(paths.map((p) => path.dirname(p)));
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

/** Removes orphaned `.gen.ts` files next to these outputs. */
export async function removeOrphans(paths: readonly string[]): Promise<string[]> {
  const removed = await orphans(paths);
  for (const orphan of removed) await rm(orphan);
  return removed;
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
  result.removed.push(...(await removeOrphans(files.map((f) => f.path))));
  return result;
}

export interface CheckResult {
  readonly stale: string[];
  readonly missing: string[];
  readonly orphaned: string[];
}

/** Compares without writing anything. */
export async function checkFiles(files: readonly GeneratedFile[]): Promise<CheckResult> {
  const result: CheckResult = { stale: [], missing: [], orphaned: await orphans(files.map((f) => f.path)) };
  for (const file of files) {
    const current = await readFile(file.path, "utf8").catch(() => undefined);
    if (current === undefined) result.missing.push(file.path);
    else if (current !== file.text) result.stale.push(file.path);
  }
  return result;
}

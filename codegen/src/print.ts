/**
 * The printing half of the generator: model → file texts through ts-morph. Loading ts-morph (it bundles the
 * TypeScript compiler) is the largest fixed cost of a run, so the CLI imports this module only when something
 * must be printed (see cache.ts), and nothing that a config file loads through `defineConfig` imports it
 * statically.
 */
import path from "node:path";
import type { IocontractConfig } from "./config.js";
import type { TypeScriptModel } from "./typescript/types.js";
import { type GeneratedFile, OUTPUT_FILES, printContexts } from "./outputs.js";
import type { PrintedFile } from "./printers/common.js";
import { printClient } from "./printers/client.js";
import { printEmitter } from "./printers/emitter.js";
import { printPythonClient, printPythonServer } from "./printers/python/client.js";
import { printIndex } from "./printers/index.js";
import { printServer } from "./printers/server.js";
import { printTypes } from "./printers/types.js";

/** Prints every output of a model (with its TypeScript stage). Pure: the same inputs give the same bytes. */
export function printModel(ts: TypeScriptModel, rootDir: string, config: IocontractConfig): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  // types.gen.ts reads no output-folder setting (unless it imports the contract's enums): printed once, written
  // to every output folder.
  let types: PrintedFile | undefined;
  for (const { dir, kind, ctx } of printContexts(ts, rootDir, config)) {
    if (kind === "python-client" || kind === "python-server") {
      for (const f of (kind === "python-client" ? printPythonClient : printPythonServer)(ctx, dir))
        files.push({ path: path.join(dir, f.name), text: f.text });
      continue;
    }
    types = ts.contractImports.length > 0 ? printTypes(ctx) : (types ?? printTypes(ctx));
    const printed =
      kind === "server"
        ? [types, printServer(ctx), printEmitter(ctx), printIndex(ctx, kind)]
        : [types, printClient(ctx), printIndex(ctx, kind)];
    printed.forEach((f, i) => {
      // The cache and the orphan check know the file names without printing: they must agree.
      if (f.name !== OUTPUT_FILES[kind][i])
        throw new Error(`iocontract internal error: printed ${f.name}, expected ${OUTPUT_FILES[kind][i]}`);
      files.push({ path: path.join(dir, f.name), text: f.text });
    });
  }
  return files;
}

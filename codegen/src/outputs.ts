/** Which files a config produces and what each output's printers are told; nothing here loads ts-morph. */
import path from "node:path";
import type { IocontractConfig, OutputKind } from "./config.js";
import type { ContractModel } from "./model.js";
import type { PrintContext } from "./printers/common.js";
import { GENERATOR_VERSION } from "./version.js";

/** The command generated headers and `--check` name when the config does not say. */
export const DEFAULT_REGENERATE = "npx iocontract generate";

/** The files each output kind gets, in printing order. */
export const OUTPUT_FILES: Readonly<Record<OutputKind, readonly string[]>> = {
  server: ["types.gen.ts", "server.gen.ts", "emitter.gen.ts"],
  client: ["types.gen.ts", "client.gen.ts"],
};

export interface GeneratedFile {
  /** Absolute path. */
  readonly path: string;
  readonly text: string;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

/** `../../../contract/chat.contract` from an output folder to the contract file (no extension). */
function importPath(fromDir: string, file: string): string {
  const rel = toPosix(path.relative(fromDir, file)).replace(/\.(c|m)?tsx?$/, "");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/** The contract file as the model and the headers name it: relative to the config's folder, forward slashes. */
export function contractPath(rootDir: string, config: IocontractConfig): string {
  return toPosix(path.relative(rootDir, path.resolve(rootDir, config.contract)));
}

/** One entry per configured output: its folder (absolute), its kind, and what its printers are told. */
export function printContexts(model: ContractModel, rootDir: string, config: IocontractConfig): Array<{ dir: string; kind: OutputKind; ctx: PrintContext }> {
  const contractFile = path.resolve(rootDir, config.contract);
  return config.outputs.map((output) => {
    const dir = path.resolve(rootDir, output.dir);
    return {
      dir,
      kind: output.kind,
      ctx: {
        model,
        runtimeImport: config.runtimeImport ?? "@iocontract/runtime",
        contractImport: importPath(dir, contractFile),
        generatorVersion: GENERATOR_VERSION,
        regenerate: config.regenerate ?? DEFAULT_REGENERATE,
      },
    };
  });
}

/** The absolute path of the contract snapshot (see snapshot.ts), or undefined with `snapshot: false`. */
export function snapshotPath(rootDir: string, config: IocontractConfig): string | undefined {
  if (config.snapshot === false) return undefined;
  if (config.snapshot !== undefined) return path.resolve(rootDir, config.snapshot);
  return path.resolve(rootDir, config.contract).replace(/\.(c|m)?tsx?$/, "") + ".json";
}

/** The absolute paths of every file the config's outputs produce, in printing order; the snapshot last. */
export function outputPaths(rootDir: string, config: IocontractConfig): string[] {
  const snapshot = snapshotPath(rootDir, config);
  return [
    ...config.outputs.flatMap((output) => OUTPUT_FILES[output.kind].map((name) => path.join(path.resolve(rootDir, output.dir), name))),
    ...(snapshot === undefined ? [] : [snapshot]),
  ];
}

/** Which files a config produces and what each output's printers are told; nothing here loads ts-morph. */
import path from "node:path";
import type { IocontractConfig, OutputKind } from "./config.js";
import type { PrintContext } from "./printers/common.js";
import { type ImportExtension, detectImportExtension, findTsconfig } from "./tsconfig-ext.js";
import type { TypeScriptModel } from "./typescript/types.js";
import { GENERATOR_VERSION } from "./version.js";

/** The command generated headers and `--check` name when the config does not say. */
export const DEFAULT_REGENERATE = "npx iocontract generate";

/** The files each output kind gets, in printing order. */
export const OUTPUT_FILES: Readonly<Record<OutputKind, readonly string[]>> = {
  server: ["types.gen.ts", "server.gen.ts", "emitter.gen.ts", "index.gen.ts"],
  client: ["types.gen.ts", "client.gen.ts", "index.gen.ts"],
  "python-client": ["__init__.py", "py.typed", "pyproject.toml", "_runtime.py", "models.py", "schemas.py", "client.py"],
  "python-server": [
    "__init__.py",
    "py.typed",
    "pyproject.toml",
    "_runtime.py",
    "_runtime_server.py",
    "models.py",
    "schemas.py",
    "server.py",
  ],
};

/** What each output's index.gen.ts re-exports from the runtime entry of its kind (the model claims these names). */
export const INDEX_RUNTIME_EXPORTS: Readonly<
  Record<
    "server" | "client",
    { readonly entry: string; readonly values: readonly string[]; readonly types: readonly string[] }
  >
> = {
  server: {
    entry: "v1/server",
    values: ["ContractError", "IocontractError"],
    types: ["CloseOptions", "ErrorInfo", "RequestOptions", "SendOptions"],
  },
  client: { entry: "v1/client", values: ["IocontractError"], types: ["CallOptions", "Unsubscribe"] },
};
/** ... and from `v1/wire`: the error codes. */
export const INDEX_WIRE_EXPORTS = {
  values: ["LocalErrorCode", "WireErrorCode"],
  types: ["AckEnvelope", "BuiltinErrorCode"],
} as const;

/** Every runtime name an index file re-exports: a contract type of the same name would be hidden by it. */
export const INDEX_NAMES: readonly string[] = [
  ...new Set([
    ...Object.values(INDEX_RUNTIME_EXPORTS).flatMap((r) => [...r.values, ...r.types]),
    ...INDEX_WIRE_EXPORTS.values,
    ...INDEX_WIRE_EXPORTS.types,
  ]),
];

export interface GeneratedFile {
  /** Absolute path. */
  readonly path: string;
  readonly text: string;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

/**
 * `../../../contract/chat.contract.js` from an output folder to the contract file, with the output's import
 * extension: `.js` names a `.ts` file by what it compiles to (`.mts` → `.mjs`, `.cts` → `.cjs`), `.ts` names it
 * as it is, "" drops it.
 */
function importPath(fromDir: string, file: string, extension: ImportExtension): string {
  const rel = toPosix(path.relative(fromDir, file));
  const match = /\.([cm]?)tsx?$/.exec(rel);
  let spec = rel;
  if (match !== null) {
    const stem = rel.slice(0, match.index);
    spec = extension === "" ? stem : extension === ".ts" ? rel : `${stem}.${match[1]}js`;
  }
  return spec.startsWith(".") ? spec : `./${spec}`;
}

/** The import extension of one output folder: the config's, or (`"auto"`) what its tsconfig needs. */
export function outputImportExtension(dir: string, setting: IocontractConfig["importExtension"]): ImportExtension {
  if (setting === "none") return "";
  if (setting === ".js" || setting === ".ts") return setting;
  const tsconfig = findTsconfig(dir);
  return tsconfig === undefined ? ".js" : detectImportExtension(tsconfig);
}

/** The contract file as the model and the headers name it: relative to the config's folder, forward slashes. */
export function contractPath(rootDir: string, config: IocontractConfig): string {
  return toPosix(path.relative(rootDir, path.resolve(rootDir, config.contract)));
}

/** One entry per configured output: its folder (absolute), its kind, and what its printers are told. */
export function printContexts(
  ts: TypeScriptModel,
  rootDir: string,
  config: IocontractConfig,
): Array<{ dir: string; kind: OutputKind; ctx: PrintContext }> {
  const contractFile = path.resolve(rootDir, config.contract);
  return config.outputs.map((output) => {
    const dir = path.resolve(rootDir, output.dir);
    const importExtension = outputImportExtension(dir, config.importExtension);
    return {
      dir,
      kind: output.kind,
      ctx: {
        model: ts.model,
        ts,
        runtimeImport: config.runtimeImport ?? "@iocontract/runtime",
        contractImport: config.contractImport ?? importPath(dir, contractFile, importExtension),
        importExtension,
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
    ...config.outputs.flatMap((output) =>
      OUTPUT_FILES[output.kind].map((name) => path.join(path.resolve(rootDir, output.dir), name)),
    ),
    ...(snapshot === undefined ? [] : [snapshot]),
  ];
}

/** Loads TypeScript modules (the config, the contract) through tsx, so users need no build step. */
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";
import { type Contract, isContract } from "@iocontract/runtime/contract";
import type { IocontractConfig } from "./config.js";
import { CodegenError } from "./errors.js";

async function importTs(file: string): Promise<Record<string, unknown>> {
  try {
    return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CodegenError(`cannot load ${file}: ${reason}`);
  }
}

export async function loadConfig(file: string): Promise<IocontractConfig> {
  const mod = await importTs(file);
  // Outside a `"type": "module"` package the file loads as CommonJS: its default export sits one level down.
  let config = (mod["default"] ?? mod) as Partial<IocontractConfig> & { default?: unknown };
  if (config.contract === undefined && typeof config.default === "object" && config.default !== null) {
    config = config.default as Partial<IocontractConfig>;
  }
  if (typeof config.contract !== "string")
    throw new CodegenError(`${file}: the config needs \`contract\` (the contract file's path)`);
  if (!Array.isArray(config.outputs) || config.outputs.length === 0) {
    throw new CodegenError(`${file}: the config needs \`outputs\`: [{ kind: "server" | "client", dir }]`);
  }
  for (const out of config.outputs) {
    if (!["server", "client", "python-client", "python-server"].includes(out.kind) || typeof out.dir !== "string") {
      throw new CodegenError(
        `${file}: each output is { kind: "server" | "client" | "python-client" | "python-server", dir: string }`,
      );
    }
    if (
      out.kind.startsWith("python-") &&
      !/^[A-Za-z_][A-Za-z0-9_]*$/.test(out.dir.split(/[\\/]/).filter(Boolean).pop() ?? "")
    ) {
      throw new CodegenError(
        `${file}: a Python output's folder is its package's name and must be a Python identifier (such as chat_client): ${JSON.stringify(out.dir)}`,
      );
    }
  }
  if (config.importExtension !== undefined && !["auto", ".js", ".ts", "none"].includes(config.importExtension)) {
    throw new CodegenError(
      `${file}: importExtension must be "auto", ".js", ".ts" or "none" (got ${JSON.stringify(config.importExtension)})`,
    );
  }
  if (
    config.contractImport !== undefined &&
    (typeof config.contractImport !== "string" || config.contractImport === "")
  ) {
    throw new CodegenError(
      `${file}: contractImport must be a module specifier ("@acme/contract", "../contract/app.contract.js")`,
    );
  }
  return config as IocontractConfig;
}

export async function loadContract(file: string): Promise<Contract> {
  const mod = await importTs(file);
  // The module namespace of an ESM import; a CJS-compiled module nests its exports under `default`.
  const candidates = [
    mod["default"],
    ...Object.values(mod),
    ...Object.values((mod["default"] ?? {}) as Record<string, unknown>),
  ];
  const contract = candidates.find(isContract);
  if (contract === undefined) {
    throw new CodegenError(`${file}: no contract exported; export default defineContract({ ... })`);
  }
  return contract;
}

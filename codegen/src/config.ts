/** `iocontract.config.ts`: which contract, which outputs. */
export type OutputKind = "server" | "client";

export interface OutputConfig {
  /** "server": types + server SDK; "client": types + client SDK. */
  readonly kind: OutputKind;
  /** Folder the files go to, relative to the config file (conventionally `<package>/src/gen`). */
  readonly dir: string;
}

export interface IocontractConfig {
  /** The contract module, relative to the config file. Its default export (or any export) is a contract. */
  readonly contract: string;
  readonly outputs: readonly OutputConfig[];
  /** Module generated code imports the runtime from. Default `@iocontract/runtime`. */
  readonly runtimeImport?: string;
  /** The command shown in every generated file's header. Default `npx iocontract generate`. */
  readonly regenerate?: string;
  /**
   * The contract snapshot (JSON, read by `iocontract diff`), relative to the config file. Default: beside the
   * contract, its name with `.json` for `.ts` (`contract/chat.contract.json`). `false`: none.
   */
  readonly snapshot?: string | false;
  /**
   * Print `z.any()` as `unknown` (a receiver narrows it) instead of refusing it. Default false: `any` would switch
   * off type checking wherever the value goes. `iocontract generate --explain` lists each place.
   */
  readonly allowAny?: boolean;
}

export function defineConfig(config: IocontractConfig): IocontractConfig {
  return config;
}

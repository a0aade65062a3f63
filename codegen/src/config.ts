/** `iocontract.config.ts`: which contract, which outputs. */
export type OutputKind = "server" | "client" | "python-client" | "python-server";

export interface OutputConfig {
  /**
   * "server": types + server SDK; "client": types + client SDK; "python-client" / "python-server": a Python
   * package (the folder's name is the package's name) with the types and a client over python-socketio, or a
   * server interface for its AsyncServer (see docs/python.md).
   */
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
  /**
   * What relative imports in generated files end with (`./types.gen.js`, the contract's path).
   * - `"auto"` (default): read the tsconfig that governs each output folder (the nearest `tsconfig.json` walking
   *   up from it, following `extends`) and pick what it needs: `.ts` under `rewriteRelativeImportExtensions`, or
   *   under `allowImportingTsExtensions` with `module` NodeNext/Node16 (Node running TypeScript itself); `.js`
   *   otherwise (NodeNext and Node16 require it; Bundler, Node10 and CommonJS accept it, and plain `node` runs
   *   what `tsc` emits). Without a tsconfig, `.js`.
   * - `".js"`, `".ts"`: that extension. `"none"`: no extension (bundlers and tsx only).
   * The choice of `"auto"` is exported as `detectImportExtension(tsconfigPath)`.
   */
  readonly importExtension?: "auto" | ".js" | ".ts" | "none";
  /**
   * How generated files import the contract. Default: the relative path from each output folder to `contract`
   * (with the import extension). Set a package specifier (`"@acme/contract"`) when the contract is a package of
   * its own, e.g. for a front end in another repository; it is used as written.
   */
  readonly contractImport?: string;
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

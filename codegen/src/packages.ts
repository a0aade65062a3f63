/**
 * `iocontract init --packages`: this repository's layout for the user's own contract, in an npm workspaces
 * monorepo. Three packages under one folder (default `packages/`):
 *
 * - `<scope>/<name>-contract` (`contract/`): the contract as TypeScript source; private, bundled into both SDKs.
 * - `<scope>/<name>-server-sdk` (`server-sdk/`): the generated server code (`src/gen/`) and an index.
 * - `<scope>/<name>-client-sdk` (`client-sdk/`): the generated client code and an index.
 *
 * Each SDK builds with tsup to ESM + CommonJS + declarations, bundles the contract, and imports everything else
 * (the runtime, zod, socket.io) from its dependencies: `@iocontract/runtime` by a semver range, so the runtime
 * picks the browser or the Node client by its own export conditions. The repository's chat SDK packages
 * (packages/server-sdk, packages/client-sdk) are this scaffold for the chat contract.
 */
import path from "node:path";

export interface PackagesOptions {
  /** Contract name (`chat`): names the packages and the generated functions. */
  readonly name: string;
  /** npm scope with its `@` (`@acme`), or "" for none. */
  readonly scope: string;
  /** Folder of the three packages, relative to the project root. */
  readonly dir: string;
  /** The folder names of the three packages inside `dir`. */
  readonly folders?: { readonly contract: string; readonly server: string; readonly client: string };
}

/** Versions the scaffold writes for the packages an SDK depends on. */
const SDK_DEPENDENCIES = {
  runtime: "^0.1.0",
  zod: "^4.1.0",
  socketio: "^4.8.0",
} as const;

const REDIS_PEERS = {
  "@socket.io/redis-adapter": "^8.3.0",
  "@socket.io/redis-emitter": "^5.1.0",
  "@socket.io/redis-streams-adapter": "^0.3.1",
  redis: "^4.6.0 || ^5.0.0 || ^6.0.0",
} as const;

export function packageNames(options: PackagesOptions): { contract: string; server: string; client: string } {
  const prefix = options.scope === "" ? "" : `${options.scope}/`;
  return {
    contract: `${prefix}${options.name}-contract`,
    server: `${prefix}${options.name}-server-sdk`,
    client: `${prefix}${options.name}-client-sdk`,
  };
}

/** The build of a generated SDK package: the same file in each SDK package. */
const SDK_TSUP_CONFIG = `// The build of a generated SDK package (written by \`iocontract init --packages\`; the same in every SDK package).
// One entry per subpath of package.json's "exports", from its "iocontract-source" file: ESM, CommonJS and
// declarations. The contract package (a devDependency: private, TypeScript source) is bundled in; the runtime, zod
// and socket.io stay imports of the packages in "dependencies" and "peerDependencies".
import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

type Target = string | { "iocontract-source"?: string };
const manifest = JSON.parse(readFileSync("package.json", "utf8")) as {
  exports: Record<string, Target>;
  devDependencies?: Record<string, string>;
};
const entry: Record<string, string> = {};
for (const [subpath, target] of Object.entries(manifest.exports)) {
  if (typeof target === "object" && target["iocontract-source"] !== undefined) {
    entry[subpath === "." ? "index" : subpath.slice(2)] = target["iocontract-source"];
  }
}

export default defineConfig({
  entry,
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  noExternal: Object.keys(manifest.devDependencies ?? {}).filter((name) => name.endsWith("-contract")),
});
`;

/**
 * The pack step of a generated SDK package (npm's `prepack` "strip", `postpack` "restore"). In the workspace, each
 * export has an "iocontract-source" condition pointing at `src/` (the TypeScript sources, for tsx, vitest and tsc
 * with that condition); the package ships only `dist/`, so the published manifest must not point there: a bundler
 * or runtime that sets the condition would fail to resolve. "strip" keeps the manifest as written beside it and
 * writes package.json without the condition; "restore" puts the original back. A pack that failed before its
 * postpack leaves the kept copy, which the next "strip" restores first.
 */
const SDK_PACK_SCRIPT = `// The pack step of a generated SDK package (written by \`iocontract init --packages\`; the same in every SDK package).
// npm runs "strip" before packing and "restore" after: the "iocontract-source" export condition points at src/, which
// the package does not ship, so the published package.json goes without it. package.json is restored afterwards.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

const KEPT = "package.json.iocontract-pack";
if (existsSync(KEPT)) renameSync(KEPT, "package.json");
if (process.argv[2] === "strip") {
  const text = readFileSync("package.json", "utf8");
  const strip = (target) =>
    typeof target !== "object" || target === null
      ? target
      : Object.fromEntries(
          Object.entries(target)
            .filter(([condition]) => condition !== "iocontract-source")
            .map(([key, value]) => [key, strip(value)]),
        );
  const manifest = JSON.parse(text);
  writeFileSync(KEPT, text);
  writeFileSync("package.json", \`\${JSON.stringify({ ...manifest, exports: strip(manifest.exports) }, null, 2)}\\n\`);
} else if (process.argv[2] !== "restore") {
  process.stderr.write("usage: node pack-manifest.mjs strip|restore\\n");
  process.exit(1);
}
`;

const TSCONFIG = (extendsPath: string | undefined): string =>
  `${JSON.stringify(
    extendsPath === undefined
      ? {
          compilerOptions: {
            target: "ES2022",
            lib: ["ES2022", "DOM"],
            module: "ESNext",
            moduleResolution: "Bundler",
            customConditions: ["iocontract-source"],
            strict: true,
            exactOptionalPropertyTypes: true,
            verbatimModuleSyntax: true,
            noEmit: true,
            skipLibCheck: true,
            types: [],
          },
          include: ["src", "*.ts"],
        }
      : { extends: extendsPath, include: ["src", "*.ts"] },
    null,
    2,
  )}\n`;

function sdkManifest(kind: "server" | "client", options: PackagesOptions): Record<string, unknown> {
  const names = packageNames(options);
  const entry = (source: string, dist: string) => ({
    "iocontract-source": source,
    types: `./dist/${dist}.d.ts`,
    import: `./dist/${dist}.js`,
    require: `./dist/${dist}.cjs`,
  });
  return {
    name: kind === "server" ? names.server : names.client,
    version: "0.1.0",
    description: `Generated typed Socket.IO ${kind} SDK for the ${options.name} contract${kind === "client" ? " (browsers and Node)" : ""}`,
    type: "module",
    sideEffects: false,
    exports:
      kind === "server"
        ? {
            ".": entry("./src/index.ts", "index"),
            "./emitter": entry("./src/emitter.ts", "emitter"),
            "./redis": entry("./src/redis.ts", "redis"),
            "./package.json": "./package.json",
          }
        : { ".": entry("./src/index.ts", "index"), "./package.json": "./package.json" },
    files: ["dist"],
    scripts: {
      build: "tsup",
      typecheck: "tsc -p tsconfig.json --noEmit",
      // npm pack / publish: build, then publish a manifest without the source condition (pack-manifest.mjs).
      prepack: "npm run build && node pack-manifest.mjs strip",
      postpack: "node pack-manifest.mjs restore",
    },
    dependencies: {
      "@iocontract/runtime": SDK_DEPENDENCIES.runtime,
      ...(kind === "server"
        ? { "socket.io": SDK_DEPENDENCIES.socketio }
        : { "socket.io-client": SDK_DEPENDENCIES.socketio }),
      zod: SDK_DEPENDENCIES.zod,
    },
    ...(kind === "server"
      ? {
          // ./redis loads these only when its functions run: optional.
          peerDependencies: REDIS_PEERS,
          peerDependenciesMeta: Object.fromEntries(Object.keys(REDIS_PEERS).map((name) => [name, { optional: true }])),
        }
      : {}),
    devDependencies: { [names.contract]: "0.1.0" },
  };
}

/** Every file `init --packages` writes, relative to the project root. */
export function packagesFiles(options: PackagesOptions, extendsPath?: string): Array<{ file: string; text: string }> {
  const names = packageNames(options);
  const folders = options.folders ?? { contract: "contract", server: "server-sdk", client: "client-sdk" };
  const at = (folder: string, file: string) => `${options.dir}/${folder}/${file}`;
  /** The shared tsconfig, seen from a package folder. */
  const base = (folder: string) =>
    extendsPath === undefined
      ? undefined
      : path.posix.relative(path.posix.normalize(`${options.dir}/${folder}`), extendsPath);
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const contractFile = `${options.name}.contract.ts`;
  return [
    {
      file: at(folders.contract, "package.json"),
      text: json({
        name: names.contract,
        version: "0.1.0",
        private: true,
        description: `The ${options.name} contract: bundled into ${names.server} and ${names.client}`,
        type: "module",
        exports: { ".": `./${contractFile}` },
        scripts: { typecheck: "tsc -p tsconfig.json --noEmit" },
        dependencies: { "@iocontract/runtime": SDK_DEPENDENCIES.runtime, zod: SDK_DEPENDENCIES.zod },
      }),
    },
    {
      file: at(folders.contract, "tsconfig.json"),
      text: TSCONFIG(base(folders.contract)).replace(/"src",\n\s*"\*\.ts"/, '"*.ts"'),
    },
    { file: at(folders.server, "package.json"), text: json(sdkManifest("server", options)) },
    { file: at(folders.server, "tsup.config.ts"), text: SDK_TSUP_CONFIG },
    { file: at(folders.server, "pack-manifest.mjs"), text: SDK_PACK_SCRIPT },
    { file: at(folders.server, "tsconfig.json"), text: TSCONFIG(base(folders.server)) },
    {
      file: at(folders.server, "src/index.ts"),
      text: `// The ${options.name} server SDK: the generated index (handler interfaces, create…Server, types, errors and codes).
export * from "./gen/index.gen.js";
export { ERROR_EVENT, type WireError, type Issue } from "@iocontract/runtime/v1/wire";
`,
    },
    {
      file: at(folders.server, "src/emitter.ts"),
      text: `// \`${names.server}/emitter\`: the typed emitter for processes that run no socket server (a worker, a
// cron job, an HTTP handler), over @socket.io/redis-emitter. Imports neither socket.io nor Redis.
export * from "./gen/emitter.gen";
export type * from "./gen/server.gen";
export type * from "./gen/types.gen";
export { IocontractError, type SocketIoEmitterLike } from "@iocontract/runtime/v1/emitter";
`,
    },
    {
      file: at(folders.server, "src/redis.ts"),
      text: `// \`${names.server}/redis\`: several server nodes on Redis. The adapters, the emitter and node-redis are
// optional peer dependencies, loaded only when these functions run; the main entry never imports them.
export {
  createRedisAdapter,
  createRedisEmitter,
  type RedisAdapter,
  type RedisAdapterKind,
  type RedisAdapterOptions,
  type RedisClientLike,
  type RedisConnectionOptions,
  type RedisEmitter,
  type RedisEmitterOptions,
} from "@iocontract/runtime/v1/redis";
`,
    },
    { file: at(folders.client, "package.json"), text: json(sdkManifest("client", options)) },
    { file: at(folders.client, "tsup.config.ts"), text: SDK_TSUP_CONFIG },
    { file: at(folders.client, "pack-manifest.mjs"), text: SDK_PACK_SCRIPT },
    { file: at(folders.client, "tsconfig.json"), text: TSCONFIG(base(folders.client)) },
    {
      file: at(folders.client, "src/index.ts"),
      text: `// The ${options.name} client SDK: the generated index (create…Client, types, errors and codes).
export * from "./gen/index.gen.js";
export type { ClientOptions } from "@iocontract/runtime/v1/client";
export { ERROR_EVENT, type WireError, type Issue } from "@iocontract/runtime/v1/wire";
`,
    },
    { file: at(folders.contract, contractFile), text: "" /* filled by init: the starter contract */ },
    {
      file: "iocontract.config.ts",
      text: `import { defineConfig } from "iocontract";

// Options: contract, outputs, runtimeImport, contractImport, importExtension, regenerate (iocontract's docs/config.md)
export default defineConfig({
  contract: ${JSON.stringify(at(folders.contract, contractFile))},
  outputs: [
    { kind: "server", dir: ${JSON.stringify(at(folders.server, "src/gen"))} },
    { kind: "client", dir: ${JSON.stringify(at(folders.client, "src/gen"))} },
  ],
  regenerate: "npm run generate",
});
`,
    },
  ].map((f) => ({ ...f, file: path.posix.normalize(f.file) }));
}

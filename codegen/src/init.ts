/**
 * `iocontract init`: sets iocontract up in an existing npm project. Writes `iocontract.config.ts` and a starter
 * contract, a `generate` script in package.json, and a tsconfig.json when the project has none; never overwrites
 * anything (it checks every target first and writes nothing when one exists). `--packages` scaffolds a contract
 * package, a server SDK package and a client SDK package instead (packages.ts).
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { CodegenError } from "./errors.js";
import { toPosix } from "./outputs.js";
import { packageNames, packagesFiles } from "./packages.js";

export interface InitOptions {
  /** The project folder (where package.json is). */
  readonly cwd: string;
  /** The contract's name: it names the generated functions (`createAppServer`). */
  readonly name: string;
  /** Folder of the generated server code, or undefined for no server output. */
  readonly server: string | undefined;
  /** Folder of the generated client code, or undefined for no client output. */
  readonly client: string | undefined;
  /** The contract file. */
  readonly contract: string;
}

export const INIT_DEFAULTS = {
  name: "app",
  server: "src/server/gen",
  client: "src/client/gen",
  contract: (name: string) => `src/${name}.contract.ts`,
} as const;

/** A contract name must print as identifiers: letters, digits, `-` and `_`, starting with a letter. */
export function checkName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    throw new CodegenError(
      `--name ${JSON.stringify(name)}: a contract name starts with a letter and has only letters, digits, "-" and "_"`,
    );
  }
  return name;
}

/** What init writes, as (relative path, text) pairs; package.json is edited, not listed here. */
function initFiles(options: InitOptions, hasTsconfig: boolean): Array<{ file: string; text: string }> {
  const outputs = [
    ...(options.server === undefined
      ? []
      : [`    { kind: "server", dir: ${JSON.stringify(toPosix(options.server))} },`]),
    ...(options.client === undefined
      ? []
      : [`    { kind: "client", dir: ${JSON.stringify(toPosix(options.client))} },`]),
  ];
  const files = [
    {
      file: "iocontract.config.ts",
      text: `import { defineConfig } from "iocontract";

// Options: contract, outputs, runtimeImport, contractImport, importExtension, regenerate (iocontract's docs/config.md)
export default defineConfig({
  contract: ${JSON.stringify(toPosix(options.contract))},
  outputs: [
${outputs.join("\n")}
  ],
  regenerate: "npm run generate",
});
`,
    },
    { file: options.contract, text: starterContract(options.name) },
  ];
  if (!hasTsconfig) {
    files.push({
      file: "tsconfig.json",
      text: `${JSON.stringify(
        {
          compilerOptions: {
            target: "ES2022",
            module: "NodeNext",
            moduleResolution: "NodeNext",
            strict: true,
            exactOptionalPropertyTypes: true,
            skipLibCheck: true,
            outDir: "dist",
            rootDir: "src",
          },
          include: ["src"],
        },
        null,
        2,
      )}\n`,
    });
  }
  return files;
}

function starterContract(name: string): string {
  return `import * as z from "zod";
import { defineContract } from "@iocontract/runtime/contract";

/** The ${name} contract: every event both sides may send, and what each carries. Edit it, then: npm run generate */
export default defineContract({
  name: ${JSON.stringify(name)},
  version: "0.1.0",
  namespaces: {
    "/": {
      errors: { NAME_TAKEN: z.object({ name: z.string() }) },
      clientToServer: {
        hello: {
          payload: z.object({ name: z.string().min(1).max(40) }),
          ack: z.object({ greeting: z.string() }),
          doc: "Says hello; the server answers with a greeting, or NAME_TAKEN.",
        },
      },
      serverToClient: {
        announcement: { payload: z.object({ text: z.string() }), doc: "A line every client shows." },
      },
    },
  },
});
`;
}

interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export interface InitResult {
  readonly written: string[];
  readonly lines: string[];
}

/** The packages the generated code needs at run time, and those missing from package.json. */
function missingPackages(manifest: PackageJson, options: Pick<InitOptions, "server" | "client">): string[] {
  const has = (name: string) =>
    manifest.dependencies?.[name] !== undefined || manifest.devDependencies?.[name] !== undefined;
  const needed = [
    "@iocontract/runtime",
    "zod",
    ...(options.server === undefined ? [] : ["socket.io"]),
    ...(options.client === undefined ? [] : ["socket.io-client"]),
  ];
  return needed.filter((name) => !has(name));
}

export async function init(options: InitOptions): Promise<InitResult> {
  const manifestFile = path.join(options.cwd, "package.json");
  if (!existsSync(manifestFile))
    throw new CodegenError("no package.json in this folder: run init in your project's folder (or npm init -y first)");
  if (options.server === undefined && options.client === undefined)
    throw new CodegenError("nothing to generate: keep the server output, the client output, or both");
  const manifestText = await readFile(manifestFile, "utf8");
  const manifest = JSON.parse(manifestText) as PackageJson;
  const hasTsconfig = existsSync(path.join(options.cwd, "tsconfig.json"));
  const files = initFiles(options, hasTsconfig);
  // Everything is checked before anything is written: init either does all of it or nothing.
  const taken = files.filter((f) => existsSync(path.join(options.cwd, f.file))).map((f) => f.file);
  for (const output of [options.server, options.client]) {
    if (output !== undefined && existsSync(path.join(options.cwd, output))) taken.push(`${toPosix(output)}/`);
  }
  if (manifest.scripts?.["generate"] !== undefined) taken.push('the "generate" script in package.json');
  if (taken.length > 0)
    throw new CodegenError(
      `init writes nothing over what exists: ${taken.join(", ")} (move it away or pick other paths; --help)`,
    );

  for (const f of files) {
    const target = path.join(options.cwd, f.file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.text, { flag: "wx" });
  }
  manifest.scripts = { ...manifest.scripts, generate: "iocontract generate" };
  const indent = /^[ \t]+/m.exec(manifestText)?.[0] ?? "  ";
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, indent)}\n`);

  const pascal = options.name.replace(/(^|[-_])([a-z0-9])/gi, (_m, _s, c: string) => c.toUpperCase());
  const missing = missingPackages(manifest, options);
  const outputs = [options.server, options.client].filter((o): o is string => o !== undefined).map(toPosix);
  const lines = [
    ...files.map((f) => `created ${toPosix(f.file)}`),
    'added the script "generate": "iocontract generate" to package.json',
    "",
    "Next:",
    ...(missing.length > 0 ? [`  0. npm install ${missing.join(" ")}`] : []),
    `  1. Describe your events in ${toPosix(options.contract)}.`,
    `  2. npm run generate   (writes ${outputs.join(" and ")}; \`npx iocontract generate --watch\` while you edit)`,
    `  3. ${[
      options.server === undefined
        ? undefined
        : `Implement ${pascal}Handlers and call create${pascal}Server (from ${toPosix(options.server)}/index.gen.js)`,
      options.client === undefined
        ? undefined
        : `connect with create${pascal}Client (from ${toPosix(options.client)}/index.gen.js)`,
    ]
      .filter((step) => step !== undefined)
      .join("; ")}.`,
  ];
  return { written: files.map((f) => f.file), lines };
}

export interface InitPackagesOptions {
  readonly cwd: string;
  readonly name: string;
  /** npm scope with its `@`, or "". */
  readonly scope: string;
  /** Folder of the three packages. */
  readonly dir: string;
}

/** `init --packages`: a contract package and two SDK packages as npm workspaces (packages.ts). */
export async function initPackages(options: InitPackagesOptions): Promise<InitResult> {
  const manifestFile = path.join(options.cwd, "package.json");
  if (!existsSync(manifestFile))
    throw new CodegenError("no package.json in this folder: run init in your project's folder (or npm init -y first)");
  if (options.scope !== "" && !/^@[a-z0-9][a-z0-9._-]*$/.test(options.scope))
    throw new CodegenError(`--scope ${JSON.stringify(options.scope)}: an npm scope looks like @acme`);
  const manifestText = await readFile(manifestFile, "utf8");
  const manifest = JSON.parse(manifestText) as PackageJson & { workspaces?: unknown };
  if (manifest.workspaces !== undefined && !Array.isArray(manifest.workspaces))
    throw new CodegenError('--packages adds to package.json\'s "workspaces" list; this one is not a list');
  const dir = toPosix(options.dir).replace(/\/+$/, "");
  const files = packagesFiles({ name: options.name, scope: options.scope, dir }).map((f) =>
    f.file.endsWith(".contract.ts") ? { ...f, text: starterContract(options.name) } : f,
  );
  const taken = files.filter((f) => existsSync(path.join(options.cwd, f.file))).map((f) => f.file);
  if (manifest.scripts?.["generate"] !== undefined) taken.push('the "generate" script in package.json');
  if (taken.length > 0)
    throw new CodegenError(
      `init writes nothing over what exists: ${taken.join(", ")} (move it away or pick other paths; --help)`,
    );

  for (const f of files) {
    const target = path.join(options.cwd, f.file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.text, { flag: "wx" });
  }
  const folders = ["contract", "server-sdk", "client-sdk"].map((folder) => `${dir}/${folder}`);
  const workspaces = (manifest.workspaces as string[] | undefined) ?? [];
  const updated = {
    ...manifest,
    workspaces: [...workspaces, ...folders.filter((f) => !workspaces.includes(f))],
    scripts: { ...manifest.scripts, generate: "iocontract generate" },
  };
  const indent = /^[ \t]+/m.exec(manifestText)?.[0] ?? "  ";
  await writeFile(manifestFile, `${JSON.stringify(updated, null, indent)}\n`);

  const names = packageNames({ name: options.name, scope: options.scope, dir });
  const has = (name: string) =>
    manifest.devDependencies?.[name] !== undefined || manifest.dependencies?.[name] !== undefined;
  const missing = ["tsup", "typescript"].filter((name) => !has(name));
  return {
    written: files.map((f) => f.file),
    lines: [
      ...files.map((f) => `created ${f.file}`),
      `added ${folders.join(", ")} to "workspaces" and the script "generate": "iocontract generate" to package.json`,
      "",
      "Next:",
      `  1. ${missing.length > 0 ? `npm install -D ${missing.join(" ")} (the SDKs build with tsup), then ` : ""}npm ` +
        `install (links the three packages); describe your events in ` +
        `${dir}/contract/${options.name}.contract.ts.`,
      `  2. npm run generate, then npm run build -w ${names.server} -w ${names.client}.`,
      `  3. npm pack -w ${names.client} (and -w ${names.server}): front ends and back ends install the tarballs or the published packages.`,
    ],
  };
}

/**
 * The `iocontract` command. One-line errors prefixed with the tool's name, exit code 1; a stack trace only
 * with DEBUG=1.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { CodegenError } from "./errors.js";
import { cacheFileFor, inputKey, record, upToDate } from "./cache.js";
import { type WriteResult, checkFiles, orphans, removeOrphans, writeFiles } from "./generate.js";
import { loadConfig, loadContract } from "./load.js";
import { type Caveat, buildModel } from "./model.js";
import { snapshotFiles } from "./snapshot.js";
import { DEFAULT_REGENERATE, contractPath, outputPaths } from "./outputs.js";
import { GENERATOR_VERSION } from "./version.js";
import { runInit } from "./init-command.js";
import { checkZod } from "./project.js";
import { watchAndGenerate } from "./watch.js";

const HELP = `iocontract ${GENERATOR_VERSION}: one zod contract -> a typed Socket.IO server interface and client SDK

Usage:
  iocontract generate [--config <file>] [--check | --explain | --watch]
  iocontract init [--yes] [--name <name>] [--contract <file>] [--server <dir> | --no-server] [--client <dir> | --no-client]
  iocontract init --packages [--name <name>] [--scope <@scope>] [--dir <folder>]
  iocontract diff --against <git ref | snapshot file> [--json] [--check-version]
  iocontract asyncapi [--config <file>] [--format yaml|json] [--out <file>]
  iocontract docs [--config <file>] [--format md|html] [--out <file>]
  iocontract --help | --version

Commands:
  generate          Print every output the config lists (types + server SDK / client SDK, the contract snapshot).
  init              Set iocontract up in this npm project: iocontract.config.ts, a starter contract, a
                    "generate" script (and a tsconfig.json if there is none). Overwrites nothing.
  diff              Which changes since a git ref break old clients, new clients or old servers (diff --help).
  asyncapi          The contract as an AsyncAPI 3.0 document (YAML by default), to stdout or --out.
  docs              The contract's reference for people: Markdown, or one self-contained HTML page.

Options:
  -c, --config <file>  The config file (default: iocontract.config.ts in the current folder)
      --check          Write no generated file; exit 1 and list each stale, missing or orphaned file
  -w, --watch          Regenerate whenever the config, the contract or a file it imports changes
                       (one line per run; an error waits for the next save; Ctrl-C stops)
      --explain        Write no generated file; list, per event, each schema part whose printed type says less
                       than its schema (refinements, async checks, unknown)

Options of init:
  -y, --yes            Ask nothing: the defaults below, or what the flags say
      --name <name>    The contract's name, which names the generated code (default: app -> createAppServer)
      --contract <file>  The contract file to create (default: src/<name>.contract.ts)
      --server <dir>   Where the server code goes (default: src/server/gen); --no-server for none
      --client <dir>   Where the client code goes (default: src/client/gen); --no-client for none
      --packages       Instead: npm workspaces for a contract package, a server SDK package and a client SDK
                       package, each SDK built with tsup (default folder: packages/; --scope names them @scope/...)
  -h, --help           Show this help
  -v, --version        Show the version

Examples:
  iocontract init --yes
  iocontract init --no-client --server server/src/gen
  iocontract init --packages --name lobby --scope @acme
  iocontract generate
  iocontract generate --watch
  iocontract generate --check
  iocontract generate --explain
  iocontract generate --config examples/other/iocontract.config.ts
`;

function relative(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "init" && !argv.includes("--help") && !argv.includes("-h")) return runInit(argv.slice(1));
  // Subcommands with options of their own parse their own arguments.
  if (argv[0] === "diff") return (await import("./diff/command.js")).diffCommand(argv.slice(1));
  if (argv[0] === "asyncapi") return (await import("./asyncapi-command.js")).asyncApiCommand(argv.slice(1));
  if (argv[0] === "docs") return (await import("./docs-command.js")).docsCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: "string", short: "c" },
      check: { type: "boolean", default: false },
      watch: { type: "boolean", short: "w", default: false },
      explain: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      version: { type: "boolean", short: "v", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${GENERATOR_VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command !== "generate") {
    throw new CodegenError(
      command === undefined
        ? "no command given (try: iocontract generate, or --help)"
        : `unknown command ${JSON.stringify(command)} (try --help)`,
    );
  }
  if (rest.length > 0) throw new CodegenError(`unexpected argument ${JSON.stringify(rest[0])} (try --help)`);

  const configFile = path.resolve(values.config ?? "iocontract.config.ts");
  checkZod(path.dirname(configFile));
  const config = await loadConfig(configFile);
  const rootDir = path.dirname(configFile);
  if (values.watch) {
    if (values.check || values.explain)
      throw new CodegenError("--watch goes with neither --check nor --explain (try --help)");
    const script = process.argv[1];
    if (script === undefined)
      throw new CodegenError("--watch needs to know how it was started (process.argv[1] is empty)");
    return watchAndGenerate({
      configFile,
      contractFile: path.resolve(rootDir, config.contract),
      generateArgs: [script, "generate", "--config", configFile],
    });
  }
  const contract = await loadContract(path.resolve(rootDir, config.contract));
  const model = buildModel(contract, contractPath(rootDir, config), {
    allowAny: config.allowAny === true,
    contractFile: path.resolve(rootDir, config.contract),
  });
  if (values.explain) {
    process.stdout.write(explain(model.caveats));
    return 0;
  }
  // The snapshot needs no ts-morph: printed every run, and its bytes are part of the cache's key.
  const snapshot = snapshotFiles(contract, model, rootDir, config);
  const paths = outputPaths(rootDir, config);
  // Up to date as recorded (cache.ts): nothing to print, and ts-morph is never loaded.
  const cacheFile = cacheFileFor(configFile);
  const key =
    cacheFile === undefined
      ? undefined
      : inputKey(model, rootDir, config, undefined, snapshot.map((f) => f.text).join("\0"));
  const cached = cacheFile !== undefined && key !== undefined && (await upToDate(cacheFile, key, paths));
  // ts-morph loads here, on first use.
  const print = async () => [...(await import("./print.js")).printModel(model, rootDir, config), ...snapshot];

  if (values.check) {
    const files = cached ? undefined : await print();
    const result =
      files === undefined ? { stale: [], missing: [], orphaned: await orphans(paths) } : await checkFiles(files);
    const problems = [
      ...result.stale.map((f) => `stale: ${relative(f)}`),
      ...result.missing.map((f) => `missing: ${relative(f)}`),
      ...result.orphaned.map((f) => `orphaned: ${relative(f)}`),
    ];
    if (problems.length > 0) {
      process.stderr.write(
        `${problems.map((p) => `iocontract: ${p}`).join("\n")}\niocontract: generated code is out of date; ` +
          `run "${config.regenerate ?? DEFAULT_REGENERATE}" and commit the result\n`,
      );
      return 1;
    }
    // Every file on disk is what printing gives: worth recording (the cache, not the outputs).
    if (files !== undefined && cacheFile !== undefined && key !== undefined) await record(cacheFile, key, files);
    process.stdout.write(`iocontract: ${paths.length} generated files are up to date\n`);
    return 0;
  }
  let result: WriteResult;
  if (cached) {
    result = { written: [], unchanged: paths, removed: await removeOrphans(paths) };
  } else {
    const files = await print();
    result = await writeFiles(files);
    if (cacheFile !== undefined && key !== undefined) await record(cacheFile, key, files);
  }
  for (const f of result.written) process.stdout.write(`wrote ${relative(f)}\n`);
  for (const f of result.removed) process.stdout.write(`removed ${relative(f)}\n`);
  process.stdout.write(
    `iocontract: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed\n`,
  );
  return 0;
}

/** `--explain`: one line per caveat, grouped by where it is (namespace, event or part). */
export function explain(caveats: readonly Caveat[]): string {
  if (caveats.length === 0) return "iocontract: every schema part prints exactly what it checks\n";
  const lines: string[] = [];
  let group = "";
  for (const { where, note } of caveats) {
    const head = [
      where.namespace === undefined ? undefined : `namespace ${JSON.stringify(where.namespace)}`,
      where.direction,
      where.event === undefined ? undefined : `event ${JSON.stringify(where.event)}`,
    ]
      .filter((x) => x !== undefined)
      .join(", ");
    const title = head || "contract";
    if (title !== group) lines.push(`${(group = title)}:`);
    lines.push(`  ${[where.part, ...(where.path ?? [])].filter((x) => x !== undefined).join(".")}: ${note}`);
  }
  return `${lines.join("\n")}\n`;
}

function oneLine(error: unknown): string {
  if (error instanceof Error) {
    // parseArgs errors carry a code such as ERR_PARSE_ARGS_UNKNOWN_OPTION; their message is already one line
    return error.message.split("\n")[0]!;
  }
  return String(error);
}

/** Runs the CLI and sets the exit code. */
export function run(argv: string[]): Promise<void> {
  return main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`iocontract: ${oneLine(error)}\n`);
      if (process.env["DEBUG"] === "1" && error instanceof Error && error.stack)
        process.stderr.write(`${error.stack}\n`);
      process.exitCode = 1;
    },
  );
}

const isEntry = process.argv[1] !== undefined && /[\\/]cli\.(ts|js)$/.test(process.argv[1]);
if (isEntry) void run(process.argv.slice(2));

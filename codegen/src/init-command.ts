/** The `iocontract init` command line: flags, and questions when a person is at the terminal without `--yes`. */
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { CodegenError } from "./errors.js";
import { INIT_DEFAULTS, checkName, init, initPackages } from "./init.js";
import { checkZod } from "./project.js";

async function ask(defaults: {
  name: string;
  server: string | undefined;
  client: string | undefined;
  contract: string;
}) {
  const rl = createInterface({ input: process.stdin, terminal: false });
  // Lines are read through the iterator, which buffers them: answers typed (or pasted) ahead are not lost.
  const lines = rl[Symbol.asyncIterator]();
  try {
    const answer = async (question: string, fallback: string) => {
      process.stdout.write(`${question} (${fallback}) `);
      const line = await lines.next();
      if (line.done === true) throw new CodegenError("init: no answer (the input ended); nothing written");
      return (line.value as string).trim() || fallback;
    };
    const name = checkName(await answer("Contract name", defaults.name));
    const contract = await answer(
      "Contract file",
      defaults.contract === INIT_DEFAULTS.contract(defaults.name) ? INIT_DEFAULTS.contract(name) : defaults.contract,
    );
    const which = (await answer("Generate server, client or both?", "both")).toLowerCase();
    if (!["server", "client", "both"].includes(which))
      throw new CodegenError(`answer server, client or both (got ${JSON.stringify(which)})`);
    const server =
      which === "client"
        ? undefined
        : await answer("Folder for the server code", defaults.server ?? INIT_DEFAULTS.server);
    const client =
      which === "server"
        ? undefined
        : await answer("Folder for the client code", defaults.client ?? INIT_DEFAULTS.client);
    return { name, contract, server, client };
  } finally {
    rl.close();
  }
}

export async function runInit(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      yes: { type: "boolean", short: "y", default: false },
      name: { type: "string" },
      contract: { type: "string" },
      server: { type: "string" },
      client: { type: "string" },
      "no-server": { type: "boolean", default: false },
      "no-client": { type: "boolean", default: false },
      packages: { type: "boolean", default: false },
      scope: { type: "string" },
      dir: { type: "string" },
    },
  });
  if (positionals.length > 0)
    throw new CodegenError(`unexpected argument ${JSON.stringify(positionals[0])} (try --help)`);
  if (values.packages) {
    for (const flag of ["contract", "server", "client", "no-server", "no-client"] as const) {
      if (values[flag] !== undefined && values[flag] !== false)
        throw new CodegenError(
          `--${flag} does not go with --packages (which writes a contract package and both SDK packages)`,
        );
    }
    checkZod(process.cwd());
    const result = await initPackages({
      cwd: process.cwd(),
      name: checkName(values.name ?? INIT_DEFAULTS.name),
      scope: values.scope ?? "",
      dir: values.dir ?? "packages",
    });
    process.stdout.write(`${result.lines.join("\n")}\n`);
    return 0;
  }
  if (values.scope !== undefined || values.dir !== undefined)
    throw new CodegenError("--scope and --dir go with --packages");
  if (values["no-server"] && values.server !== undefined)
    throw new CodegenError("--server and --no-server do not go together");
  if (values["no-client"] && values.client !== undefined)
    throw new CodegenError("--client and --no-client do not go together");
  const name = checkName(values.name ?? INIT_DEFAULTS.name);
  let chosen = {
    name,
    contract: values.contract ?? INIT_DEFAULTS.contract(name),
    server: values["no-server"] ? undefined : (values.server ?? INIT_DEFAULTS.server),
    client: values["no-client"] ? undefined : (values.client ?? INIT_DEFAULTS.client),
  };
  checkZod(process.cwd());
  // Questions only for a person at a terminal; a script or CI without --yes gets the flags and defaults.
  if (!values.yes && process.stdin.isTTY && process.stdout.isTTY) chosen = await ask(chosen);
  const result = await init({ cwd: process.cwd(), ...chosen });
  process.stdout.write(`${result.lines.join("\n")}\n`);
  return 0;
}

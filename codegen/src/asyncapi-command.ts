/** `iocontract asyncapi [--format yaml|json] [--out <file>]`: the contract as an AsyncAPI 3.0 document (asyncapi.ts). */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { printAsyncApi } from "./asyncapi.js";
import { CodegenError } from "./errors.js";
import { loadConfig, loadContract } from "./load.js";
import { buildModels } from "./generate.js";

export async function asyncApiCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      config: { type: "string", short: "c" },
      format: { type: "string", default: "yaml" },
      out: { type: "string", short: "o" },
    },
  });
  const format = values.format;
  if (format !== "yaml" && format !== "json")
    throw new CodegenError(`--format must be yaml or json, not ${JSON.stringify(format)}`);
  const configFile = path.resolve(values.config ?? "iocontract.config.ts");
  const config = await loadConfig(configFile);
  const rootDir = path.dirname(configFile);
  const contract = await loadContract(path.resolve(rootDir, config.contract));
  const text = printAsyncApi(contract, buildModels(contract, rootDir, config).model, format);
  if (values.out === undefined) {
    process.stdout.write(text);
  } else {
    await mkdir(path.dirname(path.resolve(values.out)), { recursive: true });
    await writeFile(path.resolve(values.out), text);
    process.stdout.write(`wrote ${values.out}\n`);
  }
  return 0;
}

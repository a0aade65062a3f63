/** `iocontract docs [--format md|html] [--out <file>]`: the contract's reference for people (docs.ts). */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { printHtml, printMarkdown } from "./docs.js";
import { CodegenError } from "./errors.js";
import { loadConfig, loadContract } from "./load.js";
import { buildModels } from "./generate.js";
import { buildSnapshot } from "./snapshot.js";

export async function docsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      config: { type: "string", short: "c" },
      format: { type: "string", default: "md" },
      out: { type: "string", short: "o" },
    },
  });
  const format = values.format;
  if (format !== "md" && format !== "html")
    throw new CodegenError(`--format must be md or html, not ${JSON.stringify(format)}`);
  const configFile = path.resolve(values.config ?? "iocontract.config.ts");
  const config = await loadConfig(configFile);
  const rootDir = path.dirname(configFile);
  const contract = await loadContract(path.resolve(rootDir, config.contract));
  const snapshot = buildSnapshot(contract, buildModels(contract, rootDir, config).model);
  const text = format === "md" ? printMarkdown(snapshot) : printHtml(snapshot);
  if (values.out === undefined) {
    process.stdout.write(text);
  } else {
    await mkdir(path.dirname(path.resolve(values.out)), { recursive: true });
    await writeFile(path.resolve(values.out), text);
    process.stdout.write(`wrote ${values.out}\n`);
  }
  return 0;
}

/** Facts about the user's project that the CLI checks before it loads anything of theirs. */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { CodegenError } from "./errors.js";

/** The oldest zod whose schemas the generator reads (zod 4's `_zod` internals as of 4.1). */
const MIN_ZOD = { major: 4, minor: 1 } as const;

/**
 * The zod version the project in `dir` resolves, or undefined when it has none. A zod older than 4.1 is one
 * clear line instead of a confusing failure later (zod 3 schemas have none of what the generator reads).
 */
export function checkZod(dir: string): string | undefined {
  let entry: string;
  try {
    entry = createRequire(path.join(dir, "package.json")).resolve("zod");
  } catch {
    return undefined;
  }
  // Up from zod's entry file to its package.json (not every zod exports "./package.json").
  let version: string | undefined;
  for (let d = path.dirname(entry); version === undefined && d !== path.dirname(d); d = path.dirname(d)) {
    const file = path.join(d, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (manifest.name === "zod") version = manifest.version;
  }
  if (version === undefined) return undefined;
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major < MIN_ZOD.major || (major === MIN_ZOD.major && minor < MIN_ZOD.minor)) {
    throw new CodegenError(
      `this project has zod ${version}; iocontract needs zod >= ${MIN_ZOD.major}.${MIN_ZOD.minor}: npm ` +
        `install zod@^${MIN_ZOD.major}.${MIN_ZOD.minor} (zod 4 still serves zod 3's API at "zod/v3")`,
    );
  }
  return version;
}

#!/usr/bin/env node
/**
 * Checks one package as npm would publish it: `node test/packaging/lib/check-package.mjs <package-dir>`.
 *
 * 1. `npm pack` (its `prepack` builds it) into a temporary folder;
 * 2. every target of its `exports` map (every condition, nested ones too), `main`, `module`, `types`, `bin`
 *    and `typesVersions` is a file in the tarball;
 * 3. publint (`--strict`: warnings fail too) on the tarball;
 * 4. @arethetypeswrong/cli on the tarball, profile "strict": node10, node16 (CJS and ESM) and bundler resolve
 *    every entry point's types without a problem.
 *
 * Prints one line per check and exits 1 when any fails. Both published packages (the runtime, the CLI) use it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
/** A tool installed for the tests (npm hoists it to the repository's node_modules). */
const bin = (name) =>
  [path.join(here, "../../node_modules/.bin", name), path.join(here, "../../../node_modules/.bin", name)].find((file) =>
    existsSync(file),
  ) ?? name;
const pkgDir = path.resolve(process.argv[2] ?? ".");
const out = mkdtempSync(path.join(tmpdir(), "iocontract-check-package-"));
let failed = false;

function report(name, ok, details = "") {
  if (!ok) failed = true;
  process.stdout.write(`${ok ? "ok" : "FAIL"} ${name}${details ? `\n${details.trimEnd()}` : ""}\n`);
}

function run(command, args, options = {}) {
  try {
    return {
      code: 0,
      out: execFileSync(command, args, {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 240_000,
        ...options,
      }),
    };
  } catch (error) {
    return { code: error.status ?? 1, out: `${error.stdout ?? ""}${error.stderr ?? ""}` || String(error.message) };
  }
}

/** Every file path a manifest points at. */
function targets(manifest) {
  const found = [];
  const walk = (value, where) => {
    if (typeof value === "string") found.push([where, value]);
    else if (value !== null && typeof value === "object")
      for (const [key, inner] of Object.entries(value)) walk(inner, `${where} > ${key}`);
  };
  walk(manifest.exports, "exports");
  for (const field of ["main", "module", "types", "typings"])
    if (typeof manifest[field] === "string") found.push([field, manifest[field]]);
  walk(manifest.bin, "bin");
  walk(manifest.typesVersions, "typesVersions");
  return found.filter(([, target]) => target.startsWith("./") || !target.includes(":"));
}

try {
  const packed = run("npm", ["pack", "--json", "--pack-destination", out], { cwd: pkgDir });
  if (packed.code !== 0) {
    report("npm pack", false, packed.out);
  } else {
    // npm prints its JSON after the prepack build's own output.
    const info = JSON.parse(packed.out.slice(packed.out.search(/^\[$/m), packed.out.search(/^\]$/m) + 1))[0];
    const tarball = path.join(out, info.filename);
    const files = new Set(info.files.map((f) => f.path));
    report(`npm pack ${info.name}@${info.version} (${info.files.length} files)`, true);

    const manifest = JSON.parse(run("tar", ["-xOzf", tarball, "package/package.json"]).out);
    const missing = targets(manifest)
      .filter(([, target]) => !target.includes("*"))
      .filter(([, target]) => !files.has(path.posix.normalize(target)))
      .map(([where, target]) => `  ${where}: ${target} is not in the tarball`);
    report("every exports/main/types/bin target is published", missing.length === 0, missing.join("\n"));

    const lint = run(bin("publint"), ["run", tarball, "--strict"]);
    report("publint --strict", lint.code === 0, lint.code === 0 ? "" : lint.out);

    const attw = run(bin("attw"), [tarball, "--profile", "strict", "--format", "ascii", "--no-emoji", "--no-color"]);
    report("attw (node10, node16 CJS and ESM, bundler)", attw.code === 0, attw.code === 0 ? "" : attw.out);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

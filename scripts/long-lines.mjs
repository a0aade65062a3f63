// Fails on a hand-written line over 160 characters (`npm run lint` runs it): Biome wraps code at 120, but not long
// strings, template literals or comments. Generated files (*.gen.ts, the goldens under test/fixtures/*/expected)
// are the printers' business and are not checked. Break a long string by concatenation, a comment by wrapping it.
//
//   node scripts/long-lines.mjs          # prints each offending line as file:line: length, exit 1 if any
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const LIMIT = 160;
const SOURCE = /\.(?:[cm]?js|[cm]?ts)$/;
const GENERATED = [/\.gen\.ts$/, /^test\/fixtures\/[^/]+\/expected\//, /(?:^|\/)dist\//];

/**
 * Files that still hold long lines, with how many, until their owners break them: the check fails when one of
 * them gains a long line. Lower a count (or remove the entry) when you break one.
 */
const KNOWN = {
  "bench/src/big-contract.ts": 3,
  "bench/src/codegen.ts": 5,
  "codegen/src/model.test.ts": 7,
  "codegen/src/model.ts": 2,
  "codegen/src/printers/emitter.ts": 1,
  "codegen/src/printers/python/client.ts": 10,
  "codegen/src/printers/python/runtime-server.ts": 1,
  "codegen/src/printers/python/runtime.ts": 1,
  "codegen/src/printers/server.ts": 2,
  "codegen/src/schema/print-type.ts": 4,
  "codegen/src/schema/ts-types.ts": 7,
  "test/codegen/brands.test.ts": 2,
  "test/fixtures/real-world/contract.ts": 1,
};

const root = execFileSync("git", ["rev-parse", "--show-toplevel"], { encoding: "utf8" }).trim();
// Tracked files and new ones git does not ignore.
const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
  cwd: root,
  encoding: "utf8",
})
  .split("\0")
  .filter((file) => SOURCE.test(file) && !GENERATED.some((pattern) => pattern.test(file)));

const problems = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(`${root}/${file}`, "utf8");
  } catch {
    continue; // deleted in the work tree, not yet in the index
  }
  const long = [];
  text.split("\n").forEach((line, i) => {
    if (line.length > LIMIT) long.push(`${file}:${i + 1}: ${line.length} characters`);
  });
  if (long.length > (KNOWN[file] ?? 0)) problems.push(...long);
}
if (problems.length > 0) {
  process.stderr.write(
    `${problems.join("\n")}\niocontract: ${problems.length} line(s) over ${LIMIT} characters in hand-written code ` +
      "(break long strings by concatenation, wrap comments; scripts/long-lines.mjs)\n",
  );
  process.exit(1);
}

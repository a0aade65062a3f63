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
  text.split("\n").forEach((line, i) => {
    if (line.length > LIMIT) problems.push(`${file}:${i + 1}: ${line.length} characters`);
  });
}
if (problems.length > 0) {
  process.stderr.write(
    `${problems.join("\n")}\niocontract: ${problems.length} line(s) over ${LIMIT} characters in hand-written code ` +
      "(break long strings by concatenation, wrap comments; scripts/long-lines.mjs)\n",
  );
  process.exit(1);
}

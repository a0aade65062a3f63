// `npm run typecheck`: every workspace's `tsc --noEmit` through turbo (cached), printing each TypeScript error
// once, by its path from the repository's root, and one summary line, instead of turbo's and npm's logs. (Two
// workspaces that type-check the same file, such as test/ reading examples/chat's source, report its errors
// twice; they are printed once.) Extra arguments go to turbo (e.g. --filter=@iocontract/example-chat).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
/** Workspace name -> folder, to turn each tsc path (relative to its workspace) into one from the root. */
const folders = new Map(
  JSON.parse(readFileSync("package.json", "utf8")).workspaces.map((dir) => [
    JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).name,
    dir,
  ]),
);

const turbo = spawn(
  process.execPath,
  [
    path.join(root, "node_modules/turbo/bin/turbo"),
    "run",
    "typecheck",
    "--continue",
    "--output-logs=errors-only",
    ...process.argv.slice(2),
  ],
  {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0", NO_COLOR: "1" },
  },
);
let output = "";
turbo.stdout.on("data", (chunk) => (output += chunk));
turbo.stderr.on("data", (chunk) => (output += chunk));
turbo.on("close", (code) => {
  const errors = [];
  const seen = new Set();
  let current;
  for (const raw of output.split("\n")) {
    // "<workspace>:typecheck: <tsc line>"
    const match = /^(\S+?):typecheck: (.*)$/.exec(raw);
    if (!match) continue;
    const [, workspace, line] = match;
    const error = /^(.+?)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(line);
    if (error) {
      const file = path.relative(root, path.resolve(root, folders.get(workspace) ?? ".", error[1]));
      const key = `${file}(${error[2]},${error[3]}): ${error[4]}`;
      current = seen.has(key) ? undefined : { head: `${file}(${error[2]},${error[3]}): error ${error[4]}`, more: [] };
      if (current) {
        seen.add(key);
        errors.push(current);
      }
    } else if (current && /^\s+\S/.test(line) && !/^\s*(npm (error|ERR)|>)/.test(line)) {
      current.more.push(line); // tsc's indented elaboration of the error above
    } else {
      current = undefined;
    }
  }
  const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(output);
  const counts = cached ? ` (${cached[1]} of ${cached[2]} tasks from turbo's cache)` : "";
  if (code === 0) {
    console.log(`typecheck: no errors${counts}`);
    process.exit(0);
  }
  if (errors.length === 0) {
    // Not a TypeScript error (turbo or a workspace failed otherwise): show everything.
    process.stderr.write(output);
    console.error(`typecheck: failed (exit ${code})`);
    process.exit(code ?? 1);
  }
  for (const e of errors) console.log([e.head, ...e.more].join("\n"));
  const files = new Set(errors.map((e) => e.head.replace(/\(\d+,\d+\).*$/, "")));
  console.log(
    `typecheck: ${errors.length} error${errors.length === 1 ? "" : "s"} in ${files.size} file${files.size === 1 ? "" : "s"}${counts}`,
  );
  process.exit(1);
});

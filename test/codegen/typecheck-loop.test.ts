/**
 * The core promise, on a copy of this repository: edit the contract, `npm run generate`, and `npm run typecheck`
 * names the handler the example now lacks, every time, although turbo caches type checks. (It once replayed the
 * example's cached pass, because its typecheck did not depend on the generated files of the packages it imports:
 * turbo.json's "sources" task carries those files into its hash.) Twice, with a pass in between that turbo may
 * serve from its cache. The failing run prints each error once and a summary line, without turbo's or npm's logs.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cacheFileFor } from "iocontract";

vi.setConfig({ testTimeout: 300_000 });

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function run(command: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, timeout: 240_000, env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
      },
    );
  });
}

let copy: string;
const CONTRACT = "contract/chat.contract.ts";
let contract: string;

beforeAll(async () => {
  copy = await mkdtemp(path.join(tmpdir(), "iocontract-loop-"));
  const files = (await run("git", ["ls-files", "-co", "--exclude-standard"], REPO)).out.split("\n").filter(Boolean);
  for (const f of files) {
    await mkdir(path.dirname(path.join(copy, f)), { recursive: true });
    await cp(path.join(REPO, f), path.join(copy, f)).catch(() => undefined); // a file deleted in the work tree
  }
  // The repository's installed packages, except the workspaces: those must be the copy's own folders (the
  // repository's node_modules links them to the repository's, which this test does not edit).
  await mkdir(path.join(copy, "node_modules/@iocontract"), { recursive: true });
  for (const entry of await readdir(path.join(REPO, "node_modules"))) {
    if (entry === "@iocontract" || entry === "iocontract") continue;
    await symlink(path.join(REPO, "node_modules", entry), path.join(copy, "node_modules", entry));
  }
  const workspaces = (JSON.parse(await readFile(path.join(copy, "package.json"), "utf8")) as { workspaces: string[] })
    .workspaces;
  for (const dir of workspaces) {
    const { name } = JSON.parse(await readFile(path.join(copy, dir, "package.json"), "utf8")) as { name: string };
    await symlink(path.join(copy, dir), path.join(copy, "node_modules", name), "dir");
  }
  await symlink(path.join(REPO, "test/node_modules"), path.join(copy, "test/node_modules"), "dir");
  // turbo hashes files through git when there is a repository: give the copy its own.
  await run("git", ["init", "-q"], copy);
  await run("git", ["add", "-A"], copy);
  await run("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "copy"], copy);
  contract = await readFile(path.join(copy, CONTRACT), "utf8");
}, 120_000);

afterAll(async () => {
  const cacheFile = cacheFileFor(path.join(copy, "iocontract.config.ts"));
  if (cacheFile !== undefined) await rm(cacheFile, { force: true });
  await rm(copy, { recursive: true, force: true });
});

const typecheck = () => run(process.execPath, ["scripts/typecheck.mjs", "--filter=@iocontract/example-chat"], copy);
const generate = () =>
  run(process.execPath, ["--conditions=iocontract-source", "scripts/iocontract.mjs", "generate"], copy);
async function addEvent(wire: string) {
  await writeFile(
    path.join(copy, CONTRACT),
    contract.replace("      clientToServer: {\n", `      clientToServer: {\n        "${wire}": {},\n`),
  );
  expect((await generate()).code).toBe(0);
}

describe("edit -> generate -> typecheck, with turbo's cache", () => {
  it("names the missing handler on every run, cached or not", async () => {
    const first = await typecheck();
    expect(first.out).toMatch(/^typecheck: no errors \(\d+ of \d+ tasks from turbo's cache\)\n$/);
    expect(first.code).toBe(0);

    for (const [wire, identifier] of [
      ["wave hello", "waveHello"],
      ["wave goodbye", "waveGoodbye"],
    ] as const) {
      await addEvent(wire);
      const failing = await typecheck();
      expect(failing.code).toBe(1);
      const lines = failing.out.trimEnd().split("\n");
      // Each error line names a file from the repository's root; the handler is named; then the summary.
      expect(
        lines
          .filter((l) => /: error TS\d+: /.test(l))
          .every((l) => /^examples\/chat\/src\/\S+\.ts\(\d+,\d+\): error TS\d+: /.test(l)),
      ).toBe(true);
      expect(failing.out).toMatch(
        new RegExp(
          `Property '${identifier}' is missing in type 'ChatHandlersImpl' but required in type 'ChatHandlers'\\.`,
        ),
      );
      expect(new Set(lines).size).toBe(lines.length); // each error once
      expect(lines.at(-1)).toMatch(/^typecheck: \d+ errors? in \d+ files? \(\d+ of \d+ tasks from turbo's cache\)$/);
      expect(failing.out).not.toMatch(/npm error|ERR!|Tasks:|cache miss|executing|Packages in scope/);

      // Back to the contract the example implements: passes again (turbo may replay the first run's pass).
      await writeFile(path.join(copy, CONTRACT), contract);
      expect((await generate()).code).toBe(0);
      const passing = await typecheck();
      expect(passing.out).toMatch(/^typecheck: no errors/);
      expect(passing.code).toBe(0);
    }
  });
});

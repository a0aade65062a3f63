/**
 * `iocontract diff` as a team runs it: a scratch project in its own git repository, a history of contract
 * versions committed with their snapshots, and the diff against refs of that history and against a file.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cacheFileFor } from "iocontract";

vi.setConfig({ testTimeout: 180_000 });

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = path.join(REPO, "scripts/iocontract.mjs");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
const iocontract = (cwd: string, args: string[]) =>
  run(process.execPath, ["--conditions=iocontract-source", CLI, ...args], cwd);
const git = async (cwd: string, ...args: string[]) => {
  const r = await run(
    "git",
    ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args],
    cwd,
  );
  if (r.code !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};

const contract = (version: string, payload: string, extra = "") => `import { z } from "zod";
import { defineContract } from "@iocontract/runtime/contract";

export default defineContract({
  name: "demo",
  version: "${version}",
  namespaces: {
    "/": {
      clientToServer: {
        "say hello": { payload: ${payload}, ack: z.object({ greeting: z.string() }) },${extra}
      },
      serverToClient: { "hello said": { payload: z.object({ name: z.string() }) } },
    },
  },
});
`;

const CONFIG = `import { defineConfig } from "iocontract";

export default defineConfig({
  contract: "contract/demo.contract.ts",
  outputs: [{ kind: "server", dir: "server/gen" }],
});
`;

let dir: string;

async function commit(source: string, message: string, tag?: string): Promise<void> {
  await writeFile(path.join(dir, "contract/demo.contract.ts"), source);
  const generated = await iocontract(dir, ["generate"]);
  expect(generated.code, generated.stderr).toBe(0);
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "-m", message);
  if (tag !== undefined) await git(dir, "tag", tag);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "iocontract-diff-"));
  await symlink(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
  await writeFile(path.join(dir, ".gitignore"), "node_modules\n");
  await writeFile(path.join(dir, "iocontract.config.ts"), CONFIG);
  await run(process.execPath, ["-e", "require('fs').mkdirSync('contract')"], dir);
  await git(dir, "init", "-q", "-b", "main");
  await commit(contract("1.0.0", "z.object({ name: z.string() })"), "v1", "v1.0.0");
  // v1.1.0: an optional field and a new event: additions only.
  await commit(
    contract("1.1.0", "z.object({ name: z.string(), lang: z.string().optional() })", '\n        "wave": {},'),
    "v1.1",
    "v1.1.0",
  );
});
afterAll(async () => {
  const cacheFile = cacheFileFor(path.join(dir, "iocontract.config.ts"));
  if (cacheFile !== undefined) await rm(cacheFile, { force: true });
  await rm(dir, { recursive: true, force: true });
});

describe("iocontract diff against a git history", () => {
  it("the snapshot is committed beside the contract", async () => {
    expect((await git(dir, "ls-files")).split("\n")).toContain("contract/demo.contract.json");
  });

  it("against the working tree's own commit: no changes, exit 0", async () => {
    expect(await iocontract(dir, ["diff", "--against", "HEAD"])).toEqual({
      code: 0,
      stdout: "iocontract diff: demo@1.1.0 (HEAD) → demo@1.1.0 (working tree)\nno changes\n",
      stderr: "",
    });
  });

  const tagTitle =
    "against a tag: additions are safe for old clients, breaking only for new clients on the old server (exit 0); " +
    "the minor bump passes --check-version";
  it(tagTitle, async () => {
    const r = await iocontract(dir, ["diff", "--against", "v1.0.0", "--check-version"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(
      '  / clientToServer "wave": clientToServer event "wave" added\n    old clients, new server: safe\n   ' +
        ' new clients, old server: breaking — the old server does not handle "wave"',
    );
    expect(r.stdout).toContain(
      '  / clientToServer "say hello": payload changed\n    old clients, new server: safe\n    new clients, old server: safe\n',
    );
    expect(r.stdout).toContain("\ndeploy the server first: 1 change(s) break new clients with the old server\n");
    expect(r.stdout).toContain("version 1.0.0 → 1.1.0: enough for these changes (they need a minor bump)");
    expect(r.code).toBe(0);
  });

  it("a breaking edit in the working tree: exit 1 naming namespace, event and field; --check-version asks for a major bump; --json says the same", async () => {
    await writeFile(
      path.join(dir, "contract/demo.contract.ts"),
      contract("1.2.0", "z.object({ name: z.string(), room: z.string() })"),
    );
    const r = await iocontract(dir, ["diff", "--against", "main"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^BREAKING \(2\)$/m);
    expect(r.stdout).toContain(
      '  / clientToServer "say hello": payload changed\n    old clients, new server: breaking — old ' +
        'clients send the payload of "say hello" at `room`: senders do not send `room`; the receiver ' +
        "requires it",
    );
    expect(r.stdout).toContain('  / clientToServer "wave": clientToServer event "wave" removed');

    const versioned = await iocontract(dir, ["diff", "--against", "main", "--check-version"]);
    expect(versioned.code).toBe(1);
    expect(versioned.stdout).toContain(
      "iocontract: version 1.1.0 → 1.2.0: 2 change(s) break old clients or old servers; bump the major version (to 2.0.0)",
    );

    const json = await iocontract(dir, ["diff", "--against", "main", "--json", "--check-version"]);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as {
      from: { version: string };
      changes: Array<{ event?: string; part: string; verdicts: Record<string, { verdict: string; reason?: string }> }>;
      versionCheck: { ok: boolean; needed: string };
    };
    expect(parsed.from.version).toBe("1.1.0");
    expect(parsed.versionCheck).toMatchObject({ ok: false, needed: "major" });
    const payload = parsed.changes.find((c) => c.event === "say hello" && c.part === "payload")!;
    expect(payload.verdicts["oldClientsNewServer"]).toMatchObject({ verdict: "breaking" });
    expect(payload.verdicts["newClientsOldServer"]).toEqual({ verdict: "safe" });

    // The same edit under a major version passes the version check.
    await writeFile(
      path.join(dir, "contract/demo.contract.ts"),
      contract("2.0.0", "z.object({ name: z.string(), room: z.string() })"),
    );
    const major = await iocontract(dir, ["diff", "--against", "main", "--check-version"]);
    expect(major.stdout).toContain("version 1.1.0 → 2.0.0: enough for these changes (they need a major bump)");
    expect(major.code).toBe(0);
  });

  it("an addition without a minor bump fails --check-version", async () => {
    await writeFile(
      path.join(dir, "contract/demo.contract.ts"),
      contract(
        "1.1.1",
        "z.object({ name: z.string(), lang: z.string().optional() })",
        '\n        "wave": {},\n        "wave twice": {},',
      ),
    );
    const r = await iocontract(dir, ["diff", "--against", "v1.1.0", "--check-version"]);
    expect(r.stdout).toContain("iocontract: version 1.1.0 → 1.1.1: 1 addition(s); bump the minor version (to 1.2.0)");
    expect(r.code).toBe(1);
  });

  it("against a snapshot file", async () => {
    await git(dir, "show", "v1.0.0:contract/demo.contract.json").then((text) =>
      writeFile(path.join(dir, "old.json"), text),
    );
    const r = await iocontract(dir, ["diff", "--against", "old.json"]);
    expect(r.stdout.split("\n")[0]).toBe("iocontract diff: demo@1.0.0 (old.json) → demo@1.1.1 (working tree)");
  });

  it("usage errors exit 2 with one line: no --against, an unknown ref, an unknown option, a file that is no snapshot", async () => {
    expect(await iocontract(dir, ["diff"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "iocontract: diff needs --against <git ref | snapshot file> (try: iocontract diff --help)\n",
    });
    const ref = await iocontract(dir, ["diff", "--against", "no-such-ref"]);
    expect(ref.code).toBe(2);
    expect(ref.stderr).toMatch(
      /^iocontract: git show no-such-ref:\.\/demo\.contract\.json: .+\(try: iocontract diff --help\)\n$/,
    );
    const option = await iocontract(dir, ["diff", "--against", "main", "--frobnicate"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^iocontract: Unknown option '--frobnicate'/);
    const notSnapshot = await iocontract(dir, ["diff", "--against", "iocontract.config.ts"]);
    expect(notSnapshot.code).toBe(2);
    expect(notSnapshot.stderr).toMatch(
      /^iocontract: iocontract\.config\.ts is not JSON \(.*\) \(try: iocontract diff --help\)\n$/,
    );
  });
});

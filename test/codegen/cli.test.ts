/**
 * The `iocontract` CLI as a user runs it, in a scratch project: generate, --check, errors, and the promise
 * that adding an event makes the type check name the handler to write.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cacheFileFor } from "iocontract";

// These spawn node, npm and tsc: give them room on a loaded (shared) machine; each command has its own timeout.
vi.setConfig({ testTimeout: 180_000 });

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** What `npm run generate` runs: the CLI's source through tsx's scoped loader. */
const CLI = path.join(REPO, "scripts/iocontract.mjs");
const TSC = path.join(REPO, "node_modules/typescript/bin/tsc");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
const iocontract = (cwd: string, args: string[], env?: Record<string, string>) =>
  run(process.execPath, ["--conditions=iocontract-source", CLI, ...args], cwd, env);

const CONTRACT = `import { z } from "zod";
import { defineContract } from "@iocontract/runtime/contract";

export default defineContract({
  name: "demo",
  version: "1.0.0",
  namespaces: {
    "/": {
      clientToServer: {
        "say hello": { payload: z.object({ name: z.string() }), ack: z.object({ greeting: z.string() }) },
      },
      serverToClient: { "hello said": { payload: z.object({ name: z.string() }) } },
    },
  },
});
`;

const CONFIG = `import { defineConfig } from "iocontract";

export default defineConfig({
  contract: "contract.ts",
  outputs: [
    { kind: "server", dir: "server/gen" },
    { kind: "client", dir: "client/gen" },
  ],
});
`;

const HANDLERS = `import type { DemoHandlers } from "./server/gen/server.gen";
import type { SayHelloAck, SayHelloPayload } from "./server/gen/types.gen";

export class Handlers implements DemoHandlers {
  sayHello(payload: SayHelloPayload): SayHelloAck {
    return { greeting: \`hello \${payload.name}\` };
  }
}
`;

let dir: string;
const GENERATED = [
  "client/gen/client.gen.ts",
  "client/gen/index.gen.ts",
  "client/gen/types.gen.ts",
  "contract.json",
  "server/gen/emitter.gen.ts",
  "server/gen/index.gen.ts",
  "server/gen/server.gen.ts",
  "server/gen/types.gen.ts",
];

async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of GENERATED) out[f] = await readFile(path.join(dir, f), "utf8").catch(() => "(missing)");
  return out;
}

/** A scratch project that borrows the repository's installed packages (its no-op cache lands in theirs). */
async function scratch(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), "iocontract-cli-"));
  await symlink(path.join(REPO, "node_modules"), path.join(d, "node_modules"), "dir");
  await writeFile(path.join(d, "contract.ts"), CONTRACT);
  await writeFile(path.join(d, "iocontract.config.ts"), CONFIG);
  await writeFile(path.join(d, "handlers.ts"), HANDLERS);
  await writeFile(
    path.join(d, "tsconfig.json"),
    JSON.stringify({ extends: path.join(REPO, "tsconfig.base.json"), include: ["*.ts", "server", "client"] }),
  );
  return d;
}
async function removeScratch(d: string): Promise<void> {
  const cacheFile = cacheFileFor(path.join(d, "iocontract.config.ts"));
  if (cacheFile !== undefined) await rm(cacheFile, { force: true });
  await rm(d, { recursive: true, force: true });
}

beforeAll(async () => {
  dir = await scratch();
});
afterAll(async () => {
  await removeScratch(dir);
});

describe("iocontract CLI", () => {
  it("--help ends with examples; --version prints the version", async () => {
    const help = await iocontract(dir, ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /Usage:\n  iocontract generate \[--config <file>\] \[--check \| --explain \| --watch\]\n  iocontract init /,
    );
    expect(help.stdout.trimEnd().split("\n").at(-1)).toMatch(/^  iocontract generate/);
    expect(help.stdout).toMatch(/Examples:\n/);
    const version = await iocontract(dir, ["--version"]);
    expect(version).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "" });
  });

  it("strict arguments: an unknown option or command is one line, exit 1", async () => {
    const unknown = await iocontract(dir, ["generate", "--frobnicate"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^iocontract: Unknown option '--frobnicate'.*\n$/);
    const command = await iocontract(dir, ["build"]);
    expect(command).toMatchObject({ code: 1, stderr: 'iocontract: unknown command "build" (try --help)\n' });
  });

  it("generate writes the files; generating again changes nothing; --check passes", async () => {
    const first = await iocontract(dir, ["generate"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/iocontract: 8 written, 0 unchanged, 0 removed\n$/);
    const again = await iocontract(dir, ["generate"]);
    expect(again.stdout).toBe("iocontract: 0 written, 8 unchanged, 0 removed\n");
    const check = await iocontract(dir, ["generate", "--check"]);
    expect(check).toEqual({ code: 0, stdout: "iocontract: 8 generated files are up to date\n", stderr: "" });
    const header = (await snapshot())["server/gen/server.gen.ts"]!.split("\n").slice(0, 3);
    expect(header).toEqual([
      '// Server SDK of contract "demo": handler interfaces and createDemoServer().',
      "// Code generated by iocontract 0.1.0 from contract.ts (demo@1.0.0). DO NOT EDIT.",
      "// Regenerate with: npx iocontract generate",
    ]);
  });

  it("the generated code and the handlers type-check", async () => {
    const tsc = await run(process.execPath, [TSC, "-p", "tsconfig.json", "--noEmit"], dir);
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);
  });

  it("adding an event: --check fails listing the stale files, writes nothing; generate makes tsc name the missing handler", async () => {
    const before = await snapshot();
    await writeFile(
      path.join(dir, "contract.ts"),
      CONTRACT.replace("serverToClient: {", 'serverToClient: {\n        "wave back": {},').replace(
        '"say hello": {',
        '"wave": { payload: z.object({ times: z.number().int() }) },\n        "say hello": {',
      ),
    );
    const check = await iocontract(dir, ["generate", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stderr.split("\n").filter(Boolean)).toEqual([
      "iocontract: stale: server/gen/types.gen.ts",
      "iocontract: stale: server/gen/server.gen.ts",
      "iocontract: stale: server/gen/emitter.gen.ts",
      "iocontract: stale: client/gen/types.gen.ts",
      "iocontract: stale: client/gen/client.gen.ts",
      "iocontract: stale: contract.json",
      'iocontract: generated code is out of date; run "npx iocontract generate" and commit the result',
    ]);
    expect(await snapshot()).toEqual(before);

    expect((await iocontract(dir, ["generate"])).code).toBe(0);
    const failing = await run(process.execPath, [TSC, "-p", "tsconfig.json", "--noEmit"], dir);
    expect(failing.code).not.toBe(0);
    expect(failing.stdout).toMatch(
      new RegExp(
        String.raw`handlers\.ts\(\d+,\d+\): error TS2420: Class 'Handlers' incorrectly implements interface ` +
          String.raw`'DemoHandlers'\.\n\s+Property 'wave' is missing in type 'Handlers' but required in type 'DemoHandlers'\.`,
      ),
    );

    await writeFile(
      path.join(dir, "handlers.ts"),
      HANDLERS.replace(
        "export class Handlers implements DemoHandlers {",
        "export class Handlers implements DemoHandlers {\n  wave(): void {}",
      ),
    );
    const passing = await run(process.execPath, [TSC, "-p", "tsconfig.json", "--noEmit"], dir);
    expect(passing.stdout).toBe("");
    expect(passing.code).toBe(0);
  }, 60_000); // two CLI runs and two type checks: over 20 s on a loaded 2-core machine

  it("an orphaned .gen.ts file is reported by --check and removed by generate", async () => {
    await writeFile(path.join(dir, "server/gen/old.gen.ts"), "// left over\n");
    const check = await iocontract(dir, ["generate", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/^iocontract: orphaned: server\/gen\/old\.gen\.ts$/m);
    const gen = await iocontract(dir, ["generate"]);
    expect(gen.stdout).toMatch(/^removed server\/gen\/old\.gen\.ts$/m);
    expect(await readdir(path.join(dir, "server/gen"))).toEqual([
      "emitter.gen.ts",
      "index.gen.ts",
      "server.gen.ts",
      "types.gen.ts",
    ]);
  });

  it.each([
    [
      "an unsupported construct",
      (c: string) =>
        c.replace("z.object({ name: z.string() }), ack", "z.object({ name: z.string(), at: z.date() }), ack"),
      'iocontract: contract "demo" (contract.ts), namespace "/", clientToServer event "say hello", ' +
        "payload.at: a Date does not travel as JSON: send an ISO string and receive a Date with a codec, " +
        "`z.codec(z.iso.datetime(), z.date(), { decode: (s) => new Date(s), encode: (d) => d.toISOString() " +
        "})`, or use z.coerce.date()\n",
    ],
    [
      "an async refinement",
      (c: string) =>
        c.replace(
          "z.object({ name: z.string() }), ack",
          "z.object({ name: z.string().refine(async (n) => n.length > 0) }), ack",
        ),
      'iocontract: contract "demo" (contract.ts), namespace "/", clientToServer event "say hello", ' +
        "payload.name: a refinement is async, and iocontract validates synchronously (every value would " +
        "fail): make it synchronous, or check in the handler\n",
    ],
    [
      "an event named __proto__ (it would set the object literal's prototype)",
      (c: string) => c.replace('"hello said": {', '"__proto__": {},\n        "hello said": {'),
      'iocontract: contract "demo" (contract.ts), namespace "/", serverToClient event "__proto__": an ' +
        'event named "__proto__" is not an entry (it sets the object literal\'s prototype) and cannot be ' +
        "used; rename it\n",
    ],
    [
      "z.any() without allowAny",
      (c: string) =>
        c.replace("z.object({ name: z.string() }), ack", "z.object({ name: z.string(), extra: z.any() }), ack"),
      'iocontract: contract "demo" (contract.ts), namespace "/", clientToServer event "say hello", ' +
        "payload.extra: z.any() would print `any`: use z.unknown() (and narrow in the handler), or set " +
        "`allowAny: true` in the config to print it as `unknown`\n",
    ],
    [
      "a name collision",
      (c: string) => c.replace('"say hello": {', '"say_hello": {},\n        "say hello": {'),
      'iocontract: contract "demo" (contract.ts), namespace "/", clientToServer event "say hello": events ' +
        '"say_hello" and "say hello" both become the identifier sayHello; rename one or set `identifier`\n',
    ],
    [
      "a reserved name",
      (c: string) => c.replace('"hello said":', '"disconnecting":'),
      'iocontract: contract "demo" (contract.ts), namespace "/", serverToClient event "disconnecting": ' +
        '"disconnecting" is reserved by Socket.IO and cannot be an event name\n',
    ],
    [
      "a contract the DSL refuses",
      (c: string) => c.replace('version: "1.0.0"', 'version: "one"'),
      'iocontract: cannot load contract.ts: contract "demo": version must be a semantic version such as "1.0.0" (got "one")\n',
    ],
  ])("%s: one line, exit 1, nothing written", async (_name, edit, line) => {
    await writeFile(path.join(dir, "contract.ts"), edit(CONTRACT));
    const before = await snapshot();
    const result = await iocontract(dir, ["generate"]);
    expect(result.stderr.replace(dir + path.sep, "")).toBe(line);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(await snapshot()).toEqual(before);
  });

  it("a stack trace only with DEBUG=1", async () => {
    await writeFile(path.join(dir, "contract.ts"), CONTRACT.replace("z.string() }), ack", "z.any() }), ack"));
    const quiet = await iocontract(dir, ["generate"]);
    expect(quiet.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    const loud = await iocontract(dir, ["generate"], { DEBUG: "1" });
    expect(loud.stderr).toMatch(/\n\s+at .*print-type\.ts/);
  });

  it("--explain lists each part that prints with a caveat, per event, and writes nothing; allowAny prints z.any() as unknown", async () => {
    const contract = CONTRACT.replace(
      "z.object({ name: z.string() }), ack",
      "z.object({ name: z.string().refine((n) => n.trim() !== n ? false : true), extra: z.any(), meta: z.unknown() }), ack",
    );
    await writeFile(path.join(dir, "contract.ts"), contract);
    const before = await snapshot();
    // Without allowAny, z.any() is refused (the table above); with it, it is a caveat.
    await writeFile(
      path.join(dir, "iocontract.config.ts"),
      CONFIG.replace('contract: "contract.ts",', 'contract: "contract.ts",\n  allowAny: true,'),
    );
    try {
      const explained = await iocontract(dir, ["generate", "--explain"]);
      expect(explained).toEqual({
        code: 0,
        stderr: "",
        stdout:
          'namespace "/", clientToServer, event "say hello":\n' +
          "  payload.name: a refinement (.refine/.superRefine/.check) that the type does not express\n" +
          "  payload.extra: z.any() prints as `unknown` (allowAny)\n" +
          "  payload.meta: z.unknown() prints as `unknown`: the receiver narrows it\n",
      });
      expect(await snapshot()).toEqual(before);
      const generated = await iocontract(dir, ["generate"]);
      expect(generated.code).toBe(0);
      expect(await readFile(path.join(dir, "server/gen/types.gen.ts"), "utf8")).toMatch(
        /  \/\*\* `z\.any\(\)` in the contract: anything passes; printed as `unknown` \(allowAny\)\. \*\/\n  extra: unknown;\n/,
      );
    } finally {
      await writeFile(path.join(dir, "iocontract.config.ts"), CONFIG);
    }
    await writeFile(path.join(dir, "contract.ts"), CONTRACT);
    expect(await iocontract(dir, ["generate", "--explain"])).toEqual({
      code: 0,
      stderr: "",
      stdout: "iocontract: every schema part prints exactly what it checks\n",
    });
  });

  it("a missing config file is one line", async () => {
    const result = await iocontract(dir, ["generate", "--config", "nope.config.ts"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^iocontract: cannot load .*nope\.config\.ts: .*\n$/);
  });

  it("npm start builds what `npx iocontract` runs (a fresh clone has no codegen/dist until something builds it)", async () => {
    const start = (
      JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }
    ).scripts["start"]!;
    const build = /turbo (run build [^&]+)/.exec(start)?.[1]?.trim().split(/\s+/);
    expect(build, start).toBeDefined();
    const dry = await run(
      process.execPath,
      [path.join(REPO, "node_modules/turbo/bin/turbo"), ...build!, "--dry=json"],
      REPO,
      { TURBO_TELEMETRY_DISABLED: "1" },
    );
    expect(dry.code, dry.stderr).toBe(0);
    const tasks = (JSON.parse(dry.stdout) as { tasks: Array<{ taskId: string }> }).tasks.map((t) => t.taskId);
    expect(tasks).toContain("iocontract#build");
    // What the command runs is what that build writes.
    const bin = await readFile(path.join(REPO, "codegen/bin/iocontract.mjs"), "utf8");
    expect(bin).toMatch(/\.\.\/dist\/cli\.js/);
    const manifest = JSON.parse(await readFile(path.join(REPO, "codegen/package.json"), "utf8")) as {
      name: string;
      bin: Record<string, string>;
    };
    expect(manifest).toMatchObject({ name: "iocontract", bin: { iocontract: "./bin/iocontract.mjs" } });
  });

  it("README: what an up-to-date regenerate prints is what it prints", async () => {
    const readme = await readFile(path.join(REPO, "README.md"), "utf8");
    const claim =
      /A regenerate whose outputs are\s+already up to date prints one line, `(iocontract: 0 written, (\d+) unchanged, 0 removed)`/.exec(
        readme,
      );
    expect(claim, "README.md states what an up-to-date regenerate prints").not.toBeNull();
    // This repository's own config, the one the README's sentence is about: run twice, the second is up to date.
    expect(
      (await run(process.execPath, ["--conditions=iocontract-source", CLI, "generate", "--check"], REPO)).code,
    ).toBe(0);
    const again = await run(process.execPath, ["--conditions=iocontract-source", CLI, "generate"], REPO);
    expect(again.stdout).toBe(`${claim![1]}\n`);
  });

  it("the built command (codegen/bin) runs too", async () => {
    await mkdir(path.join(dir, "bin-check"), { recursive: true });
    const version = await run(process.execPath, [path.join(REPO, "codegen/bin/iocontract.mjs"), "--version"], dir);
    expect(version).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "" });
  });
});

/**
 * The no-op cache (codegen/src/cache.ts): a regenerate whose outputs are up to date writes nothing and prints one
 * summary line. A false hit
 * would leave stale code and a passing --check: each case below fails if the cache answers when it must not.
 */
describe("iocontract CLI: the no-op cache", () => {
  let project: string;
  let cacheFile: string;
  beforeAll(async () => {
    project = await scratch();
    cacheFile = cacheFileFor(path.join(project, "iocontract.config.ts"))!;
  });
  afterAll(async () => {
    await removeScratch(project);
  });

  it("generate records the outputs; a regenerate and --check trust the record (nothing is printed)", async () => {
    expect((await iocontract(project, ["generate"])).stdout).toMatch(/8 written/);
    const recorded = JSON.parse(await readFile(cacheFile, "utf8")) as { key: string; files: Record<string, string> };
    expect(
      Object.keys(recorded.files)
        .map((f) => path.relative(project, f))
        .sort(),
    ).toEqual(GENERATED);
    // Proof that printing is skipped: edit an output and record the edit as if the generator had written it.
    // A run that printed would restore the file; a run that trusts the record leaves it.
    const file = path.join(project, "client/gen/client.gen.ts");
    const original = await readFile(file, "utf8");
    const forged = `${original}// forged\n`;
    await writeFile(file, forged);
    const { createHash } = await import("node:crypto");
    recorded.files[file] = createHash("sha256").update(forged).digest("hex");
    await writeFile(cacheFile, JSON.stringify(recorded));
    expect((await iocontract(project, ["generate"])).stdout).toBe("iocontract: 0 written, 8 unchanged, 0 removed\n");
    expect(await readFile(file, "utf8")).toBe(forged);
    expect((await iocontract(project, ["generate", "--check"])).code).toBe(0);
    // Without the record, the file is printed again.
    await rm(cacheFile);
    expect((await iocontract(project, ["generate"])).stdout).toBe(
      "wrote client/gen/client.gen.ts\niocontract: 1 written, 7 unchanged, 0 removed\n",
    );
    expect(await readFile(file, "utf8")).toBe(original);
  });

  it("a hand edit of a .gen.ts file: --check reports it stale, generate rewrites it", async () => {
    expect((await iocontract(project, ["generate"])).code).toBe(0);
    const file = path.join(project, "server/gen/server.gen.ts");
    const original = await readFile(file, "utf8");
    await writeFile(file, original.replace("DO NOT EDIT", "edited anyway"));
    const check = await iocontract(project, ["generate", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/^iocontract: stale: server\/gen\/server\.gen\.ts$/m);
    expect((await iocontract(project, ["generate"])).stdout).toBe(
      "wrote server/gen/server.gen.ts\niocontract: 1 written, 7 unchanged, 0 removed\n",
    );
    expect(await readFile(file, "utf8")).toBe(original);
  });

  it("a deleted output is reported missing and written again", async () => {
    expect((await iocontract(project, ["generate"])).code).toBe(0);
    await rm(path.join(project, "server/gen/emitter.gen.ts"));
    const check = await iocontract(project, ["generate", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/^iocontract: missing: server\/gen\/emitter\.gen\.ts$/m);
    expect((await iocontract(project, ["generate"])).stdout).toMatch(/^wrote server\/gen\/emitter\.gen\.ts$/m);
  });

  it("an orphan next to up-to-date outputs is still reported and removed", async () => {
    expect((await iocontract(project, ["generate"])).stdout).toBe("iocontract: 0 written, 8 unchanged, 0 removed\n");
    await writeFile(path.join(project, "client/gen/old.gen.ts"), "// left over\n");
    const check = await iocontract(project, ["generate", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/^iocontract: orphaned: client\/gen\/old\.gen\.ts$/m);
    expect((await iocontract(project, ["generate"])).stdout).toBe(
      "removed client/gen/old.gen.ts\niocontract: 0 written, 8 unchanged, 1 removed\n",
    );
  });

  it("a contract edit: --check reports the stale files, generate rewrites them", async () => {
    expect((await iocontract(project, ["generate"])).code).toBe(0);
    await writeFile(
      path.join(project, "contract.ts"),
      CONTRACT.replace("greeting: z.string()", 'greeting: z.string().describe("What to say back.")'),
    );
    const check = await iocontract(project, ["generate", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/^iocontract: stale: server\/gen\/types\.gen\.ts$/m);
    expect((await iocontract(project, ["generate"])).stdout).toMatch(/^wrote client\/gen\/types\.gen\.ts$/m);
    expect(await readFile(path.join(project, "client/gen/types.gen.ts"), "utf8")).toMatch(/What to say back\./);
    await writeFile(path.join(project, "contract.ts"), CONTRACT);
    expect((await iocontract(project, ["generate"])).stdout).toMatch(/3 written, 5 unchanged/);
  });

  it("an edit only the snapshot shows (a length bound: no TypeScript type changes) is not hidden by the cache", async () => {
    expect((await iocontract(project, ["generate"])).code).toBe(0);
    await writeFile(
      path.join(project, "contract.ts"),
      CONTRACT.replace("greeting: z.string()", "greeting: z.string().max(80)"),
    );
    const check = await iocontract(project, ["generate", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stderr.split("\n").filter((l) => l.startsWith("iocontract: stale: "))).toEqual([
      "iocontract: stale: contract.json",
    ]);
    expect((await iocontract(project, ["generate"])).stdout).toBe(
      "wrote contract.json\niocontract: 1 written, 7 unchanged, 0 removed\n",
    );
    expect(
      JSON.parse(await readFile(path.join(project, "contract.json"), "utf8")).namespaces["/"].clientToServer[
        "say hello"
      ].ack.input.properties.greeting,
    ).toEqual({ type: "string", maxLength: 80 });
    await writeFile(path.join(project, "contract.ts"), CONTRACT);
    expect((await iocontract(project, ["generate"])).stdout).toMatch(/1 written, 7 unchanged/);
  });

  it("a transform typed by the TypeScript compiler: an edit of a module the contract imports changes the answer, and the record does not hide it", async () => {
    const helper = (ret: string) => `export function normalize(value: string) {\n  return ${ret};\n}\n`;
    await writeFile(path.join(project, "helper.ts"), helper("value.trim()"));
    const contract = `import { normalize } from "./helper";\n${CONTRACT.replace(
      "z.object({ name: z.string() }), ack",
      "z.object({ name: z.string().transform(normalize) }), ack",
    )}`;
    await writeFile(path.join(project, "contract.ts"), contract);
    try {
      expect((await iocontract(project, ["generate"])).code).toBe(0);
      expect(await readFile(path.join(project, "server/gen/types.gen.ts"), "utf8")).toMatch(
        /export interface SayHelloPayload \{\n  name: string;\n\}/,
      );
      // Only the imported module changes: the contract file is the same bytes.
      await writeFile(path.join(project, "helper.ts"), helper("value.length"));
      const check = await iocontract(project, ["generate", "--check"]);
      expect(check.code).toBe(1);
      expect(check.stderr).toMatch(/^iocontract: stale: server\/gen\/types\.gen\.ts$/m);
      expect((await iocontract(project, ["generate"])).code).toBe(0);
      expect(await readFile(path.join(project, "server/gen/types.gen.ts"), "utf8")).toMatch(
        /export interface SayHelloPayload \{\n  name: number;\n\}/,
      );
      // A type the contract module does not export cannot be imported by generated code: refused, naming the
      // export to add. (The message was "a type of the contract's own modules that generated code cannot see"
      // before such types could be imported.)
      const normalized = (exported: boolean) =>
        `${exported ? "export " : ""}interface Normalized {\n  text: string;\n}\n` +
        `export function normalize(value: string): Normalized {\n  return { text: value };\n}\n`;
      const where =
        'iocontract: contract "demo" (contract.ts), namespace "/", clientToServer event "say hello", ' +
        "payload.name: the TypeScript compiler types this part `Normalized`, which names Normalized, ";
      await writeFile(path.join(project, "helper.ts"), normalized(false));
      const refused = await iocontract(project, ["generate"]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `${where}a type ./helper declares without exporting it (generated code imports what the contract ` +
          `module exports): export it there and add \`export type { Normalized } from "./helper";\` to the ` +
          `contract module, or declare the type with \`.meta({ tsType: "..." })\`\n`,
      );
      await writeFile(path.join(project, "helper.ts"), normalized(true));
      const notReexported = await iocontract(project, ["generate"]);
      expect(notReexported.code).toBe(1);
      expect(notReexported.stderr).toBe(
        `${where}a type of ./helper, which the contract module does not re-export (generated code imports ` +
          `what the contract module exports): add \`export type { Normalized } from "./helper";\` to the ` +
          `contract module, or declare the type with \`.meta({ tsType: "..." })\`\n`,
      );
      // Re-exported: imported from the contract module, by each output's own path, and the project type-checks.
      await writeFile(path.join(project, "contract.ts"), `export type { Normalized } from "./helper";\n${contract}`);
      const imported = await iocontract(project, ["generate"]);
      expect(imported.code, imported.stderr).toBe(0);
      const types = await readFile(path.join(project, "server/gen/types.gen.ts"), "utf8");
      expect(types).toMatch(/^import type \{ Normalized \} from "\.\.\/\.\.\/contract\.js";$/m);
      expect(types).toMatch(/export interface SayHelloPayload \{\n  name: Normalized;\n\}/);
      expect(await readFile(path.join(project, "client/gen/types.gen.ts"), "utf8")).toMatch(
        /^import type \{ Normalized \} from "\.\.\/\.\.\/contract\.js";$/m,
      );
      const tsc = await run(process.execPath, [TSC, "-p", "tsconfig.json", "--noEmit"], project);
      expect(tsc.stdout + tsc.stderr).toBe("");
      // Declared in the contract module itself without `export`: refused, saying to export it.
      await writeFile(path.join(project, "helper.ts"), helper("value"));
      const local = `import { z } from "zod";\ninterface Local {\n  text: string;\n}\n${CONTRACT.replace(
        'import { z } from "zod";\n',
        "",
      ).replace(
        "z.object({ name: z.string() }), ack",
        "z.object({ name: z.string().transform((text): Local => ({ text })) }), ack",
      )}`;
      await writeFile(path.join(project, "contract.ts"), local);
      const unexported = await iocontract(project, ["generate"]);
      expect(unexported.code).toBe(1);
      expect(unexported.stderr).toBe(
        `${where.replaceAll("Normalized", "Local")}a type the contract module declares without exporting it ` +
          `(generated code imports what the contract module exports): export it, or declare the type with ` +
          `\`.meta({ tsType: "..." })\`\n`,
      );
    } finally {
      await writeFile(path.join(project, "contract.ts"), CONTRACT);
      await rm(path.join(project, "helper.ts"), { force: true });
    }
    expect((await iocontract(project, ["generate"])).code).toBe(0);
  });

  it("a change of the generator (its version, or a printer without a version bump) invalidates the record", async () => {
    // A copy of the generator's source in the scratch project, run the way the repository runs its own.
    await cp(path.join(REPO, "codegen/src"), path.join(project, "generator/src"), { recursive: true });
    await writeFile(path.join(project, "generator/package.json"), JSON.stringify({ type: "module" }));
    await writeFile(
      path.join(project, "generator/run.mjs"),
      `import { tsImport } from "tsx/esm/api";\nconst { run } = await tsImport("./src/cli.ts", import.meta.url);\nawait run(process.argv.slice(2));\n`,
    );
    const copy = (args: string[]) =>
      run(
        process.execPath,
        ["--conditions=iocontract-source", path.join(project, "generator/run.mjs"), ...args],
        project,
      );
    expect((await copy(["generate"])).code).toBe(0);
    expect((await copy(["generate"])).stdout).toBe("iocontract: 0 written, 8 unchanged, 0 removed\n");

    const version = path.join(project, "generator/src/version.ts");
    await writeFile(version, (await readFile(version, "utf8")).replace(/"0\.1\.0"/, '"0.1.0-next"'));
    const bumped = await copy(["generate", "--check"]);
    expect(bumped.code).toBe(1);
    expect(bumped.stderr.split("\n").filter((l) => l.startsWith("iocontract: stale: "))).toHaveLength(7);
    expect((await copy(["generate"])).stdout).toMatch(/7 written, 1 unchanged/);
    expect((await copy(["generate"])).stdout).toBe("iocontract: 0 written, 8 unchanged, 0 removed\n");

    const common = path.join(project, "generator/src/printers/common.ts");
    await writeFile(common, (await readFile(common, "utf8")).replace("DO NOT EDIT.", "DO NOT EDIT BY HAND."));
    const edited = await copy(["generate", "--check"]);
    expect(edited.code).toBe(1);
    expect(edited.stderr.split("\n").filter((l) => l.startsWith("iocontract: stale: "))).toHaveLength(7);
  });
});

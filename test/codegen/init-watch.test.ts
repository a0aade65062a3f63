/**
 * `iocontract init` and `iocontract generate --watch` as a user runs them, in scratch projects that borrow the
 * repository's installed packages. (The adoption test, test/adoption, runs both again from a local registry.)
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { cacheFileFor } from "iocontract";

vi.setConfig({ testTimeout: 120_000 });

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = path.join(REPO, "scripts/iocontract.mjs");
const TSC = path.join(REPO, "node_modules/typescript/bin/tsc");

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

const scratches: string[] = [];
async function scratch(
  manifest: object = { name: "lobby", version: "1.0.0", private: true, type: "module" },
): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), "iocontract-init-"));
  scratches.push(d);
  await writeFile(path.join(d, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return d;
}
afterAll(async () => {
  for (const d of scratches) {
    const cacheFile = cacheFileFor(path.join(d, "iocontract.config.ts"));
    if (cacheFile !== undefined) await rm(cacheFile, { force: true });
    await rm(d, { recursive: true, force: true });
  }
});

async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir, { recursive: true })).sort()) {
    if (f.startsWith("node_modules")) continue;
    out[f] = await readFile(path.join(dir, f), "utf8").catch(() => "(folder)");
  }
  return out;
}

describe("iocontract init", () => {
  it("--yes writes the config, a starter contract, a tsconfig and the generate script, and prints the next steps", async () => {
    const dir = await scratch();
    const result = await iocontract(dir, ["init", "--yes"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^created iocontract\.config\.ts\ncreated src\/app\.contract\.ts\ncreated tsconfig\.json\n/,
    );
    expect(result.stdout).toMatch(
      new RegExp(
        String.raw`\nNext:\n  0\. npm install @iocontract\/runtime zod socket\.io socket\.io-client\n  1\. .*\n` +
          String.raw`  2\. npm run generate .*\n  3\. Implement AppHandlers and call createAppServer .*createAppClient.*\n$`,
      ),
    );
    expect(JSON.parse(await readFile(path.join(dir, "package.json"), "utf8"))).toEqual({
      name: "lobby",
      version: "1.0.0",
      private: true,
      type: "module",
      scripts: { generate: "iocontract generate" },
    });
    expect(await readFile(path.join(dir, "iocontract.config.ts"), "utf8")).toMatch(
      /outputs: \[\n    \{ kind: "server", dir: "src\/server\/gen" \},\n    \{ kind: "client", dir: "src\/client\/gen" \},\n  \]/,
    );
    expect(JSON.parse(await readFile(path.join(dir, "tsconfig.json"), "utf8")).compilerOptions).toMatchObject({
      module: "NodeNext",
      strict: true,
    });
  });

  it("refuses to overwrite anything, and then writes nothing at all", async () => {
    const dir = await scratch({ name: "taken", version: "1.0.0", scripts: { generate: "make gen" } });
    await mkdir(path.join(dir, "src"));
    await writeFile(path.join(dir, "src/app.contract.ts"), "// mine\n");
    const before = await tree(dir);
    const result = await iocontract(dir, ["init", "--yes"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'iocontract: init writes nothing over what exists: src/app.contract.ts, the "generate" script in ' +
        "package.json (move it away or pick other paths; --help)\n",
    );
    expect(await tree(dir)).toEqual(before);
  });

  it("flags: --no-client, --server <dir>, --name; a project with its tsconfig keeps it; generate then works and the output type-checks", async () => {
    const dir = await scratch({
      name: "api",
      version: "1.0.0",
      private: true,
      type: "module",
      dependencies: { "@iocontract/runtime": "^0.1.0", zod: "^4.1.0", "socket.io": "^4.8.0" },
    });
    await symlink(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
    const tsconfig = JSON.stringify({
      compilerOptions: {
        module: "ESNext",
        moduleResolution: "Bundler",
        target: "ES2022",
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        types: [],
      },
      include: ["api"],
    });
    await writeFile(path.join(dir, "tsconfig.json"), tsconfig);
    const result = await iocontract(dir, [
      "init",
      "--yes",
      "--no-client",
      "--server",
      "api/gen",
      "--name",
      "game-lobby",
      "--contract",
      "api/lobby.contract.ts",
    ]);
    expect(result.stderr).toBe("");
    expect(result.stdout).not.toMatch(/tsconfig|npm install/);
    expect(result.stdout).toMatch(
      /  3\. Implement GameLobbyHandlers and call createGameLobbyServer \(from api\/gen\/index\.gen\.js\)\.\n$/,
    );
    expect(await readFile(path.join(dir, "tsconfig.json"), "utf8")).toBe(tsconfig);
    const generated = await iocontract(dir, ["generate"]);
    expect(generated.stderr).toBe("");
    expect(generated.stdout).toMatch(/iocontract: 5 written, 0 unchanged, 0 removed\n$/);
    expect((await readdir(path.join(dir, "api/gen"))).sort()).toEqual([
      "emitter.gen.ts",
      "index.gen.ts",
      "server.gen.ts",
      "types.gen.ts",
    ]);
    await writeFile(
      path.join(dir, "api/server.ts"),
      `import { createGameLobbyServer, type GameLobbyHandlers } from "./gen/index.gen.js";
const handlers: GameLobbyHandlers = { hello: (p) => ({ greeting: "hi " + p.name }) };
export const server = createGameLobbyServer({ handlers: { "/": handlers } });
`,
    );
    const tsc = await run(process.execPath, [TSC, "-p", "tsconfig.json"], dir);
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);
  });

  it("at a terminal without --yes it asks: name, contract file, which outputs, their folders", async () => {
    const dir = await scratch();
    // util-linux's script(1) gives the command a terminal; the answers are typed ahead (an empty one takes the default).
    const command = `${JSON.stringify(process.execPath)} --conditions=iocontract-source ${JSON.stringify(CLI)} init`;
    const result = await new Promise<Run>((resolve) => {
      const child = execFile(
        "script",
        ["-qec", command, "/dev/null"],
        { cwd: dir, timeout: 60_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin!.end("lobby\n\nserver\nbackend/gen\n");
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        String.raw`Contract name \(app\) Contract file \(src\/lobby\.contract\.ts\) Generate server, client or both\? ` +
          String.raw`\(both\) Folder for the server code \(src\/server\/gen\) created iocontract\.config\.ts`,
      ),
    );
    expect(await readFile(path.join(dir, "iocontract.config.ts"), "utf8")).toMatch(
      /contract: "src\/lobby\.contract\.ts",\n  outputs: \[\n    \{ kind: "server", dir: "backend\/gen" \},\n  \],/,
    );
  });

  it("a project on zod 3 gets one line naming the version it needs", async () => {
    const dir = await scratch();
    // A stand-in for an installed zod 3 (the adoption test installs the real one from the registry).
    await mkdir(path.join(dir, "node_modules/zod"), { recursive: true });
    await writeFile(
      path.join(dir, "node_modules/zod/package.json"),
      JSON.stringify({ name: "zod", version: "3.25.76", main: "index.js" }),
    );
    await writeFile(path.join(dir, "node_modules/zod/index.js"), "module.exports = {};\n");
    const result = await iocontract(dir, ["init", "--yes"]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'iocontract: this project has zod 3.25.76; iocontract needs zod >= 4.1: npm install zod@^4.1 (zod 4 still serves zod 3\'s API at "zod/v3")\n',
    });
    expect(await readdir(dir)).toEqual(["node_modules", "package.json"]);
  });

  it("no package.json: one line", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "iocontract-init-"));
    scratches.push(dir);
    expect(await iocontract(dir, ["init", "--yes"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "iocontract: no package.json in this folder: run init in your project's folder (or npm init -y first)\n",
    });
  });
});

/** Lines a running process prints, and a bounded wait for the next one that matches. */
class Lines {
  readonly all: string[] = [];
  private buffer = "";
  private waiters: Array<{ re: RegExp; from: number; resolve: (line: string) => void }> = [];
  constructor(child: ChildProcess) {
    child.stdout!.on("data", (chunk: Buffer) => {
      this.buffer += chunk.toString();
      let nl: number;
      while ((nl = this.buffer.indexOf("\n")) >= 0) {
        this.all.push(this.buffer.slice(0, nl));
        this.buffer = this.buffer.slice(nl + 1);
      }
      this.check();
    });
  }
  private check() {
    this.waiters = this.waiters.filter((w) => {
      const line = this.all.slice(w.from).find((l) => w.re.test(l));
      if (line !== undefined) w.resolve(line);
      return line === undefined;
    });
  }
  /** The next line matching `re` printed after the `from`-th line (default: any line not yet consumed). */
  next(re: RegExp, timeoutMs = 30_000, from = this.all.length): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no line matching ${re} within ${timeoutMs} ms; got:\n${this.all.join("\n")}`)),
        timeoutMs,
      );
      this.waiters.push({
        re,
        from,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
      this.check();
    });
  }
}

describe("iocontract generate --watch", () => {
  it("regenerates on a change to the contract or a file it imports, survives a broken contract, stops on SIGINT", async () => {
    const dir = await scratch();
    await symlink(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
    await writeFile(
      path.join(dir, "iocontract.config.ts"),
      `import { defineConfig } from "iocontract";\n` +
        `export default defineConfig({ contract: "contract/app.contract.ts", outputs: [{ kind: "client", dir: "gen" }] });\n`,
    );
    await mkdir(path.join(dir, "contract"));
    await writeFile(
      path.join(dir, "contract/shared.ts"),
      `import * as z from "zod";\nexport const Note = z.object({ text: z.string() });\n`,
    );
    const contract = `import * as z from "zod";
import { defineContract } from "@iocontract/runtime/contract";
import { Note } from "./shared.js";
export default defineContract({
  name: "app",
  version: "1.0.0",
  types: { Note },
  namespaces: { "/": { clientToServer: { note: { payload: Note } }, serverToClient: {} } },
});
`;
    await writeFile(path.join(dir, "contract/app.contract.ts"), contract);
    const child = spawn(process.execPath, ["--conditions=iocontract-source", CLI, "generate", "--watch"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const lines = new Lines(child);
    try {
      expect(await lines.next(/watching/, 30_000, 0)).toBe("iocontract: watching 3 files (Ctrl-C to stop)");
      expect(await lines.next(/regenerated/, 60_000, 0)).toMatch(
        /^iocontract: \[\d\d:\d\d:\d\d\] regenerated: 4 written, 0 unchanged, 0 removed \(\d+\.\d s\)$/,
      );
      const types = path.join(dir, "gen/types.gen.ts");
      expect(await readFile(types, "utf8")).not.toMatch(/author/);

      // A file the contract imports, not the contract itself.
      let mark = lines.all.length;
      await writeFile(
        path.join(dir, "contract/shared.ts"),
        `import * as z from "zod";\nexport const Note = z.object({ text: z.string(), author: z.string() });\n`,
      );
      expect(await lines.next(/regenerated|waiting/, 60_000, mark)).toMatch(/regenerated: 2 written, 2 unchanged/); // types.gen.ts and the snapshot
      expect(await readFile(types, "utf8")).toMatch(/author: string/);

      // A broken contract: one line, and the watcher carries on.
      mark = lines.all.length;
      await writeFile(
        path.join(dir, "contract/app.contract.ts"),
        contract.replace('version: "1.0.0"', 'version: "one"'),
      );
      expect(await lines.next(/regenerated|waiting/, 60_000, mark)).toMatch(
        new RegExp(
          String.raw`^iocontract: \[\d\d:\d\d:\d\d\] cannot load .*app\.contract\.ts: contract "app": version must be a ` +
            String.raw`semantic version such as "1\.0\.0" \(got "one"\) \(waiting for the next change\)$`,
        ),
      );
      mark = lines.all.length;
      await writeFile(
        path.join(dir, "contract/app.contract.ts"),
        contract.replace("note: { payload: Note }", "note: { payload: Note }, ping: {}"),
      );
      expect(await lines.next(/regenerated|waiting/, 60_000, mark)).toMatch(/regenerated: [23] written/);
      expect(await readFile(path.join(dir, "gen/client.gen.ts"), "utf8")).toMatch(/ping/);
      // One line per regeneration: nothing else was printed.
      expect(lines.all.filter((l) => !/regenerated|waiting|watching/.test(l))).toEqual([]);
      expect(stderr).toBe("");
    } finally {
      child.kill("SIGINT");
    }
    expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 10_000))])).toBe(0);
    expect(lines.all.at(-1)).toBe("iocontract: watch stopped");
  });
});

describe("iocontract init --packages", () => {
  it("this repository's chat SDK packages are the scaffold for the chat contract (their build config, entries, manifests)", async () => {
    const { packagesFiles } = await import("../../codegen/src/packages");
    const files = packagesFiles(
      {
        name: "chat",
        scope: "@iocontract",
        dir: "packages",
        folders: { contract: "../contract", server: "server-sdk", client: "client-sdk" },
      },
      "tsconfig.base.json",
    );
    const byPath = new Map(files.map((f) => [f.file, f.text]));
    for (const file of ["tsup.config.ts", "pack-manifest.mjs", "tsconfig.json", "src/index.ts"]
      .flatMap((f) => [`packages/server-sdk/${f}`, `packages/client-sdk/${f}`])
      .concat(["packages/server-sdk/src/emitter.ts", "packages/server-sdk/src/redis.ts"])) {
      expect(await readFile(path.join(REPO, file), "utf8"), file).toBe(byPath.get(file));
    }
    for (const pkg of ["server-sdk", "client-sdk"]) {
      type Manifest = {
        name: string;
        exports: unknown;
        files: unknown;
        scripts: unknown;
        dependencies: Record<string, string>;
        peerDependencies?: unknown;
        devDependencies: Record<string, string>;
      };
      const actual = JSON.parse(await readFile(path.join(REPO, "packages", pkg, "package.json"), "utf8")) as Manifest;
      const scaffold = JSON.parse(byPath.get(`packages/${pkg}/package.json`)!) as Manifest;
      // Versions aside (this repository pins its own), the same package.
      for (const key of ["name", "exports", "files", "scripts", "peerDependencies"] as const)
        expect(actual[key], `${pkg} ${key}`).toEqual(scaffold[key]);
      expect(Object.keys(actual.dependencies).sort()).toEqual(Object.keys(scaffold.dependencies).sort());
      expect(actual.dependencies["@iocontract/runtime"]).toBe(scaffold.dependencies["@iocontract/runtime"]);
      expect(Object.keys(actual.devDependencies)).toEqual(Object.keys(scaffold.devDependencies));
    }
    // No build script for the chat's packages outside them.
    expect((await readdir(path.join(REPO, "scripts"))).filter((f) => /tsup|vendor|sdk/.test(f))).toEqual([]);
  });

  it("writes the three packages, the config and the workspaces; refuses a second time, writing nothing", async () => {
    const dir = await scratch({ name: "lobby-mono", version: "1.0.0", private: true, workspaces: ["apps/web"] });
    const result = await iocontract(dir, ["init", "--packages", "--name", "lobby", "--scope", "@acme"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^created packages\/contract\/package\.json\n/m);
    expect(result.stdout).toMatch(
      /  2\. npm run generate, then npm run build -w @acme\/lobby-server-sdk -w @acme\/lobby-client-sdk\.\n/,
    );
    const manifest = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as {
      workspaces: string[];
      scripts: Record<string, string>;
    };
    expect(manifest.workspaces).toEqual([
      "apps/web",
      "packages/contract",
      "packages/server-sdk",
      "packages/client-sdk",
    ]);
    expect(manifest.scripts).toEqual({ generate: "iocontract generate" });
    expect(JSON.parse(await readFile(path.join(dir, "packages/client-sdk/package.json"), "utf8"))).toMatchObject({
      name: "@acme/lobby-client-sdk",
      dependencies: { "@iocontract/runtime": "^0.1.0" },
      devDependencies: { "@acme/lobby-contract": "0.1.0" },
    });
    expect(await readFile(path.join(dir, "iocontract.config.ts"), "utf8")).toMatch(
      /contract: "packages\/contract\/lobby\.contract\.ts"/,
    );
    const before = await tree(dir);
    const again = await iocontract(dir, ["init", "--packages", "--name", "lobby", "--scope", "@acme"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^iocontract: init writes nothing over what exists: packages\/contract\/package\.json, /,
    );
    expect(await tree(dir)).toEqual(before);
  });
});

/**
 * The CLI package (`iocontract`, folder codegen/) as npm packs it: from a copy of the folder with no build output
 * (what a fresh clone has, even after `npm start`), `npm pack` builds it first (`prepack`), the tarball passes
 * publint and @arethetypeswrong/cli (node10, node16 CJS and ESM, bundler), and its command runs.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.setConfig({ testTimeout: 180_000 });

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(REPO, "node_modules/.bin");

function run(command: string, args: string[], cwd: string): Promise<{ code: number; out: string; stdout?: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd,
        timeout: 180_000,
        env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
      },
      (error, stdout, stderr) => {
        const result = { code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr };
        // Not enumerable: toEqual on a result compares code and out only.
        resolve(Object.defineProperty(result, "stdout", { value: stdout, enumerable: false }));
      },
    );
  });
}

let dir: string;
let tarball: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "iocontract-cli-pack-"));
  // The package's folder as committed (no dist/), beside the shared tsconfig it extends; the repository's packages.
  await cp(path.join(REPO, "codegen"), path.join(dir, "codegen"), {
    recursive: true,
    filter: (src) => !/[\\/](dist|\.turbo|node_modules)$/.test(src),
  });
  await cp(path.join(REPO, "tsconfig.base.json"), path.join(dir, "tsconfig.base.json"));
  await symlink(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
  await mkdir(path.join(dir, "out"));
  const packed = await run("npm", ["pack", "--pack-destination", path.join(dir, "out")], path.join(dir, "codegen"));
  expect(packed.code, packed.out).toBe(0);
  expect(packed.out).toMatch(/> tsup/); // prepack built it
  const [file] = await readdir(path.join(dir, "out"));
  tarball = path.join(dir, "out", file!);
}, 240_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the iocontract CLI package", () => {
  it("npm pack builds first: the tarball has the command, the library (ESM, CommonJS, types) and what its source condition names", async () => {
    const list = await run("tar", ["tzf", tarball], dir);
    const files = list.out.split("\n").filter(Boolean);
    for (const f of [
      "package/bin/iocontract.mjs",
      "package/dist/cli.js",
      "package/dist/index.js",
      "package/dist/index.cjs",
      "package/dist/index.d.ts",
      "package/dist/index.d.cts",
      "package/src/index.ts",
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.endsWith(".test.ts"))).toEqual([]);
    const manifest = JSON.parse(await readFile(path.join(REPO, "codegen/package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    // A range toward this repository's runtime, not an exact pin only this workspace could satisfy; optional, so
    // the CLI installs (and init runs) before the runtime does.
    expect(manifest.peerDependencies).toEqual({ "@iocontract/runtime": "^0.1.0" });
    expect(manifest.dependencies["zod"]).toBe("^4.1.0");
    expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith("@iocontract/"))).toEqual([]);
    // The runtime's values are bundled in (the adoption test runs init where no runtime is installed).
    expect((await run("tar", ["xzOf", tarball, "--wildcards", "package/dist/*.js"], dir)).out).toMatch(
      /function isContract\(/,
    );
  });

  it("its command runs from the unpacked tarball", async () => {
    await mkdir(path.join(dir, "unpacked"));
    expect((await run("tar", ["xzf", tarball, "-C", path.join(dir, "unpacked")], dir)).code).toBe(0);
    // Under the folder that links the repository's node_modules: its dependencies resolve from there.
    const version = await run(
      process.execPath,
      [path.join(dir, "unpacked/package/bin/iocontract.mjs"), "--version"],
      dir,
    );
    expect(version).toEqual({ code: 0, out: "0.1.0\n" });
    const help = await run(process.execPath, [path.join(dir, "unpacked/package/bin/iocontract.mjs"), "--help"], dir);
    expect(help.out).toMatch(/^  iocontract init --yes$/m);
  });

  it("publint: no problems (suggestions included)", async () => {
    const lint = await run(path.join(BIN, "publint"), ["run", tarball, "--strict", "--level", "suggestion"], dir);
    expect(lint.out).toMatch(/All good!/);
    expect(lint.code).toBe(0);
  });

  it("arethetypeswrong: no problems under node10, node16 (CJS and ESM) and bundler", async () => {
    const attw = await run(path.join(BIN, "attw"), [tarball, "--format", "json"], dir);
    const report = JSON.parse(attw.stdout!) as {
      analysis: { problems: unknown[]; entrypoints: Record<string, { resolutions: Record<string, unknown> }> };
    };
    expect(report.analysis.problems).toEqual([]);
    expect(Object.keys(report.analysis.entrypoints["."]!.resolutions).sort()).toEqual([
      "bundler",
      "node10",
      "node16-cjs",
      "node16-esm",
    ]);
    expect(attw.code).toBe(0);
  });
});

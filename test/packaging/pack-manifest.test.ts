/**
 * The SDK packages' pack step (packages/*-sdk/pack-manifest.mjs, written by `iocontract init --packages`): npm runs
 * "strip" before packing and "restore" after. Run here on a sample manifest in a temporary folder.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exportTargets } from "../support/export-targets";

const SCRIPT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../packages/client-sdk/pack-manifest.mjs",
);
const MANIFEST = `${JSON.stringify(
  {
    name: "@acme/x-client-sdk",
    exports: {
      ".": {
        "iocontract-source": "./src/index.ts",
        types: "./dist/index.d.ts",
        import: "./dist/index.js",
        require: "./dist/index.cjs",
      },
      "./deep": {
        node: { "iocontract-source": "./src/node.ts", default: "./dist/node.js" },
        default: "./dist/deep.js",
      },
      "./package.json": "./package.json",
    },
  },
  null,
  2,
)}\n`;

let dir: string;
const run = (arg: string) =>
  new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(process.execPath, ["pack-manifest.mjs", arg], { cwd: dir }, (error, _stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    ),
  );
const manifest = async () => JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { exports: unknown };

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "iocontract-pack-manifest-"));
  await copyFile(SCRIPT, path.join(dir, "pack-manifest.mjs"));
  await writeFile(path.join(dir, "package.json"), MANIFEST);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("pack-manifest.mjs", () => {
  it("strip removes the source condition at every depth and keeps every other target; restore puts the file back byte for byte", async () => {
    expect(
      exportTargets((await manifest()).exports).filter((t) => t.conditions.includes("iocontract-source")),
    ).toHaveLength(2);
    expect((await run("strip")).code).toBe(0);
    const stripped = exportTargets((await manifest()).exports);
    expect(stripped.filter((t) => t.conditions.includes("iocontract-source"))).toEqual([]);
    expect(stripped.map((t) => t.file)).toEqual([
      "./dist/index.d.ts",
      "./dist/index.js",
      "./dist/index.cjs",
      "./dist/node.js",
      "./dist/deep.js",
      "./package.json",
    ]);
    expect((await run("restore")).code).toBe(0);
    expect(await readFile(path.join(dir, "package.json"), "utf8")).toBe(MANIFEST);
    expect(await readdir(dir)).toEqual(["pack-manifest.mjs", "package.json"]);
  });

  it("after a pack that failed before its postpack, the next strip starts from the original (kept), not from the stripped file", async () => {
    expect((await run("strip")).code).toBe(0);
    expect((await run("strip")).code).toBe(0);
    expect((await run("restore")).code).toBe(0);
    expect(await readFile(path.join(dir, "package.json"), "utf8")).toBe(MANIFEST);
  });

  it("refuses an unknown step and leaves the manifest alone", async () => {
    const result = await run("publish");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("usage: node pack-manifest.mjs strip|restore\n");
    expect(await readFile(path.join(dir, "package.json"), "utf8")).toBe(MANIFEST);
  });
});

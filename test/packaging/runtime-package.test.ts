/**
 * The runtime package as npm would publish it, through ./lib/check-package.mjs: packed (its prepack builds it),
 * every exports target published (the `iocontract-source` condition's too: src/ ships), publint --strict and
 * @arethetypeswrong/cli (node10, node16 CJS and ESM, bundler) without a problem.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const HERE = path.dirname(fileURLToPath(import.meta.url));

it("@iocontract/runtime passes the package checks", async () => {
  const result = await new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      process.execPath,
      [path.join(HERE, "lib/check-package.mjs"), path.join(HERE, "../../packages/runtime")],
      { timeout: 280_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
  expect(result.out).toMatch(/^ok npm pack @iocontract\/runtime@/m);
  expect(result.out).toMatch(/^ok every exports\/main\/types\/bin target is published$/m);
  expect(result.out).toMatch(/^ok publint --strict$/m);
  expect(result.out).toMatch(/^ok attw \(node10, node16 CJS and ESM, bundler\)$/m);
  expect(result.code, result.out).toBe(0);
  // The root entry (what application code imports by name) loads neither half: a front end without socket.io
  // and a server without socket.io-client can both import it. (Its prepack just built dist/.)
  for (const file of ["index.js", "index.cjs"]) {
    const text = await readFile(path.join(HERE, "../../packages/runtime/dist", file), "utf8");
    expect(text, file).not.toMatch(/socket\.io/);
    expect(text, file).toMatch(/IocontractError/);
  }
}, 300_000);

/** Golden files: the generator's output for each fixture contract, byte for byte. */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildModel, buildTypeScript, checkFiles, generateFiles, loadContract } from "iocontract";
import { CASES, FIXTURES, goldenConfig } from "../fixtures/goldens";

describe.each(CASES)("golden case %s", (name) => {
  it("matches the committed expected output (npm run goldens --workspace @iocontract/tests to update)", {
    timeout: 60_000,
  }, async () => {
    const files = await generateFiles(path.join(FIXTURES, name), goldenConfig());
    expect(files.map((f) => path.relative(path.join(FIXTURES, name), f.path)).sort()).toEqual([
      "expected/client/client.gen.ts",
      "expected/client/index.gen.ts",
      "expected/client/types.gen.ts",
      "expected/contract.json",
      "expected/python_client/__init__.py",
      "expected/python_client/_runtime.py",
      "expected/python_client/client.py",
      "expected/python_client/models.py",
      "expected/python_client/py.typed",
      "expected/python_client/pyproject.toml",
      "expected/python_client/schemas.py",
      "expected/python_server/__init__.py",
      "expected/python_server/_runtime.py",
      "expected/python_server/_runtime_server.py",
      "expected/python_server/models.py",
      "expected/python_server/py.typed",
      "expected/python_server/pyproject.toml",
      "expected/python_server/schemas.py",
      "expected/python_server/server.py",
      "expected/server/emitter.gen.ts",
      "expected/server/index.gen.ts",
      "expected/server/server.gen.ts",
      "expected/server/types.gen.ts",
    ]);
    expect(await checkFiles(files)).toEqual({ stale: [], missing: [], orphaned: [] });
  });

  it("generated code casts nothing: the runtime's generic API is typed, no `as unknown as`", {
    timeout: 60_000,
  }, async () => {
    const files = await generateFiles(path.join(FIXTURES, name), goldenConfig());
    for (const file of files) expect(file.text, file.path).not.toMatch(/\bas unknown as\b/);
  });

  // (real-world asks the TypeScript compiler for its transforms, brands and enums: a few seconds a generation,
  // more on a busy machine.)
  it("is deterministic: generating twice gives identical bytes", { timeout: 90_000 }, async () => {
    const a = await generateFiles(path.join(FIXTURES, name), goldenConfig());
    const b = await generateFiles(path.join(FIXTURES, name), goldenConfig());
    expect(b.map((f) => f.text)).toEqual(a.map((f) => f.text));
  });
});

describe("generated names", () => {
  it.each(CASES)("%s: the printers declare no name the model did not check for clashes", async (name) => {
    const dir = path.join(FIXTURES, name);
    const ts = buildTypeScript(buildModel(await loadContract(path.join(dir, "contract.ts")), "contract.ts"), {
      contractFile: path.join(dir, "contract.ts"),
    });
    const files = await generateFiles(dir, goldenConfig());
    const declared = new Set<string>();
    for (const file of files) {
      for (const match of file.text.matchAll(/^export (?:interface|type|function|const) ([\p{L}\p{N}_$]+)/gmu))
        declared.add(match[1]!);
    }
    expect(declared.size).toBeGreaterThan(10);
    expect([...declared].filter((n) => !ts.names.includes(n))).toEqual([]);
  });
});

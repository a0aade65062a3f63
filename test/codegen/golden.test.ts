/** Golden files: the generator's output for each fixture contract, byte for byte. */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildModel, checkFiles, generateFiles, loadContract } from "@iocontract/codegen";
import { CASES, FIXTURES, goldenConfig } from "../fixtures/goldens";

describe.each(CASES)("golden case %s", (name) => {
  it("matches the committed expected output (npm run goldens --workspace @iocontract/tests to update)", async () => {
    const files = await generateFiles(path.join(FIXTURES, name), goldenConfig());
    expect(files.map((f) => path.relative(path.join(FIXTURES, name), f.path)).sort()).toEqual([
      "expected/client/client.gen.ts",
      "expected/client/types.gen.ts",
      "expected/contract.json",
      "expected/server/emitter.gen.ts",
      "expected/server/server.gen.ts",
      "expected/server/types.gen.ts",
    ]);
    expect(await checkFiles(files)).toEqual({ stale: [], missing: [], orphaned: [] });
  });

  it("is deterministic: generating twice gives identical bytes", async () => {
    const a = await generateFiles(path.join(FIXTURES, name), goldenConfig());
    const b = await generateFiles(path.join(FIXTURES, name), goldenConfig());
    expect(b.map((f) => f.text)).toEqual(a.map((f) => f.text));
  });
});

describe("generated names", () => {
  it.each(CASES)("%s: the printers declare no name the model did not check for clashes", async (name) => {
    const dir = path.join(FIXTURES, name);
    const model = buildModel(await loadContract(path.join(dir, "contract.ts")), "contract.ts", { contractFile: path.join(dir, "contract.ts") });
    const files = await generateFiles(dir, goldenConfig());
    const declared = new Set<string>();
    for (const file of files) {
      for (const match of file.text.matchAll(/^export (?:interface|type|function|const) ([\p{L}\p{N}_$]+)/gmu)) declared.add(match[1]!);
    }
    expect(declared.size).toBeGreaterThan(10);
    expect([...declared].filter((n) => !model.names.includes(n))).toEqual([]);
  });
});

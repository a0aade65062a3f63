/** Golden files: the generator's output for each fixture contract, byte for byte. */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkFiles, generateFiles } from "@iocontract/codegen";
import { CASES, FIXTURES, goldenConfig } from "../fixtures/goldens";

describe.each(CASES)("golden case %s", (name) => {
  it("matches the committed expected output (npm run goldens --workspace @iocontract/tests to update)", async () => {
    const files = await generateFiles(path.join(FIXTURES, name), goldenConfig());
    expect(files.map((f) => path.relative(path.join(FIXTURES, name), f.path)).sort()).toEqual([
      "expected/client/client.gen.ts",
      "expected/client/types.gen.ts",
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

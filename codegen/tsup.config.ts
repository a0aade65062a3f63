import { rmSync } from "node:fs";
import { defineConfig } from "tsup";

// Two builds write into dist/ at once: neither may clean it, so it is emptied here, before both.
rmSync("dist", { recursive: true, force: true });

// The library (`import { defineConfig } from "iocontract"`) as ESM and CommonJS, so a config or a tool under any
// module setting can import it; the CLI as ESM only (bin/iocontract.mjs imports it).
const shared = {
  clean: false,
  target: "es2022",
  esbuildOptions(options: { conditions?: string[] }) {
    options.conditions = ["iocontract-source"];
  },
} as const;

export default defineConfig([
  {
    ...shared,
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    shims: true,
    dts: { entry: "src/index.ts", compilerOptions: { customConditions: ["iocontract-source"] } },
  },
  { ...shared, entry: ["src/cli.ts"], format: ["esm"] },
]);

import { rmSync } from "node:fs";
import { type Options, defineConfig } from "tsup";

// Two builds write into dist/ at once: neither may clean it, so it is emptied here, before both.
rmSync("dist", { recursive: true, force: true });

// The library (`import { defineConfig } from "iocontract"`) as ESM and CommonJS, so a config or a tool under any
// module setting can import it; the CLI as ESM only (bin/iocontract.mjs imports it).
// The runtime's few values the generator needs (isContract, the wire's reserved names) are bundled in, so the CLI
// runs before the project has the runtime (`init` is the first step) and in a zod 3 project, where installing the
// runtime would stop at its zod >= 4.1 peer dependency before init could say so. Its types stay imports of
// "@iocontract/runtime", an optional peer dependency: the project installs it for the generated code.
const shared: Options = {
  clean: false,
  noExternal: ["@iocontract/runtime"],
  target: "es2022",
  esbuildOptions(options) {
    options.conditions = ["iocontract-source"];
  },
};

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

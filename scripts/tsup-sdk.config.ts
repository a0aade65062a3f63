import { defineConfig } from "tsup";

/**
 * The build of a generated SDK package. Bundles the runtime and the contract from the workspace (their source,
 * through the "iocontract-source" condition), so the published package depends only on public packages: zod and
 * socket.io(-client). The runtime's declaration files are copied in afterwards by vendor-runtime-types.mjs.
 */
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  noExternal: ["@iocontract/runtime", "@iocontract/chat-contract"],
  esbuildOptions(options) {
    options.conditions = ["iocontract-source"];
  },
});

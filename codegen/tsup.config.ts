import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts"],
  format: ["esm"],
  dts: { entry: "src/index.ts", compilerOptions: { customConditions: ["iocontract-source"] } },
  clean: true,
  target: "es2022",
  esbuildOptions(options) {
    options.conditions = ["iocontract-source"];
  },
});

import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    contract: "src/contract.ts",
    "v1/wire": "src/v1/wire.ts",
    "v1/server": "src/v1/server.ts",
    "v1/client": "src/v1/client.ts",
    "v1/client-node": "src/v1/client-node.ts",
    "v1/emitter": "src/v1/emitter.ts",
    "v1/redis": "src/v1/redis.ts",
    "v1/zod-kinds": "src/v1/zod-kinds.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
});

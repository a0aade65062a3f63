import { cpSync } from "node:fs";
import { defineConfig } from "tsup";

// The server, the CLI and the worker run on Node with the SDK packages' builds; the page bundles everything it needs.
export default defineConfig([
  {
    entry: {
      "server/main": "src/server/main.ts",
      "server/app": "src/server/app.ts",
      "cli/main": "src/cli/main.ts",
      "worker/announce": "src/worker/announce.ts",
    },
    format: ["esm"],
    platform: "node",
    target: "node20",
  },
  {
    entry: { "web/app": "src/web/main.ts" },
    format: ["iife"],
    platform: "browser",
    target: "es2020",
    minify: true,
    outExtension: () => ({ js: ".js" }),
    noExternal: [/.*/],
    esbuildOptions(options) {
      options.conditions = ["iocontract-source"];
    },
    onSuccess: async () => {
      cpSync("public/index.html", "dist/web/index.html");
      cpSync("public/docs.html", "dist/web/docs.html");
    },
  },
]);

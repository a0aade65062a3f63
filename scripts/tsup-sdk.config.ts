import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

/** One entry per subpath of the package's exports map (".", "./emitter"...), from its "iocontract-source" file. */
function entries(): Record<string, string> {
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { exports: Record<string, { "iocontract-source"?: string } | string> };
  const out: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === "object" && target["iocontract-source"] !== undefined) {
      out[subpath === "." ? "index" : subpath.slice(2)] = target["iocontract-source"];
    }
  }
  return out;
}

/**
 * The build of a generated SDK package. Bundles the runtime and the contract from the workspace (their source,
 * through the "iocontract-source" condition), so the published package depends only on public packages: zod and
 * socket.io(-client) (and, for a server SDK's "./redis" subpath, the Redis packages as optional peer dependencies,
 * left external). The runtime's declaration files are copied in afterwards by vendor-runtime-types.mjs.
 */
export default defineConfig({
  entry: entries(),
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

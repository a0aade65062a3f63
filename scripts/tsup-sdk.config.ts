import { readFileSync, rmSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

type Target = { "iocontract-source"?: string; node?: unknown } | string;

/** The package's exports map: one entry per subpath (".", "./emitter"...), from its "iocontract-source" file. */
function entries(): { all: Record<string, string>; node: Record<string, string> } {
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { exports: Record<string, Target> };
  const all: Record<string, string> = {};
  const node: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === "object" && target["iocontract-source"] !== undefined) {
      const name = subpath === "." ? "index" : subpath.slice(2);
      all[name] = target["iocontract-source"];
      // A subpath with a "node" condition gets a second build for Node, under dist/node/.
      if (target.node !== undefined) node[`node/${name}`] = target["iocontract-source"];
    }
  }
  return { all, node };
}

const { all, node } = entries();
// Two builds write into dist/ at once: neither may clean it, so it is emptied here, before both.
rmSync("dist", { recursive: true, force: true });

const shared: Options = {
  format: ["esm", "cjs"],
  sourcemap: true,
  target: "es2022",
  clean: false,
  noExternal: ["@iocontract/runtime", "@iocontract/chat-contract"],
  esbuildOptions(options) {
    options.conditions = ["iocontract-source"];
  },
};

/**
 * The build of a generated SDK package. Bundles the runtime and the contract from the workspace (their source,
 * through the "iocontract-source" condition), so the published package depends only on public packages: zod and
 * socket.io(-client) (and, for a server SDK's "./redis" subpath, the Redis packages as optional peer dependencies,
 * left external). The runtime's declaration files are copied in afterwards by vendor-runtime-types.mjs.
 *
 * A subpath that also has a "node" condition (the client SDK) is built twice: the default build is for browsers
 * (esbuild's browser platform, so the runtime's browser-side client: no zod compiler), and dist/node/ for Node
 * (the runtime's "node" condition: compiled validators). Both have the same API and the same declarations.
 */
export default defineConfig([
  { ...shared, entry: all, dts: true, platform: Object.keys(node).length > 0 ? "browser" : "node" },
  ...(Object.keys(node).length > 0 ? [{ ...shared, entry: node, dts: false, platform: "node" as const }] : []),
]);

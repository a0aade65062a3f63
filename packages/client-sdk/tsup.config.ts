// The build of a generated SDK package (written by `iocontract init --packages`; the same in every SDK package).
// One entry per subpath of package.json's "exports", from its "iocontract-source" file: ESM, CommonJS and
// declarations. The contract package (a devDependency: private, TypeScript source) is bundled in; the runtime, zod
// and socket.io stay imports of the packages in "dependencies" and "peerDependencies".
import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

type Target = string | { "iocontract-source"?: string };
const manifest = JSON.parse(readFileSync("package.json", "utf8")) as {
  exports: Record<string, Target>;
  devDependencies?: Record<string, string>;
};
const entry: Record<string, string> = {};
for (const [subpath, target] of Object.entries(manifest.exports)) {
  if (typeof target === "object" && target["iocontract-source"] !== undefined) {
    entry[subpath === "." ? "index" : subpath.slice(2)] = target["iocontract-source"];
  }
}

export default defineConfig({
  entry,
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  noExternal: Object.keys(manifest.devDependencies ?? {}).filter((name) => name.endsWith("-contract")),
});

// Run in an SDK package after tsup: makes its .d.ts self-contained. tsup bundles the runtime's JavaScript into
// the SDK, but leaves its declarations as imports of "@iocontract/runtime/...", a package that is not on the
// public registry. This copies the runtime's built declarations into dist/runtime/ and points the imports there,
// then fails if any "@iocontract/" import is left in dist/ (JavaScript included).
import { cpSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.resolve("package.json"));
const runtimeDist = path.join(path.dirname(require.resolve("@iocontract/runtime/package.json")), "dist");
const target = path.resolve("dist/runtime");
cpSync(runtimeDist, target, {
  recursive: true,
  filter: (src) => !src.endsWith(".js") && !src.endsWith(".cjs") && !src.endsWith(".map"),
});

// Every declaration file tsup wrote (one per entry: index, emitter, redis..., and shared chunks).
const declarations = readdirSync("dist").filter((f) => /\.d\.c?ts$/.test(f)).map((f) => `dist/${f}`);
for (const file of declarations) {
  const ext = file.endsWith(".d.cts") ? ".cjs" : ".js";
  const text = readFileSync(file, "utf8").replace(/(["'])@iocontract\/runtime\/([\w/]+)\1/g, (_m, q, sub) => `${q}./runtime/${sub}${ext}${q}`);
  writeFileSync(file, text);
}

const leftovers = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (/\.(c?js|d\.c?ts)$/.test(entry.name) && /(["'])@iocontract\//.test(readFileSync(full, "utf8"))) leftovers.push(full);
  }
};
walk(path.resolve("dist"));
if (leftovers.length > 0) {
  console.error(`vendor-runtime-types: these files still import @iocontract/*: ${leftovers.join(", ")}`);
  process.exit(1);
}
console.log(`vendor-runtime-types: runtime declarations copied to ${path.relative(process.cwd(), target)}`);

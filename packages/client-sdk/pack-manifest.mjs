// The pack step of a generated SDK package (written by `iocontract init --packages`; the same in every SDK package).
// npm runs "strip" before packing and "restore" after: the "iocontract-source" export condition points at src/, which
// the package does not ship, so the published package.json goes without it. package.json is restored afterwards.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

const KEPT = "package.json.iocontract-pack";
if (existsSync(KEPT)) renameSync(KEPT, "package.json");
if (process.argv[2] === "strip") {
  const text = readFileSync("package.json", "utf8");
  const strip = (target) =>
    typeof target !== "object" || target === null
      ? target
      : Object.fromEntries(
          Object.entries(target)
            .filter(([condition]) => condition !== "iocontract-source")
            .map(([key, value]) => [key, strip(value)]),
        );
  const manifest = JSON.parse(text);
  writeFileSync(KEPT, text);
  writeFileSync("package.json", `${JSON.stringify({ ...manifest, exports: strip(manifest.exports) }, null, 2)}\n`);
} else if (process.argv[2] !== "restore") {
  process.stderr.write("usage: node pack-manifest.mjs strip|restore\n");
  process.exit(1);
}

// `npm start` and `npm test` on a fresh clone: install from the lockfile first when node_modules is missing
// or older than the lockfile. Uses only Node built-ins, since nothing else is installed yet.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const marker = "node_modules/.package-lock.json";
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync("package-lock.json").mtimeMs;
if (stale) {
  console.log("iocontract: installing dependencies from package-lock.json (npm ci)...");
  execSync("npm ci --no-audit --no-fund", { stdio: "inherit" });
}

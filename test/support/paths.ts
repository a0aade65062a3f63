/** Where things are, for suites that run files by path. */
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root. */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Client bundle sizes, min+gzip, with esbuild (the same bundler a front end uses): socket.io-client alone, plus
 * the iocontract client runtime, plus the generated chat SDK with zod (validation). Shared by the size-budget
 * test (./size.test.ts) and `npm run bench` (bench/src/bundle.ts).
 */
import { gzipSync } from "node:zlib";
import path from "node:path";
import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");

/** Each entry uses what it imports, so that tree-shaking keeps what an app really gets. */
const ENTRIES = {
  /** The baseline: an app on socket.io-client alone. */
  socketio: `import { io } from "socket.io-client";\nexport const socket = io("http://127.0.0.1:8000");\n`,
  /** The same app plus the iocontract client runtime (zod left out: it is measured with validation below). */
  runtime:
    `import { io } from "socket.io-client";\n` +
    `import { createClient } from "@iocontract/runtime/v1/client";\n` +
    `export const socket = io("http://127.0.0.1:8000");\nexport const make = createClient;\n`,
  /** A whole generated SDK (the chat contract's), zod included: what validation costs on top. */
  sdk:
    `import { io } from "socket.io-client";\n` +
    `import { createChatClient } from "@iocontract/chat-client-sdk";\n` +
    `export const socket = io("http://127.0.0.1:8000");\n` +
    `export const chat = createChatClient("http://127.0.0.1:8000");\n`,
} as const;

export type BundleName = keyof typeof ENTRIES;

export interface BundleSize {
  readonly minified: number;
  readonly gzipped: number;
}

async function measureBundle(name: BundleName): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: ENTRIES[name], resolveDir: path.join(ROOT, "test"), sourcefile: `${name}.ts`, loader: "ts" },
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["iocontract-source"],
    // zod stays out of the runtime-only bundle; the SDK bundle has it.
    external: name === "runtime" ? ["zod", "zod/*"] : [],
    logLevel: "silent",
    legalComments: "none",
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

export async function measureClientBundles(): Promise<Record<BundleName, BundleSize>> {
  return {
    socketio: await measureBundle("socketio"),
    runtime: await measureBundle("runtime"),
    sdk: await measureBundle("sdk"),
  };
}

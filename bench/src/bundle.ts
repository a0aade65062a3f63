/**
 * Client bundle sizes (min+gzip, esbuild 0.27.7, browser, ESM): what the client runtime adds over socket.io-client
 * alone, and what a whole generated SDK adds with validation (zod). Deterministic, so measured five times only to
 * show it (the size-budget test in test/bundle/size.test.ts enforces the budgets in `npm test`).
 */
import { measureClientBundles } from "../../test/bundle/lib/measure";
import { type Row, type Section, isMain, printSection } from "./lib";

export async function run(): Promise<Section[]> {
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await measureClientBundles());
  const rows: Row[] = [
    {
      name: "client runtime added over socket.io-client (min+gzip)",
      unit: "B",
      samples: runs.map((s) => s.runtime.gzipped - s.socketio.gzipped),
      target: { max: 3072, text: "≤ 3 KB (3,072 B)" },
      digits: 0,
    },
    {
      name: "generated chat SDK with validation (zod) added over socket.io-client (min+gzip)",
      unit: "B",
      samples: runs.map((s) => s.sdk.gzipped - s.socketio.gzipped),
      target: { max: 32768, text: "≤ 32 KiB (budget test)" },
      digits: 0,
    },
    {
      name: "absolute: socket.io-client alone (min+gzip)",
      unit: "B",
      samples: runs.map((s) => s.socketio.gzipped),
      digits: 0,
    },
    {
      name: "absolute: socket.io-client + runtime (min+gzip)",
      unit: "B",
      samples: runs.map((s) => s.runtime.gzipped),
      digits: 0,
    },
    {
      name: "absolute: socket.io-client + chat SDK + zod (min+gzip)",
      unit: "B",
      samples: runs.map((s) => s.sdk.gzipped),
      digits: 0,
    },
  ];
  return [
    {
      title: "Client bundle size",
      method:
        "esbuild 0.27.7, `bundle`, `minify`, ESM, platform browser, then gzip -9 " +
        "(test/bundle/lib/measure.ts). Baseline: an app calling `io()` of socket.io-client 4.8.4. Runtime: " +
        "the same app also importing `createClient` from `@iocontract/runtime/v1/client`, zod external. SDK: " +
        "the same app creating the generated chat client (packages/client-sdk), zod 4.6.7 included. The " +
        "runtime's compiled validators (zod's `compile()`, server side) are not in the client bundle. " +
        'Contracts should import zod as `import * as z from "zod"`: with `import { z } from "zod"` bundlers ' +
        "keep all of zod (the SDK bundle grows from ~43 KB to ~110 KB min+gzip).",
      rows,
    },
  ];
}

if (isMain(import.meta.url)) {
  for (const s of await run()) printSection(s);
  process.exit(0);
}

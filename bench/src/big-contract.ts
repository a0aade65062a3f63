/**
 * Writes the 1,000-event fixture the codegen and type-check benchmarks use, under bench/.tmp/big/ (ignored by
 * git): a contract, an iocontract config, a client app on the generated SDK, and the same app written on
 * hand-written socket.io generics.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export const BIG_DIR = path.resolve(new URL(".", import.meta.url).pathname, "../.tmp/big");
/** The same contract with brands (see {@link writeBigFixture}'s `brands`), in its own directory. */
export const BIG_BRANDED_DIR = path.resolve(new URL(".", import.meta.url).pathname, "../.tmp/big-branded");
export const EVENTS = { fire: 400, request: 200, server: 400 } as const;
/** How many events the two apps use (each kind in turn). */
export const USED = 60;

const pad = (i: number) => String(i).padStart(4, "0");

function schema(i: number, brands: boolean): string {
  if (brands && i % 10 === 0) {
    // Every 10th event: a branded id, a branded object and a branded union option (and a shared branded id).
    return (
      `z.object({ id: Id, n${i}: z.number().int(), tags: z.array(z.string()).optional(), kind: z.enum(["a", "b", "c"]), ` +
      `owner: z.object({ name: z.string(), n${i}: z.number() }).brand<"Owner${i}">(), ` +
      `pick: z.union([z.string().brand<"Pick${i}">(), z.number()]) })`
    );
  }
  return `z.object({ id: z.string().min(1), n${i}: z.number().int(), tags: z.array(z.string()).optional(), kind: z.enum(["a", "b", "c"]) })`;
}
function iface(name: string, i: number): string {
  return `export interface ${name} {\n  id: string;\n  n${i}: number;\n  tags?: string[] | undefined;\n  kind: "a" | "b" | "c";\n}`;
}

/**
 * `brands`: every 10th event's payload also carries a branded id (one shared schema), a branded object and a
 * union with a branded option (the other events are unchanged), written to {@link BIG_BRANDED_DIR}.
 */
export function writeBigFixture(options: { brands?: boolean } = {}): string {
  const brands = options.brands === true;
  const dir = brands ? BIG_BRANDED_DIR : BIG_DIR;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const c2s: string[] = [];
  const s2c: string[] = [];
  let k = 0;
  for (let i = 0; i < EVENTS.fire; i++, k++) c2s.push(`    "fire${pad(i)}": { payload: ${schema(k, brands)} },`);
  for (let i = 0; i < EVENTS.request; i++, k++)
    c2s.push(
      `    "ask${pad(i)}": { payload: ${schema(k, brands)}, ack: z.object({ ok${i}: z.boolean(), at: z.number() }) },`,
    );
  for (let i = 0; i < EVENTS.server; i++, k++) s2c.push(`    "news${pad(i)}": { payload: ${schema(k, brands)} },`);
  writeFileSync(
    path.join(dir, "big.contract.ts"),
    [
      'import { z } from "zod";',
      'import { defineContract } from "@iocontract/runtime/contract";',
      "",
      ...(brands ? ['const Id = z.string().min(1).brand<"Id">();', ""] : []),
      "export default defineContract({",
      '  name: "big",',
      '  version: "1.0.0",',
      "  namespaces: {",
      '    "/": {',
      "  clientToServer: {",
      c2s.join("\n"),
      "  },",
      "  serverToClient: {",
      s2c.join("\n"),
      "  },",
      "    },",
      "  },",
      "});",
      "",
    ].join("\n"),
  );
  writeFileSync(
    path.join(dir, "iocontract.config.ts"),
    [
      'import { defineConfig } from "iocontract";',
      "",
      "export default defineConfig({",
      '  contract: "big.contract.ts",',
      "  outputs: [",
      '    { kind: "server", dir: "gen/server" },',
      '    { kind: "client", dir: "gen/client" },',
      "  ],",
      '  regenerate: "npm run bench",',
      "});",
      "",
    ].join("\n"),
  );

  // The app, twice: the same calls on the generated SDK and on socket.io-client typed by hand.
  const sdk: string[] = [
    `import { createBigClient } from "./dts/gen/client/client.gen";`,
    ``,
    `export async function app(): Promise<number> {`,
    `  const client = createBigClient("http://127.0.0.1:8000");`,
    `  let total = 0;`,
  ];
  const hand: string[] = [
    `import { io, type Socket } from "socket.io-client";`,
    `import type { ServerToClientEvents, ClientToServerEvents } from "./hand-types";`,
    ``,
    `export async function app(): Promise<number> {`,
    `  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io("http://127.0.0.1:8000");`,
    `  let total = 0;`,
  ];
  for (let u = 0; u < USED; u++) {
    const i = u;
    const payload = (n: number) => `{ id: "x", n${n}: ${u}, kind: "a" }`;
    if (u % 3 === 0) {
      sdk.push(`  client.emit.fire${pad(i)}(${payload(i)});`);
      hand.push(`  socket.emit("fire${pad(i)}", ${payload(i)});`);
    } else if (u % 3 === 1) {
      const n = EVENTS.fire + i;
      sdk.push(`  total += (await client.emit.ask${pad(i)}(${payload(n)})).at;`);
      hand.push(`  total += (await socket.timeout(5000).emitWithAck("ask${pad(i)}", ${payload(n)})).at;`);
    } else {
      const n = EVENTS.fire + EVENTS.request + i;
      sdk.push(`  client.on.news${pad(i)}((p) => { total += p.n${n}; });`);
      hand.push(`  socket.on("news${pad(i)}", (p) => { total += p.n${n}; });`);
    }
  }
  sdk.push(`  return total;`, `}`, ``);
  hand.push(`  return total;`, `}`, ``);
  writeFileSync(path.join(dir, "app-sdk.ts"), sdk.join("\n"));
  writeFileSync(path.join(dir, "app-hand.ts"), hand.join("\n"));

  // Hand-written socket.io generics: one interface per payload, the two event maps (acks answer the value).
  const types: string[] = [];
  const c2sMap: string[] = [];
  const s2cMap: string[] = [];
  k = 0;
  for (let i = 0; i < EVENTS.fire; i++, k++) {
    types.push(iface(`Fire${pad(i)}`, k));
    c2sMap.push(`  "fire${pad(i)}": (payload: Fire${pad(i)}) => void;`);
  }
  for (let i = 0; i < EVENTS.request; i++, k++) {
    types.push(iface(`Ask${pad(i)}`, k), `export interface Ask${pad(i)}Ack {\n  ok${i}: boolean;\n  at: number;\n}`);
    c2sMap.push(`  "ask${pad(i)}": (payload: Ask${pad(i)}, ack: (answer: Ask${pad(i)}Ack) => void) => void;`);
  }
  for (let i = 0; i < EVENTS.server; i++, k++) {
    types.push(iface(`News${pad(i)}`, k));
    s2cMap.push(`  "news${pad(i)}": (payload: News${pad(i)}) => void;`);
  }
  writeFileSync(
    path.join(dir, "hand-types.ts"),
    [
      types.join("\n\n"),
      "",
      "export interface ClientToServerEvents {",
      c2sMap.join("\n"),
      "}",
      "",
      "export interface ServerToClientEvents {",
      s2cMap.join("\n"),
      "}",
      "",
    ].join("\n"),
  );
  const tsconfig = (files: string[]) =>
    JSON.stringify(
      { extends: "../../../tsconfig.base.json", compilerOptions: { noEmit: true, types: [] }, files },
      null,
      2,
    );
  writeFileSync(path.join(dir, "tsconfig.sdk.json"), tsconfig(["app-sdk.ts"]));
  writeFileSync(path.join(dir, "tsconfig.hand.json"), tsconfig(["app-hand.ts"]));
  // Emits the SDK's declarations (what a front end gets from the SDK package) from the generated client.
  writeFileSync(
    path.join(dir, "tsconfig.dts.json"),
    JSON.stringify(
      {
        extends: "../../../tsconfig.base.json",
        compilerOptions: {
          noEmit: false,
          declaration: true,
          emitDeclarationOnly: true,
          allowImportingTsExtensions: false,
          outDir: "dts",
          rootDir: ".",
          types: [],
        },
        files: ["gen/client/client.gen.ts"],
      },
      null,
      2,
    ),
  );
  return dir;
}

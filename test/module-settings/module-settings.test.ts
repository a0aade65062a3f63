/**
 * Generated code under every TypeScript module setting a project may use (issue 10, item 3): for each setting a
 * temporary project outside the repository gets the runtime as npm publishes it (packed, its dist; no source
 * condition), zod and socket.io, a small contract, the generated server and client (import extension "auto":
 * read from that project's tsconfig), and an app that runs both. `tsc` (strict, exactOptionalPropertyTypes,
 * noUnusedLocals, libraries checked too) must pass, then plain `node` runs the emitted JavaScript: the client
 * calls the server over 127.0.0.1, gets a typed answer and a typed error.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IocontractConfig, generateFiles, writeFiles } from "iocontract";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSC = path.join(REPO, "node_modules/typescript/bin/tsc");

function run(command: string, args: string[], cwd: string, timeout = 120_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

const CONTRACT = `import * as z from "zod";
import { defineContract } from "@iocontract/runtime/contract";

/** A type the contract module exports that a transform returns: generated types import it from here. */
export interface Seat {
  room: string;
  row: number;
}

export default defineContract({
  name: "lobby",
  version: "1.0.0",
  namespaces: {
    "/": {
      auth: z.object({ player: z.string().min(1) }),
      errors: { ROOM_FULL: z.object({ room: z.string(), capacity: z.number().int() }) },
      clientToServer: {
        "join room": { payload: z.object({ room: z.string() }), ack: z.object({ players: z.array(z.string()) }), doc: "Join a room." },
        "take seat": { payload: z.object({ seat: z.string().transform((text): Seat => ({ room: text, row: text.length })) }) },
      },
      serverToClient: {
        "player joined": { payload: z.object({ player: z.string() }) },
      },
    },
  },
});
`;

/** The app: the generated server and client in one process, through each output's index.gen. */
const main = (ext: string) => `import {
  createLobbyServer,
  type LobbyHandlers,
  type JoinRoomPayload,
  type JoinRoomAck,
  type LobbyContext,
  type TakeSeatPayload,
} from "./gen/server/index.gen${ext}";
import { createLobbyClient, IocontractError } from "./gen/client/index.gen${ext}";
import type { Seat } from "./app.contract${ext}";

class Handlers implements LobbyHandlers {
  seats: Seat[] = [];
  takeSeat(payload: TakeSeatPayload): void {
    this.seats.push(payload.seat);
  }
  joinRoom(payload: JoinRoomPayload, ctx: LobbyContext): JoinRoomAck {
    if (payload.room === "full") throw ctx.error("ROOM_FULL", { room: payload.room, capacity: 2 });
    ctx.join(payload.room);
    ctx.to(payload.room).emit.playerJoined({ player: ctx.handshake.auth.player });
    return { players: [ctx.handshake.auth.player] };
  }
}

async function main(): Promise<void> {
  const handlers = new Handlers();
  const server = createLobbyServer({ handlers: { "/": handlers } });
  const { port } = await server.listen(0, "127.0.0.1");
  const client = createLobbyClient("http://127.0.0.1:" + port, { auth: { player: "ada" }, socket: { transports: ["websocket"] } });
  const joined = new Promise<string>((resolve) => client.on.playerJoined(({ player }) => resolve(player)));
  client.emit.takeSeat({ seat: "A12" });
  const ack = await client.emit.joinRoom({ room: "lobby" });
  const error = await client.emit.joinRoom({ room: "full" }).then(
    () => undefined,
    (e: unknown) => e,
  );
  const result = {
    players: ack.players,
    joined: await joined,
    seats: handlers.seats,
    error: error instanceof IocontractError ? { code: error.code, details: error.details } : String(error),
  };
  client.disconnect();
  await server.close({ deadlineMs: 1000 });
  console.log("RESULT " + JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
`;

interface Setting {
  readonly name: string;
  readonly type: "module" | "commonjs";
  readonly compilerOptions: Record<string, unknown>;
  /** What generated relative imports must end with under this tsconfig ("auto"). */
  readonly ext: "" | ".js" | ".ts";
}

const SETTINGS: readonly Setting[] = [
  {
    name: "NodeNext, ESM package",
    type: "module",
    compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" },
    ext: ".js",
  },
  {
    name: "NodeNext, CommonJS package",
    type: "commonjs",
    compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" },
    ext: ".js",
  },
  {
    name: "Node16, ESM package",
    type: "module",
    compilerOptions: { module: "Node16", moduleResolution: "Node16" },
    ext: ".js",
  },
  {
    name: "Bundler (ESNext), run by node",
    type: "module",
    compilerOptions: { module: "ESNext", moduleResolution: "Bundler" },
    ext: ".js",
  },
  {
    name: "CommonJS, esModuleInterop off",
    type: "commonjs",
    compilerOptions: { module: "CommonJS", esModuleInterop: false },
    ext: ".js",
  },
  {
    name: "CommonJS, esModuleInterop on",
    type: "commonjs",
    compilerOptions: { module: "CommonJS", esModuleInterop: true },
    ext: ".js",
  },
  {
    name: "NodeNext with rewriteRelativeImportExtensions (.ts imports)",
    type: "module",
    compilerOptions: { module: "NodeNext", rewriteRelativeImportExtensions: true },
    ext: ".ts",
  },
];

let root: string;
let runtimeTarball: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "iocontract-module-settings-"));
  // The runtime as npm publishes it: packed (prepack builds it), installed from the tarball's own files.
  const packed = await run(
    "npm",
    ["pack", "--json", "--pack-destination", root],
    path.join(REPO, "packages/runtime"),
    240_000,
  );
  expect(packed.code, packed.out).toBe(0);
  // npm prints its JSON after the prepack build's own output.
  runtimeTarball = path.join(
    root,
    (
      JSON.parse(packed.out.slice(packed.out.search(/^\[$/m), packed.out.search(/^\]$/m) + 1)) as Array<{
        filename: string;
      }>
    )[0]!.filename,
  );
}, 300_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function project(setting: Setting, index: number): Promise<string> {
  const dir = path.join(root, `p${index}`);
  await mkdir(path.join(dir, "node_modules/@iocontract/runtime"), { recursive: true });
  await mkdir(path.join(dir, "node_modules/@types"), { recursive: true });
  await mkdir(path.join(dir, "src"), { recursive: true });
  const extracted = await run(
    "tar",
    ["-xzf", runtimeTarball, "--strip-components=1", "-C", path.join(dir, "node_modules/@iocontract/runtime")],
    dir,
  );
  expect(extracted.code, extracted.out).toBe(0);
  // The peers, from the repository's install (the versions its lock file pins).
  for (const name of ["zod", "socket.io", "socket.io-client", "@types/node"]) {
    await symlink(path.join(REPO, "node_modules", name), path.join(dir, "node_modules", name), "dir");
  }
  await writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: `settings-${index}`, version: "1.0.0", private: true, type: setting.type }),
  );
  await writeFile(
    path.join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2022"],
          types: ["node"],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          noUnusedLocals: true,
          skipLibCheck: false,
          rootDir: "src",
          outDir: "dist",
          declaration: true,
          ...setting.compilerOptions,
        },
        include: ["src"],
      },
      null,
      2,
    ),
  );
  await writeFile(path.join(dir, "src/app.contract.ts"), CONTRACT);
  await writeFile(path.join(dir, "src/main.ts"), main(setting.ext));
  const config: IocontractConfig = {
    contract: "src/app.contract.ts",
    outputs: [
      { kind: "server", dir: "src/gen/server" },
      { kind: "client", dir: "src/gen/client" },
    ],
  };
  await writeFiles(await generateFiles(dir, config));
  return dir;
}

describe.each(SETTINGS.map((s, i) => [s.name, s, i] as const))("%s", (_name, setting, index) => {
  it("generated code type-checks with tsc and runs under plain node", async () => {
    const dir = await project(setting, index);
    const server = await readFile(path.join(dir, "src/gen/server/server.gen.ts"), "utf8");
    expect(server).toContain(`from "../../app.contract${setting.ext === ".ts" ? ".ts" : ".js"}";`);
    expect(server).toContain(`from "./types.gen${setting.ext}";`);
    // The compiler's answer for the transform names Seat, which the contract module exports: imported from it.
    const types = await readFile(path.join(dir, "src/gen/server/types.gen.ts"), "utf8");
    expect(types).toContain(`import type { Seat } from "../../app.contract${setting.ext === ".ts" ? ".ts" : ".js"}";`);
    expect(types).toMatch(/export interface TakeSeatPayload \{\n  seat: Seat;\n\}/);
    const tsc = await run(process.execPath, [TSC, "-p", "tsconfig.json"], dir);
    if (setting.compilerOptions["esModuleInterop"] === false) {
      // zod 4's own declarations default-import its locales: without esModuleInterop they fail to check (a
      // project sets skipLibCheck for that). Everything else, the runtime's declarations included, must pass.
      expect(tsc.out.split("\n").filter((l) => l.trim() !== "" && !/node_modules\/zod\//.test(l))).toEqual([]);
    } else {
      expect(tsc.out).toBe("");
      expect(tsc.code).toBe(0);
    }
    // The contract's docs reach the declarations a package of these files would ship.
    expect(await readFile(path.join(dir, "dist/gen/client/client.gen.d.ts"), "utf8")).toMatch(
      /\/\*\*\n\s+\* Join a room\.\n\s+\* Wire name: `"join room"`\./,
    );
    const node = await run(process.execPath, ["dist/main.js"], dir, 30_000);
    expect(node.code, node.out).toBe(0);
    const line = node.out.split("\n").find((l) => l.startsWith("RESULT "));
    expect(JSON.parse(line!.slice("RESULT ".length))).toEqual({
      players: ["ada"],
      joined: "ada",
      seats: [{ room: "A12", row: 3 }],
      error: { code: "ROOM_FULL", details: { room: "full", capacity: 2 } },
    });
  }, 180_000);
});

describe("contractImport", () => {
  it("a package specifier is used as written, in every file that imports the contract", async () => {
    const dir = path.join(root, "specifier");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "app.contract.ts"), CONTRACT);
    await mkdir(path.join(dir, "node_modules/@iocontract"), { recursive: true });
    await symlink(path.join(REPO, "node_modules/zod"), path.join(dir, "node_modules/zod"), "dir");
    await symlink(path.join(REPO, "packages/runtime"), path.join(dir, "node_modules/@iocontract/runtime"), "dir");
    const files = await generateFiles(dir, {
      contract: "app.contract.ts",
      contractImport: "@acme/lobby-contract",
      outputs: [
        { kind: "server", dir: "server" },
        { kind: "client", dir: "client" },
      ],
    });
    const importing = files.filter((f) => /^import contract from/m.test(f.text));
    expect(importing.map((f) => path.relative(dir, f.path)).sort()).toEqual([
      "client/client.gen.ts",
      "server/emitter.gen.ts",
      "server/server.gen.ts",
    ]);
    for (const f of importing) expect(f.text).toMatch(/^import contract from "@acme\/lobby-contract";$/m);
    // Types of the contract module that the compiler's answers name come from the same specifier.
    const types = files.filter((f) => f.path.endsWith("types.gen.ts"));
    expect(types).toHaveLength(2);
    for (const f of types) expect(f.text).toMatch(/^import type \{ Seat \} from "@acme\/lobby-contract";$/m);
  });
});

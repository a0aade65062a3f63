/**
 * What `iocontract diff` predicts, checked on real processes: a client generated from contract v1 against a
 * server generated from v2, over Socket.IO on 127.0.0.1, for one safe and one breaking edit of each direction;
 * and a v2 client against a v1 server, refused at the handshake with both versions named.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildModel, buildSnapshot, cacheFileFor, diffSnapshots, loadContract } from "iocontract";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = path.join(REPO, "scripts/iocontract.mjs");

const contract = (version: string, v2: boolean) => `import { z } from "zod";
import { defineContract } from "@iocontract/runtime/contract";

export default defineContract({
  name: "evo",
  version: "${version}",
  namespaces: {
    "/": {
      clientToServer: {
        "say hello": { payload: z.object({ name: z.string()${v2 ? ", lang: z.string().optional()" : ""} }), ack: z.object({ greeting: z.string() }) },
        post: { payload: z.object({ text: z.string()${v2 ? ", room: z.string()" : ""} }), ack: z.object({ ok: z.boolean() }) },
        poke: {},
      },
      serverToClient: {
        notice: { payload: z.object({ text: z.string()${v2 ? ", level: z.string().optional()" : ""} }) },
        status: { payload: z.object({ state: z.enum(["online", "offline"${v2 ? ', "away"' : ""}]) }) },
      },
    },
  },
});
`;

const config = `import { defineConfig } from "iocontract";
export default defineConfig({ contract: "contract.ts", outputs: [{ kind: "server", dir: "server" }, { kind: "client", dir: "client" }] });
`;

/** Serves with the handlers of whichever contract it was generated from; prints its port. */
const SERVER = `import { createEvoServer } from "./server/server.gen";
const v2 = process.env.V2 === "1";
const server = createEvoServer({
  handlers: {
    "/": {
      sayHello: (p, ctx) => ({ greeting: "hello " + p.name + " (client " + String(ctx.handshake.contractVersion) + ")" }),
      post: () => ({ ok: true }),
      poke: (ctx) => {
        ctx.emit.notice(v2 ? ({ text: "n", level: "info" } as never) : { text: "n" });
        ctx.emit.status({ state: (v2 ? "away" : "offline") as never });
        ctx.emit.status({ state: "online" });
      },
    },
  },
  checkContractVersion: process.env.CHECK !== "0",
});
const address = await server.listen(0, "127.0.0.1");
console.log(JSON.stringify({ port: address.port }));
process.stdin.resume();
process.stdin.on("end", () => void server.close().then(() => process.exit(0)));
`;

/** Runs the scenario with whichever client it was generated from; prints what happened. */
const CLIENT = `import { createEvoClient } from "./client/client.gen";
const c = createEvoClient("http://127.0.0.1:" + process.env.PORT, { socket: { transports: ["websocket"], reconnection: false } });
const out = { connect: "ok", hello: null, post: null, notices: [], statuses: [], errors: [] };
const settle = (p) => p.then((v) => ({ ok: v }), (e) => ({ code: e.code, message: String(e.message) }));
try {
  await c.ready();
} catch (e) {
  out.connect = { code: e.code, message: String(e.message) };
}
if (out.connect === "ok") {
  c.on.notice((p) => out.notices.push(p));
  c.on.status((p) => out.statuses.push(p));
  c.on.eventError((e) => out.errors.push({ code: e.code, message: String(e.message) }));
  out.hello = await settle(c.emit.sayHello({ name: "ann" }));
  out.post = await settle(c.emit.post({ text: "hi" }));
  c.emit.poke();
  for (let i = 0; i < 100 && out.notices.length + out.statuses.length + out.errors.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
}
console.log(JSON.stringify(out));
c.disconnect();
process.exit(0);
`;

let dir: string;
const children: ChildProcess[] = [];

function run(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

async function project(name: string, version: string, v2: boolean): Promise<string> {
  const d = path.join(dir, name);
  await mkdir(d);
  await writeFile(path.join(d, "contract.ts"), contract(version, v2));
  await writeFile(path.join(d, "iocontract.config.ts"), config);
  await writeFile(path.join(d, "serve.ts"), SERVER);
  await writeFile(path.join(d, "scenario.ts"), CLIENT);
  const generated = await run(["--conditions=iocontract-source", CLI, "generate"], d);
  if (generated.code !== 0) throw new Error(generated.stderr);
  return d;
}

async function serve(d: string, env: Record<string, string>): Promise<number> {
  const child = spawn(process.execPath, ["--conditions=iocontract-source", "--import", "tsx", "serve.ts"], {
    cwd: d,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split("\n").find((l) => l.startsWith("{"));
      if (line !== undefined) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function scenario(d: string, port: number): Promise<Record<string, unknown>> {
  const r = await run(["--conditions=iocontract-source", "--import", "tsx", "scenario.ts"], d, { PORT: String(port) });
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

let v1: string;
let v2: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "iocontract-evolution-"));
  await symlink(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
  v1 = await project("v1", "1.0.0", false);
  v2 = await project("v2", "2.0.0", true);
});

afterAll(async () => {
  for (const child of children) {
    child.stdin?.end();
    if (child.exitCode === null) await new Promise((resolve) => child.once("exit", resolve));
  }
  for (const d of [v1, v2]) {
    const cacheFile = d === undefined ? undefined : cacheFileFor(path.join(d, "iocontract.config.ts"));
    if (cacheFile !== undefined) await rm(cacheFile, { force: true });
  }
  await rm(dir, { recursive: true, force: true });
});

describe("contract v1 clients against a contract v2 server", () => {
  it("the diff predicts: say hello and notice safe, post and status breaking for old clients", async () => {
    const snap = async (d: string) => {
      const c = await loadContract(path.join(d, "contract.ts"));
      return buildSnapshot(c, buildModel(c, "contract.ts"));
    };
    const result = diffSnapshots(await snap(v1), await snap(v2));
    const verdict = (event: string) =>
      result.changes.find((c) => c.event === event && c.part === "payload")!.verdicts.oldClientsNewServer!.verdict;
    expect(["say hello", "post", "notice", "status"].map(verdict)).toEqual(["safe", "breaking", "safe", "breaking"]);
  });

  it("over Socket.IO: the safe edits work, the breaking ones fail as predicted", async () => {
    // The version check off: this run is about the payloads (a 2.0.0 server refuses 1.x clients, tested below).
    const port = await serve(v2, { CHECK: "0", V2: "1" });
    const out = await scenario(v1, port);
    expect(out["connect"]).toBe("ok");
    // client→server, safe (an optional field added): answered.
    // The handler sees the version the client announced (ctx.handshake.contractVersion).
    expect(out["hello"]).toEqual({ ok: { greeting: "hello ann (client 1.0.0)" } });
    // client→server, breaking (a required field added): the new server refuses what the old client sends, naming it.
    expect(out["post"]).toMatchObject({ code: "REQUEST_INVALID", message: expect.stringMatching(/room/) });
    // server→client, safe (an optional field added): the old client gets it (without the field it does not know).
    expect(out["notices"]).toEqual([{ text: "n" }]);
    // server→client, breaking (an enum widened): the old client refuses "away", reports it, and takes "online".
    expect(out["statuses"]).toEqual([{ state: "online" }]);
    expect(out["errors"]).toEqual([
      expect.objectContaining({ code: "CONTRACT_MISMATCH", message: expect.stringMatching(/status.*state/s) }),
    ]);
  });

  it("a v2 client against a v1 server is refused at the handshake, with both versions named", async () => {
    const port = await serve(v1, {});
    const out = await scenario(v2, port);
    expect(out["connect"]).toEqual({
      code: "CONTRACT_MISMATCH",
      message: expect.stringContaining('this server speaks evo@1.0.0; the client announced "evo@2.0.0"'),
    });
  });
});

/**
 * Delivery guarantees, tested by breaking things: client→server acked events are delivered at least once and
 * handled exactly once (retries + idempotency keys), across cut connections and a server restart; server→client
 * events missed during a brief disconnect arrive after the reconnect (connection-state recovery, on by default).
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { io as rawIo, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { IDEMPOTENCY_KEY } from "@iocontract/runtime/v1/wire";
import { createRelayClient, type RelayClient } from "../fixtures/reliability/expected/client/client.gen";
import { sleep } from "../support/events";
import { freePort } from "../support/redis-server";
import { createRelay, type Relay } from "./lib/relay";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const open: Array<{ disconnect(): unknown }> = [];
afterEach(() => {
  for (const c of open.splice(0)) c.disconnect();
});

function relayClient(url: string, options: Parameters<typeof createRelayClient>[1] = {}): RelayClient {
  const c = createRelayClient(url, {
    ...options,
    socket: { transports: ["websocket"], reconnectionDelay: 50, reconnectionDelayMax: 200, ...options.socket },
  });
  open.push(c);
  return c;
}

/** Sends `count` appends with `inFlight` at a time; resolves with every ack (or the error). */
function stream(
  c: RelayClient,
  name: string,
  count: number,
  inFlight: number,
  options?: { timeoutMs?: number; retries?: number },
) {
  const acks: Array<{ seq: number; runs: number } | Error> = new Array(count);
  let nextSeq = 0;
  let acked = 0;
  const worker = async () => {
    while (nextSeq < count) {
      const seq = nextSeq++;
      acks[seq] = await c.emit.append({ stream: name, seq }, options).catch((e: Error) => e);
      acked++;
    }
  };
  const done = Promise.all(Array.from({ length: inFlight }, worker));
  return { done: done.then(() => acks), acked: () => acked };
}

describe("idempotency keys (server side, raw Socket.IO client)", () => {
  let relay: Relay;
  let url: string;
  beforeAll(async () => {
    relay = createRelay({ appendDelayMs: 100 });
    url = `http://127.0.0.1:${(await relay.server.listen(0)).port}`;
  });
  afterAll(() => relay.server.close({ deadlineMs: 100 }));

  const rawClient = async (): Promise<Socket> => {
    const s = rawIo(url, { transports: ["websocket"], reconnection: false });
    open.push(s);
    await new Promise<void>((r) => s.once("connect", () => r()));
    return s;
  };
  const send = (s: Socket, event: string, ...args: unknown[]) =>
    new Promise<unknown>((resolve) => s.emit(event, ...args, resolve));

  it("the same key twice, while the first still runs and after it is done: one run, three equal answers", async () => {
    const [a, b] = await Promise.all([rawClient(), rawClient()]);
    const key = { [IDEMPOTENCY_KEY]: "raw-1" };
    const first = send(a, "append", { stream: "raw", seq: 1 }, key);
    const retry = send(b, "append", { stream: "raw", seq: 1 }, key); // another connection: a reconnect's sid differs
    const answers = await Promise.all([first, retry]);
    expect(answers).toEqual([
      { ok: true, data: { seq: 1, runs: 1 } },
      { ok: true, data: { seq: 1, runs: 1 } },
    ]);
    expect(await send(a, "append", { stream: "raw", seq: 1 }, key)).toEqual({ ok: true, data: { seq: 1, runs: 1 } });
    expect(relay.runs.get("raw:1")).toBe(1);
  });

  it("keys are per event: the same key on another event runs that event", async () => {
    const s = await rawClient();
    const key = { [IDEMPOTENCY_KEY]: "raw-2" };
    await send(s, "append", { stream: "raw", seq: 2 }, key);
    expect(await send(s, "limited", { n: 1 }, key)).toEqual({ ok: true, data: { n: 1 } });
  });

  it("without a key, a second send runs the handler again (at-most-once per send, no dedupe)", async () => {
    const s = await rawClient();
    await send(s, "append", { stream: "raw", seq: 3 });
    expect(await send(s, "append", { stream: "raw", seq: 3 })).toEqual({ ok: true, data: { seq: 3, runs: 2 } });
  });

  it("an invalid payload with a key is answered REQUEST_INVALID, and so is its retry; a malformed key is an extra argument", async () => {
    const s = await rawClient();
    const key = { [IDEMPOTENCY_KEY]: "raw-4" };
    const bad = (await send(s, "append", { stream: "raw", seq: -1 }, key)) as { ok: boolean; error: { code: string } };
    expect(bad.error.code).toBe("REQUEST_INVALID");
    expect(await send(s, "append", { stream: "raw", seq: -1 }, key)).toEqual(bad);
    const extra = (await send(s, "append", { stream: "raw", seq: 4 }, { [IDEMPOTENCY_KEY]: 42 })) as {
      error: { message: string };
    };
    expect(extra.error.message).toBe('relay / "append": (payload): expected 1 payload argument, got 2');
    expect(relay.runs.has("raw:4")).toBe(false);
  });
});

describe("cut connections", () => {
  let relay: Relay;
  let url: string;
  beforeAll(async () => {
    relay = createRelay({ appendDelayMs: 5 });
    url = `http://127.0.0.1:${(await relay.server.listen(0)).port}`;
  });
  afterAll(() => relay.server.close({ deadlineMs: 100 }));

  it("client→server: 300 acked events through 8 cuts (client and server side): every one acked, each handled once", async () => {
    const c = relayClient(url, { retries: 6 });
    await c.ready();
    const { done, acked } = stream(c, "cuts", 300, 10, { timeoutMs: 1000 });
    let cuts = 0;
    let reconnects = 0;
    c.on.connect(() => reconnects++);
    while (cuts < 8 && acked() < 300) {
      await sleep(40);
      if (!c.connected) continue;
      if (cuts % 2 === 0) c.socket.io.engine.close();
      else for (const socket of relay.server.io.sockets.sockets.values()) socket.conn.close();
      cuts++;
    }
    const acks = await done;
    const errors = acks.filter((a) => a instanceof Error);
    expect(errors).toEqual([]);
    expect(acks.map((a) => (a as { seq: number }).seq)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(acks.every((a) => (a as { runs: number }).runs === 1)).toBe(true);
    const runs = [...relay.runs].filter(([k]) => k.startsWith("cuts:"));
    expect(runs).toHaveLength(300);
    expect(runs.filter(([, n]) => n !== 1)).toEqual([]);
    expect(cuts).toBeGreaterThanOrEqual(4);
    expect(reconnects).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it("without retries, a cut loses acks (the control: the test above can fail)", async () => {
    const c = relayClient(url, { retries: 0 });
    await c.ready();
    const { done } = stream(c, "noretry", 100, 10, { timeoutMs: 1000 });
    await sleep(30);
    c.socket.io.engine.close();
    const acks = await done;
    expect(acks.filter((a) => a instanceof Error).length).toBeGreaterThan(0);
  }, 30_000);

  async function missedWhileAway(recovery: boolean) {
    const r = createRelay(recovery ? {} : { connectionStateRecovery: false });
    const u = `http://127.0.0.1:${(await r.server.listen(0)).port}`;
    const c = relayClient(u, { socket: { reconnectionDelay: 300, reconnectionDelayMax: 300, randomizationFactor: 0 } });
    const ticks: number[] = [];
    c.on.tick(({ n }) => ticks.push(n));
    // Subscribing is the application's job on every (re)connect; with recovery the rooms come back anyway.
    c.on.connect(() => c.emit.subscribe({ room: "r" }));
    await c.ready();
    await expect.poll(async () => (await r.server.sids("r")).length).toBe(1);
    for (let n = 0; n < 20; n++) r.server.to("r").emit.tick({ room: "r", n });
    await expect.poll(() => ticks.length).toBe(20);
    c.socket.io.engine.close();
    await expect.poll(async () => (await r.server.sids()).length).toBe(0); // the server has seen the disconnect
    for (let n = 20; n < 70; n++) r.server.to("r").emit.tick({ room: "r", n }); // while the client is away
    await expect.poll(() => c.connected).toBe(true);
    await expect.poll(async () => (await r.server.sids("r")).length).toBe(1);
    for (let n = 70; n < 100; n++) r.server.to("r").emit.tick({ room: "r", n });
    await expect.poll(() => ticks.at(-1)).toBe(99);
    await r.server.close({ deadlineMs: 100 });
    return { ticks, recovered: c.socket.recovered === true };
  }

  it("server→client: events sent while the client was away arrive after the reconnect, in order, once", async () => {
    const { ticks, recovered } = await missedWhileAway(true);
    expect(recovered).toBe(true);
    expect(ticks).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it("with connectionStateRecovery: false they are lost (the control)", async () => {
    const { ticks, recovered } = await missedWhileAway(false);
    expect(recovered).toBe(false);
    expect(ticks).toEqual([
      ...Array.from({ length: 20 }, (_, i) => i),
      ...Array.from({ length: 30 }, (_, i) => i + 70),
    ]);
  });
});

describe("a server restart in the middle of a stream", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill("SIGKILL");
  });

  function start(name: string, port: number) {
    const child = spawn(
      process.execPath,
      ["--conditions=iocontract-source", "--import", "tsx", path.join(HERE, "lib/relay-main.ts")],
      {
        env: { ...process.env, PORT: String(port), NAME: name, APPEND_DELAY_MS: "20" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    children.push(child);
    const lines: Array<Record<string, unknown>> = [];
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout! }).on("line", (line) =>
      lines.push(JSON.parse(line) as Record<string, unknown>),
    );
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    return { child, lines, exited, stderr: () => stderr };
  }

  it("SIGTERM → graceful close → a new process on the same port: every acked event handled exactly once", async () => {
    const port = await freePort();
    const a = start("a", port);
    await expect.poll(() => a.lines.some((l) => l["listening"] === port), { timeout: 20_000 }).toBe(true);
    const c = relayClient(`http://127.0.0.1:${port}`, { retries: 8 });
    await c.ready();
    const notices: string[] = [];
    c.on.disconnect((_reason, notice) => notices.push(notice?.code ?? "none"));
    const { done, acked } = stream(c, "restart", 300, 10, { timeoutMs: 4000 });
    await expect.poll(() => acked(), { timeout: 20_000 }).toBeGreaterThanOrEqual(100);
    a.child.kill("SIGTERM");
    const b = start("b", port);
    const acks = await done;
    expect(await a.exited).toBe(0);
    expect(a.stderr()).toBe("");
    const closing = a.lines.find((l) => "closing" in l)!;
    const closed = a.lines.find((l) => "closed" in l)!;
    expect(closed).toMatchObject({ closed: 0, errors: 0 }); // no handler cut off, nothing reported
    expect(acks.filter((x) => x instanceof Error)).toEqual([]);
    expect(acks.every((x) => (x as { runs: number }).runs === 1)).toBe(true);
    const handled = [...a.lines, ...b.lines].filter((l) => "handled" in l).map((l) => l["handled"] as string);
    expect(new Set(handled).size).toBe(handled.length); // none handled twice, across both processes
    expect(handled.sort()).toEqual(Array.from({ length: 300 }, (_, i) => `restart:${i}`).sort());
    expect(a.lines.filter((l) => "handled" in l).length).toBeGreaterThanOrEqual(100);
    expect(b.lines.filter((l) => "handled" in l).length).toBeGreaterThan(0);
    expect(notices).toContain("SHUTTING_DOWN");
    expect(typeof closing["closing"]).toBe("number");
    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(0);
  }, 90_000);

  it("SIGKILL (a crash) instead: every event still acked — at least once; only events in flight at the crash may run twice", async () => {
    const port = await freePort();
    const a = start("a", port);
    await expect.poll(() => a.lines.some((l) => l["listening"] === port), { timeout: 20_000 }).toBe(true);
    const c = relayClient(`http://127.0.0.1:${port}`, { retries: 8 });
    await c.ready();
    const { done, acked } = stream(c, "crash", 200, 10, { timeoutMs: 4000 });
    await expect.poll(() => acked(), { timeout: 20_000 }).toBeGreaterThanOrEqual(50);
    a.child.kill("SIGKILL");
    const b = start("b", port);
    const acks = await done;
    expect(acks.filter((x) => x instanceof Error)).toEqual([]);
    const handled = [...a.lines, ...b.lines].filter((l) => "handled" in l).map((l) => l["handled"] as string);
    expect(new Set(handled)).toEqual(new Set(Array.from({ length: 200 }, (_, i) => `crash:${i}`)));
    // The dedupe memory died with the process: a handler that ran but whose ack was lost runs again.
    expect(handled.length - 200).toBeLessThanOrEqual(10);
    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(0);
  }, 90_000);
});

/**
 * The attacks of issue 18, written against the bytes (Engine.IO v4 / Socket.IO v5 over a plain websocket, raw
 * HTTP): shared by the suite (test/attacks/*.test.ts, short and bounded) and the bench (bench/attacks.ts, at
 * full speed for minutes). Every loop here is bounded by a duration or a count and stops by itself.
 */
import { type ChildProcess, fork } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";

const SERVER = fileURLToPath(new URL("./server.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../../../", import.meta.url));

export interface Heap {
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly recoveryPackets: number;
  readonly recoveryBytes: number;
  readonly connections: number;
  readonly errors: string[];
}

export interface AttackServer {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Refusal lines the server logged. */
  readonly logs: string[];
  heap(): Promise<Heap>;
  broadcast(n: number, bytes: number): Promise<void>;
  alive(): boolean;
  stop(): Promise<void>;
}

/** Starts lib/server.ts on the built packages (see there); `options` go to the generated server. */
export async function startServer(
  options: { serverOptions?: Record<string, unknown>; env?: Record<string, string> } = {},
): Promise<AttackServer> {
  const child = fork(SERVER, [], {
    cwd: REPO,
    // Plain node + tsx: packages resolve to their dist/ (no iocontract-source condition). --expose-gc for heap().
    execArgv: [
      "--expose-gc",
      "--import",
      "tsx",
      ...(process.env["ATTACK_CPU_PROF"] ? ["--cpu-prof", `--cpu-prof-dir=${process.env["ATTACK_CPU_PROF"]}`] : []),
    ],
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      ATTACK_OPTIONS: JSON.stringify(options.serverOptions ?? {}, (_k, v: unknown) =>
        v === Infinity ? "Infinity" : v,
      ),
      ...options.env,
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const logs: string[] = [];
  let nextId = 1;
  const waiting = new Map<number, (value: never) => void>();
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("attack server: not ready within 30 s")), 30_000);
    child.on("message", (message: { type?: string; port?: number; line?: string; id?: number }) => {
      if (message.type === "ready") {
        clearTimeout(timer);
        resolve(message.port!);
      } else if (message.type === "log") {
        logs.push(message.line!);
      } else if (message.id !== undefined) {
        waiting.get(message.id)?.(message as never);
        waiting.delete(message.id);
      }
    });
    child.once("exit", (code) => reject(new Error(`attack server exited (${code}) before it was ready`)));
  });
  const call = <T>(message: object): Promise<T> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error("attack server is gone"));
      const id = nextId++;
      waiting.set(id, resolve as (value: never) => void);
      child.send({ id, ...message });
    });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    logs,
    heap: () => call<Heap>({ op: "heap" }),
    broadcast: (n, bytes) => call({ op: "broadcast", n, bytes }),
    alive: () => !exited && child.exitCode === null,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

/** A Socket.IO connection over a plain websocket; `events` records what the server sent, `closed` resolves on close. */
export class Raw {
  readonly ws: WebSocket;
  readonly events: unknown[][] = [];
  readonly acks = new Map<number, unknown>();
  readonly connectErrors: unknown[] = [];
  sid: string | undefined;
  isOpen = false;
  isClosed = false;
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;
  private connected!: () => void;
  readonly ready: Promise<void>;
  private ackWaiters = new Map<number, (value: unknown) => void>();

  constructor(url: string, options: { headers?: Record<string, string>; auth?: unknown; nsp?: string } = {}) {
    this.ws = new WebSocket(`${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: false,
      headers: options.headers ?? {},
    });
    this.ready = new Promise<void>((resolve) => (this.connected = resolve));
    this.opened = new Promise<void>((resolve, reject) => {
      this.ws.once("open", () => {
        this.isOpen = true;
        resolve();
      });
      this.ws.once("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () =>
          reject(Object.assign(new Error(`refused ${res.statusCode}: ${body}`), { status: res.statusCode, body })),
        );
      });
      this.ws.once("error", reject);
    });
    this.opened.catch(() => {});
    this.closed = new Promise<void>((resolve) => this.ws.once("close", () => resolve()));
    this.ws.on("error", () => {});
    this.ws.on("close", () => (this.isClosed = true));
    this.ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      if (text === "2") return this.ws.send("3");
      if (text.startsWith("0")) {
        const nsp = options.nsp === undefined || options.nsp === "/" ? "" : `${options.nsp},`;
        this.ws.send(`40${nsp}${options.auth === undefined ? "" : JSON.stringify(options.auth)}`);
        return;
      }
      if (!text.startsWith("4")) return;
      const body = text.slice(1);
      const m = /^(\d)(?:\/[^,]*,)?(\d*)(.*)$/s.exec(body);
      if (m === null) return;
      const [, type, id, json] = m;
      if (type === "0") {
        this.sid = (JSON.parse(json!) as { sid: string }).sid;
        this.connected();
      } else if (type === "4") {
        this.connectErrors.push(JSON.parse(json!));
        this.connected();
      } else if (type === "2") {
        this.events.push(JSON.parse(json!) as unknown[]);
      } else if (type === "3") {
        const value = (JSON.parse(json!) as unknown[])[0];
        this.acks.set(Number(id), value);
        this.ackWaiters.get(Number(id))?.(value);
        this.ackWaiters.delete(Number(id));
      }
    });
  }

  /** Sends a Socket.IO packet (the text after the Engine.IO "4"). */
  send(packet: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(`4${packet}`);
  }

  sendBinary(data: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data, { binary: true });
  }

  /** Emits with an ack id and resolves with the answer (undefined if the connection closes or after `ms`). */
  ask(id: number, event: string, args: unknown[], ms = 5000): Promise<unknown> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), ms);
      this.ackWaiters.set(id, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
      void this.closed.then(() => {
        clearTimeout(timer);
        resolve(undefined);
      });
      this.send(`2${id}${JSON.stringify([event, ...args])}`);
    });
  }

  /** The reserved error events received. */
  errorEvents(): Array<{ event: string; code: string; message: string; details?: unknown }> {
    return this.events.filter((e) => e[0] === "iocontract:error").map((e) => e[1] as never);
  }

  close(): void {
    this.ws.terminate();
  }
}

export interface FloodStats {
  /** Connections opened (each attacker reconnects when the server closes it). */
  connections: number;
  sent: number;
  sentBytes: number;
  /** Connections closed by the server after a TOO_MANY_INVALID_EVENTS notice. */
  notices: number;
  /** Largest error answer received, in bytes (JSON). */
  largestAnswer: number;
  /** Attackers cut at least once. */
  attackersCut: number;
}

/**
 * `attackers` connections send unknown events (names of `nameLength` characters, each one new) and invalid
 * payloads as fast as the socket takes them, for `durationMs`; each reconnects when the server closes it.
 */
export async function floodInvalid(
  url: string,
  attackers: number,
  durationMs: number,
  nameLength: number | ((who: number) => number) = 100_000,
  /** Go on past `durationMs` (up to this) until every attacker has been cut at least once: a slow machine still proves it. */
  untilEachCutMs = 0,
): Promise<FloodStats> {
  const stats: FloodStats = { connections: 0, sent: 0, sentBytes: 0, notices: 0, largestAnswer: 0, attackersCut: 0 };
  const start = Date.now();
  const cut = new Array<boolean>(attackers).fill(false);
  const end = start + durationMs;
  const over = () => {
    const now = Date.now();
    if (now < end) return false;
    if (now < start + untilEachCutMs && cut.includes(false)) return false;
    return true;
  };
  const one = async (who: number) => {
    const filler = "n".repeat(typeof nameLength === "number" ? nameLength : nameLength(who));
    while (!over()) {
      const raw = new Raw(url, { auth: { name: `attacker-${who}-${stats.connections}` } });
      stats.connections++;
      try {
        await raw.opened;
        await Promise.race([raw.ready, raw.closed]);
      } catch {
        await sleep(50);
        continue;
      }
      let i = 0;
      while (!raw.isClosed && !over()) {
        // Keep the socket's own buffer small: the flood is as fast as the server reads, not faster than memory.
        if (raw.ws.bufferedAmount > 4 * 1024 * 1024) {
          await sleep(1);
          continue;
        }
        const frame =
          i % 2 === 0
            ? `2${JSON.stringify([`${filler}${who}.${i}`, 1])}`
            : `2${JSON.stringify(["my message", { data: "" }])}`;
        raw.send(frame);
        stats.sent++;
        stats.sentBytes += frame.length;
        i++;
        if (i % 64 === 0) await new Promise((r) => setImmediate(r));
      }
      for (const e of raw.events) stats.largestAnswer = Math.max(stats.largestAnswer, JSON.stringify(e).length);
      if (raw.errorEvents().some((e) => e.code === "TOO_MANY_INVALID_EVENTS")) {
        stats.notices++;
        if (!cut[who]) stats.attackersCut++;
        cut[who] = true;
      }
      raw.close();
      await raw.closed;
    }
  };
  await Promise.all(Array.from({ length: attackers }, (_, who) => one(who)));
  return stats;
}

export interface BystanderStats {
  answered: number;
  failed: number;
  slowestMs: number;
}

/** A well-behaved client asking `my rooms` every `everyMs` until `stop()`: counts answers, failures, the slowest. */
export function bystander(url: string, everyMs = 100): { stats: BystanderStats; stop(): Promise<BystanderStats> } {
  const stats: BystanderStats = { answered: 0, failed: 0, slowestMs: 0 };
  let running = true;
  const loop = (async () => {
    const raw = new Raw(url, { auth: { name: "bystander" } });
    await raw.opened;
    await raw.ready;
    let id = 1;
    while (running && !raw.isClosed) {
      const t0 = performance.now();
      const answer = (await raw.ask(id++, "my rooms", [], 10_000)) as { ok?: boolean } | undefined;
      const ms = performance.now() - t0;
      if (answer?.ok === true) stats.answered++;
      else stats.failed++;
      stats.slowestMs = Math.max(stats.slowestMs, ms);
      await sleep(everyMs);
    }
    if (raw.isClosed && running) stats.failed++;
    raw.close();
  })();
  return {
    stats,
    stop: async () => {
      running = false;
      await loop;
      return stats;
    },
  };
}

/** {@link bystander} in a child process of its own: the attackers' busy event loop does not delay it. */
export async function bystanderProcess(url: string): Promise<{ stop(): Promise<BystanderStats> }> {
  const child = fork(fileURLToPath(new URL("./bystander-child.ts", import.meta.url)), [url], {
    cwd: REPO,
    execArgv: ["--import", "tsx"],
    env: { ...process.env, NODE_OPTIONS: "" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`bystander exited (${code})`)));
  });
  return {
    stop: () =>
      new Promise<BystanderStats>((resolve, reject) => {
        child.once("message", (stats: BystanderStats) => resolve(stats));
        child.once("exit", (code) => reject(new Error(`bystander exited (${code}) without its stats`)));
        child.send("stop");
      }),
  };
}

/**
 * One event with `count` binary attachments of `size` bytes each, of which only the first `send` are sent
 * (`send < count`: they park in the server's decoder). Resolves with the connection once they are written.
 */
export async function binaryEvent(
  url: string,
  count: number,
  size: number,
  send = count,
  event = "my custom event",
): Promise<Raw> {
  const raw = new Raw(url, { auth: { name: `binary-${Math.random().toString(36).slice(2, 10)}` } });
  await raw.opened;
  await raw.ready;
  const placeholders = Array.from({ length: count }, (_, num) => ({ _placeholder: true, num }));
  raw.send(`5${count}-${JSON.stringify([event, { data: placeholders }])}`);
  const chunk = Buffer.alloc(size, 7);
  for (let i = 0; i < send; i++) raw.sendBinary(chunk);
  while (raw.ws.bufferedAmount > 0 && !raw.isClosed) await sleep(5);
  return raw;
}

/** One raw HTTP request line (and headers) on a fresh TCP connection; resolves with the status code, or undefined. */
export function rawHttp(
  port: number,
  request: string,
  timeoutMs = 5000,
): Promise<{ status: number | undefined; text: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let text = "";
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status === undefined ? undefined : Number(status), text });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on("data", (chunk) => {
      text += chunk.toString();
      // Done once the headers and the body they announce are in (or at close, or the timeout).
      const end = text.indexOf("\r\n\r\n");
      const length = /\r\ncontent-length: *(\d+)/i.exec(text)?.[1];
      if (end >= 0 && (length === undefined || Buffer.byteLength(text.slice(end + 4)) >= Number(length))) done();
    });
    socket.on("error", done);
    socket.on("close", done);
    socket.write(request);
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const MB = 1024 * 1024;

const DEMO = fileURLToPath(new URL("../../../examples/chat/dist/server/main.js", import.meta.url));

/** The demo exactly as `npm start` serves it (examples/chat/dist/server/main.js), on a free port. */
export async function startDemo(
  env: Record<string, string> = {},
): Promise<{ url: string; port: number; output: string[]; alive(): boolean; stop(): Promise<void> }> {
  const { spawn } = await import("node:child_process");
  const { ADMIN_TOKEN: _unset, ...base } = process.env;
  const child = spawn(process.execPath, [DEMO], {
    cwd: REPO,
    env: { ...base, NODE_OPTIONS: "", PORT: "0", HOST: "127.0.0.1", REDIS_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  let exited = false;
  child.on("exit", () => (exited = true));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo not listening within 20 s: ${output.join("")}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const m = /chat: http:\/\/127\.0\.0\.1:(\d+)/.exec(output.join(""));
      if (m !== null) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.once("exit", (code) => reject(new Error(`demo exited (${code}): ${output.join("")}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    output,
    alive: () => !exited && child.exitCode === null,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

/** Engine.IO long-polling by hand: a handshake, then POSTs and GETs of `\x1e`-joined packets. */
export async function pollingSession(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ sid: string; post(packets: string[]): Promise<number>; get(): Promise<string[]> }> {
  const base = `${url}/socket.io/?EIO=4&transport=polling`;
  const res = await fetch(base, { headers });
  const text = await res.text();
  if (res.status !== 200)
    throw Object.assign(new Error(`refused ${res.status}: ${text}`), { status: res.status, body: text });
  const sid = (JSON.parse(text.slice(1)) as { sid: string }).sid;
  return {
    sid,
    post: async (packets) =>
      (await fetch(`${base}&sid=${sid}`, { method: "POST", body: packets.join("\x1e"), headers })).status,
    get: async () => (await (await fetch(`${base}&sid=${sid}`, { headers })).text()).split("\x1e"),
  };
}

/**
 * Per-message cost, paired: one server process (messages-server.ts) holds every mode on one socket.io Server;
 * this process keeps 10 connections, each multiplexing a socket per mode, and switches mode every window of N
 * messages, rotating the order each round. Server CPU per message is process.cpuUsage() in the server over the
 * window. A/A: /raw against /raw2 (the same handler under another namespace) shows the method's own bias.
 *
 * Fire-and-forget: every mode is sent with the same socket.io-client call (`socket.emit("msg", payload)`), so
 * the client's work is the same and only the server's path differs. Acks: raw socket.io answers
 * `{ delivered: 1 }` from a plain handler; iocontract goes through the generated-client runtime (client-side
 * validation, timeout, envelope) to the runtime's server path and back.
 */
import type { Socket, Manager } from "socket.io-client";
import WebSocket from "ws";
import { createClient, type RuntimeClient } from "@iocontract/runtime/v1/client";
import { PAYLOAD, benchSpec } from "./contract";
import {
  type Row,
  type Section,
  QUICK,
  connected,
  forkTs,
  immediate,
  ipcCall,
  isMain,
  median,
  percentile,
  printSection,
  rotate,
  stopServer,
  withTimeout,
} from "./lib";

const CONNECTIONS = 10;
const REPETITIONS = QUICK ? 2 : 11;
const ROUNDS = QUICK ? 1 : 8;
const FF_WINDOW = QUICK ? 1000 : 5000;
const ACK1_WINDOW = QUICK ? 100 : 400;
const ACK50_WINDOW = QUICK ? 500 : 3000;

type FfMode = "raw" | "raw2" | "ioc" | "nv" | "ws";
/** `ioc`: the client runtime's defaults (retries with an idempotency key); `ioc0`: `retries: 0`, at most once like raw socket.io. */
type AckMode = "raw" | "raw2" | "bare" | "ioc" | "ioc0";

interface Conn {
  readonly client: RuntimeClient;
  readonly sockets: Record<"raw" | "raw2" | "ioc" | "nv", Socket>;
  readonly ws: WebSocket;
}

async function connect(port: number, wsPort: number): Promise<Conn> {
  const url = `http://127.0.0.1:${port}`;
  const client = createClient(benchSpec, "/", url, { socket: { forceNew: true, transports: ["websocket"] } });
  const manager = client.socket.io as Manager;
  const sockets = {
    raw: manager.socket("/raw"),
    raw2: manager.socket("/raw2"),
    ioc: client.socket,
    nv: manager.socket("/nv"),
  };
  for (const s of Object.values(sockets)) if (!s.connected) s.connect();
  await withTimeout(Promise.all(Object.values(sockets).map(connected)), 60_000, "connecting");
  const ws = new WebSocket(`ws://127.0.0.1:${wsPort}`);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return { client, sockets, ws };
}

type Child = ReturnType<typeof forkTs>;

async function ffWindow(server: Child, conns: readonly Conn[], mode: FfMode): Promise<number> {
  await ipcCall(server, { cmd: "arm", n: FF_WINDOW });
  const per = FF_WINDOW / conns.length;
  const chunk = 50;
  const frame = mode === "ws" ? JSON.stringify(["msg", PAYLOAD]) : "";
  for (let sent = 0; sent < per; sent += chunk) {
    const k = Math.min(chunk, per - sent);
    for (const c of conns) {
      if (mode === "ws") {
        // Stringified per message, as socket.io's encoder does.
        for (let i = 0; i < k; i++) c.ws.send(JSON.stringify(JSON.parse(frame)));
      } else {
        const s = c.sockets[mode];
        for (let i = 0; i < k; i++) s.emit("msg", PAYLOAD);
      }
    }
    await immediate();
  }
  const r = await ipcCall<{ cpuUs: number }>(server, { cmd: "collect" });
  return r.cpuUs / FF_WINDOW;
}

function request(conn: Conn, mode: AckMode): Promise<unknown> {
  if (mode === "ioc") return (conn.client.emit as Record<string, (p: unknown) => Promise<unknown>>)["req"]!(PAYLOAD);
  if (mode === "ioc0")
    return (conn.client.emit as Record<string, (p: unknown, o: object) => Promise<unknown>>)["req"]!(PAYLOAD, {
      retries: 0,
    });
  // No timeout at all: what a hand-written app gets when it forgets one (an ack that never comes hangs forever).
  if (mode === "bare") return new Promise((resolve) => conn.sockets.raw.emit("req", PAYLOAD, resolve));
  // socket.io's documented way to await an ack, with a timeout as iocontract's has (10 s, the contract's default).
  return conn.sockets[mode].timeout(10_000).emitWithAck("req", PAYLOAD);
}

/** Runs `total` requests with `inFlight` outstanding at a time; returns p50 latency (µs) and server CPU per ack (µs). */
async function ackWindow(
  server: Child,
  conns: readonly Conn[],
  mode: AckMode,
  inFlight: number,
  total: number,
): Promise<{ p50: number; cpu: number }> {
  await ipcCall(server, { cmd: "arm", n: total });
  const latencies: number[] = [];
  let started = 0;
  const worker = async (conn: Conn) => {
    while (started < total) {
      started++;
      const t = process.hrtime.bigint();
      await request(conn, mode);
      latencies.push(Number(process.hrtime.bigint() - t) / 1000);
    }
  };
  await withTimeout(
    Promise.all(Array.from({ length: inFlight }, (_, i) => worker(conns[i % conns.length]!))),
    120_000,
    `${mode} ack window`,
  );
  const r = await ipcCall<{ cpuUs: number }>(server, { cmd: "collect" });
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), cpu: r.cpuUs / total };
}

/**
 * Per repetition: the median over its rounds of the paired ratio (a mode's window against the baseline's window
 * of the same round), so that one disturbed window moves one pair, not the repetition.
 */
function ratios<M extends string>(reps: Array<Record<M, number[]>>, mode: M, base: M): number[] {
  return reps.map((rep) => median(rep[mode].map((v, round) => v / rep[base][round]!)));
}

export async function run(): Promise<Section[]> {
  const server = forkTs(new URL("./messages-server.ts", import.meta.url));
  try {
    const { port, wsPort, socketioOptions } = await ipcCall<{ port: number; wsPort: number; socketioOptions: string }>(
      server,
      { cmd: "ports" },
    );
    const conns: Conn[] = [];
    for (let i = 0; i < CONNECTIONS; i++) conns.push(await connect(port, wsPort));

    // Warm-up: every path once (JIT, socket buffers), not recorded.
    for (const mode of ["raw", "raw2", "ioc", "nv", "ws"] as const) await ffWindow(server, conns, mode);
    for (const mode of ["raw", "raw2", "bare", "ioc", "ioc0"] as const)
      await ackWindow(server, conns, mode, 50, ACK50_WINDOW);

    const ffModes = ["raw", "raw2", "ioc", "nv"] as const;
    const floorModes = ["raw", "ws"] as const;
    const ackModes = ["raw", "raw2", "bare", "ioc", "ioc0"] as const;
    const ff: Array<Record<FfMode, number[]>> = [];
    const floor: Array<Record<FfMode, number[]>> = [];
    const ack1: Array<Record<AckMode, number[]>> = [];
    const ack50: Array<Record<AckMode, number[]>> = [];
    const ackCpu: Array<Record<AckMode, number[]>> = [];
    for (let rep = 0; rep < REPETITIONS; rep++) {
      const f: Record<FfMode, number[]> = { raw: [], raw2: [], ioc: [], nv: [], ws: [] };
      const fl: Record<FfMode, number[]> = { raw: [], raw2: [], ioc: [], nv: [], ws: [] };
      const a1: Record<AckMode, number[]> = { raw: [], raw2: [], bare: [], ioc: [], ioc0: [] };
      const a50: Record<AckMode, number[]> = { raw: [], raw2: [], bare: [], ioc: [], ioc0: [] };
      const ac: Record<AckMode, number[]> = { raw: [], raw2: [], bare: [], ioc: [], ioc0: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const mode of rotate(ffModes, round + rep)) f[mode].push(await ffWindow(server, conns, mode));
        for (const mode of rotate(floorModes, round + rep)) fl[mode].push(await ffWindow(server, conns, mode));
        for (const mode of rotate(ackModes, round + rep))
          a1[mode].push((await ackWindow(server, conns, mode, 1, ACK1_WINDOW)).p50);
        for (const mode of rotate(ackModes, round + rep)) {
          const r = await ackWindow(server, conns, mode, 50, ACK50_WINDOW);
          a50[mode].push(r.p50);
          ac[mode].push(r.cpu);
        }
      }
      ff.push(f);
      floor.push(fl);
      ack1.push(a1);
      ack50.push(a50);
      ackCpu.push(ac);
      process.stderr.write(`messages: repetition ${rep + 1}/${REPETITIONS} done\n`);
    }
    await ipcCall(server, { cmd: "stop" });

    const perMsg = (reps: Array<Record<FfMode, number[]>>, mode: FfMode) => reps.map((r) => median(r[mode]));
    const rows: Row[] = [
      {
        name: "fire-and-forget: iocontract validated / raw socket.io (server CPU per message)",
        unit: "×",
        samples: ratios(ff, "ioc", "raw"),
        target: { max: 1.03, text: "≤ 1.03×" },
        digits: 3,
      },
      {
        name: "fire-and-forget: iocontract validation off / raw socket.io",
        unit: "×",
        samples: ratios(ff, "nv", "raw"),
        digits: 3,
      },
      {
        name: "fire-and-forget: A/A control, raw socket.io / raw socket.io",
        unit: "×",
        samples: ratios(ff, "raw2", "raw"),
        target: { min: 0.97, max: 1.03, text: "≈ 1.00 (method bias)" },
        digits: 3,
      },
      {
        name: "fire-and-forget: raw socket.io / raw ws (the floor; own pairing)",
        unit: "×",
        samples: ratios(floor, "raw", "ws"),
        digits: 2,
      },
      {
        name: "ack p50, 1 in flight: iocontract at most once (retries: 0) / raw socket.io",
        unit: "×",
        samples: ratios(ack1, "ioc0", "raw"),
        target: { max: 1.05, text: "≤ 1.05×" },
        digits: 3,
      },
      {
        name: "ack p50, 1 in flight: iocontract defaults (retries, idempotency key) / raw socket.io",
        unit: "×",
        samples: ratios(ack1, "ioc", "raw"),
        target: { max: 1.05, text: "≤ 1.05×" },
        digits: 3,
      },
      { name: "ack p50, 1 in flight: A/A control", unit: "×", samples: ratios(ack1, "raw2", "raw"), digits: 3 },
      {
        name: "ack p50, 1 in flight: iocontract / raw socket.io without a timeout",
        unit: "×",
        samples: ratios(ack1, "ioc", "bare"),
        digits: 3,
      },
      {
        name: "ack p50, 50 in flight: iocontract at most once (retries: 0) / raw socket.io",
        unit: "×",
        samples: ratios(ack50, "ioc0", "raw"),
        target: { max: 1.05, text: "≤ 1.05×" },
        digits: 3,
      },
      {
        name: "ack p50, 50 in flight: iocontract defaults (retries, idempotency key) / raw socket.io",
        unit: "×",
        samples: ratios(ack50, "ioc", "raw"),
        target: { max: 1.05, text: "≤ 1.05×" },
        digits: 3,
      },
      { name: "ack p50, 50 in flight: A/A control", unit: "×", samples: ratios(ack50, "raw2", "raw"), digits: 3 },
      {
        name: "ack p50, 50 in flight: iocontract / raw socket.io without a timeout",
        unit: "×",
        samples: ratios(ack50, "ioc", "bare"),
        digits: 3,
      },
      {
        name: "acks, 50 in flight: server CPU per request, iocontract defaults / raw",
        unit: "×",
        samples: ratios(ackCpu, "ioc", "raw"),
        digits: 3,
      },
      {
        name: "acks, 50 in flight: server CPU per request, iocontract retries: 0 / raw",
        unit: "×",
        samples: ratios(ackCpu, "ioc0", "raw"),
        digits: 3,
      },
      { name: "absolute: raw socket.io server CPU per message", unit: "µs", samples: perMsg(ff, "raw"), digits: 2 },
      {
        name: "absolute: iocontract validated, server CPU per message",
        unit: "µs",
        samples: perMsg(ff, "ioc"),
        digits: 2,
      },
      { name: "absolute: raw ws server CPU per message", unit: "µs", samples: perMsg(floor, "ws"), digits: 2 },
      {
        name: "absolute: ack p50, 1 in flight, raw socket.io",
        unit: "µs",
        samples: ack1.map((r) => median(r.raw)),
        digits: 0,
      },
      {
        name: "absolute: ack p50, 1 in flight, iocontract",
        unit: "µs",
        samples: ack1.map((r) => median(r.ioc)),
        digits: 0,
      },
      {
        name: "absolute: ack p50, 50 in flight, raw socket.io",
        unit: "µs",
        samples: ack50.map((r) => median(r.raw)),
        digits: 0,
      },
      {
        name: "absolute: ack p50, 50 in flight, iocontract",
        unit: "µs",
        samples: ack50.map((r) => median(r.ioc)),
        digits: 0,
      },
    ];
    return [
      {
        title: "Per-message cost (paired, one server process)",
        method:
          `One server process holds every mode on one socket.io Server (namespaces \`/raw\`, \`/raw2\` with ` +
          `plain handlers; \`/\` the iocontract runtime with its defaults; \`/nv\` the runtime with ` +
          `\`validateIncoming\` off) and a plain \`ws\` server. The client process keeps ${CONNECTIONS} ` +
          `websocket connections, each multiplexing one socket per mode, and switches mode every window ` +
          `(fire-and-forget: ${FF_WINDOW} messages; acks: ${ACK1_WINDOW} requests with 1 in flight, ` +
          `${ACK50_WINDOW} with 50), rotating the order every round; ${ROUNDS} rounds per repetition, ` +
          `${REPETITIONS} repetitions. Server CPU = process.cpuUsage() (user+system) inside the server over ` +
          `the window; a repetition's ratio is the median over its rounds of the paired ratio (a mode's window ` +
          `against the baseline's window of the same round). Payload \`${JSON.stringify(PAYLOAD)}\`, schema ` +
          `\`z.object({ data: z.string().min(1).max(2000) })\`. Fire-and-forget is sent with the same ` +
          `socket.io-client call in every mode; acks use the iocontract client runtime for iocontract, and for ` +
          `raw socket.io its documented \`socket.timeout(10000).emitWithAck(...)\` (a timeout, as iocontract's ` +
          `calls have; the "without a timeout" rows use a bare \`emit(..., callback)\`); the raw handler ` +
          `answers \`{ delivered: 1 }\`, iocontract \`{ ok: true, data: { delivered: 1 } }\`). socket.io ` +
          `options (the runtime's defaults, shared by the raw namespaces): ` +
          `${socketioOptions === "" ? "none (socket.io's defaults)" : socketioOptions}.`,
        rows,
        notes: [
          "What the ack ratios pay for, beyond raw socket.io (see the profiles with `PROFILE_SERVER=1 " +
            "PROFILE_MODE=ioc0 PROFILE_CONNECTIONS=10 PROFILE_INFLIGHT=50 node --cpu-prof --import tsx " +
            "bench/src/profile-ack.ts` after `npm run build`, and quick paired runs with " +
            "`bench/src/ack-pair.ts`): the ack envelope `{ ok: true, data }`, which socket.io encodes on the " +
            "server and socket.io-client decodes on the client (a bigger JSON than the bare answer, on every " +
            "ack); validation of the payload and of the answer on both sides; the runtime's dispatch through " +
            "`onAny`. With the defaults, each call also carries its idempotency key (built and encoded by the " +
            "client, parsed by the server) and the server keeps each answer for retries (2 minutes, up to 50 000 " +
            "keys): `BENCH_DEDUPE_MAX=200` (a store that forgets at once) shows what keeping them costs the " +
            "server.",
        ],
      },
    ];
  } finally {
    await stopServer(server);
  }
}

if (isMain(import.meta.url)) {
  const sections = await run();
  for (const s of sections) printSection(s);
  process.exit(0);
}

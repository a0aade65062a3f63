/**
 * Memory per idle connection at 1,000 connections: heap used (after forced GC) with 1,000 clients connected
 * and upgraded, minus before, divided by 1,000. One server process per mode and repetition (heap is
 * process-wide), modes alternating in rotated order. Clients use socket.io-client's defaults (HTTP long-polling,
 * then the upgrade to websocket), as a raw socket.io deployment does by default.
 */
import { Manager } from "socket.io-client";
import {
  type Row,
  type Section,
  QUICK,
  connected,
  forkTs,
  ipcCall,
  isMain,
  median,
  printSection,
  rotate,
  stopServer,
  withTimeout,
} from "./lib";

const CONNECTIONS = QUICK ? 200 : 1000;
const REPETITIONS = QUICK ? 2 : 5;
const IDLE_MS = Number(process.env["BENCH_IDLE_MS"] ?? 6000);
type Mode = "raw" | "raw-tip" | "raw-slim" | "ioc";

async function measure(mode: Mode): Promise<number> {
  const server = forkTs(new URL("./memory-server.ts", import.meta.url), [mode], ["--expose-gc"]);
  const managers: Manager[] = [];
  try {
    const { port } = await ipcCall<{ port: number }>(server, { cmd: "port" });
    // One connection first, so that code run once per process (JIT, lazy modules) is not counted per connection.
    const warm = new Manager(`http://127.0.0.1:${port}`, { reconnection: false });
    const ws = warm.socket("/");
    await withTimeout(connected(ws), 60_000, `${mode}: the warm-up connection`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    ws.disconnect();
    warm.engine?.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = (await ipcCall<{ heapUsed: number }>(server, { cmd: "heap" })).heapUsed;
    const BATCH = 50;
    for (let i = 0; i < CONNECTIONS; i += BATCH) {
      const batch: Promise<void>[] = [];
      for (let k = 0; k < BATCH && i + k < CONNECTIONS; k++) {
        const manager = new Manager(`http://127.0.0.1:${port}`, { reconnection: false });
        managers.push(manager);
        batch.push(connected(manager.socket("/")));
      }
      await withTimeout(Promise.all(batch), 60_000, `${mode}: connecting a batch of clients`);
    }
    // Bounded wait for every connection to finish its upgrade to websocket.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const s = await ipcCall<{ sockets: number; websocket: number }>(server, { cmd: "status" });
      if (s.sockets === CONNECTIONS && s.websocket === CONNECTIONS) break;
      if (Date.now() > deadline) throw new Error(`memory: ${mode}: ${s.websocket}/${CONNECTIONS} upgraded after 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Idle: past Node's HTTP keep-alive timeout (5 s), so the long-polling requests' sockets are closed.
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const after = (await ipcCall<{ heapUsed: number }>(server, { cmd: "heap" })).heapUsed;
    return (after - before) / CONNECTIONS / 1024;
  } finally {
    await stopServer(server, managers);
  }
}

export async function run(): Promise<Section[]> {
  // (memory-server.ts also has "raw-slim": raw socket.io keeping what the handshake reads, for attribution runs.)
  const modes = ["raw", "raw-tip", "ioc"] as const;
  const reps: Array<Record<Mode, number>> = [];
  for (let rep = 0; rep < REPETITIONS; rep++) {
    const r = {} as Record<Mode, number>;
    for (const mode of rotate(modes, rep)) r[mode] = await measure(mode);
    reps.push(r);
    process.stderr.write(`memory: repetition ${rep + 1}/${REPETITIONS} done\n`);
  }
  const rows: Row[] = [
    {
      name: "memory per idle connection: iocontract / raw socket.io defaults",
      unit: "×",
      samples: reps.map((r) => r.ioc / r.raw),
      target: { max: 0.8, text: "≤ 0.8×" },
      digits: 3,
    },
    {
      name: "memory per idle connection: raw socket.io + docs tip (request = null) / raw defaults",
      unit: "×",
      samples: reps.map((r) => r["raw-tip"] / r.raw),
      digits: 3,
    },
    { name: "absolute: raw socket.io defaults", unit: "KiB", samples: reps.map((r) => r.raw), digits: 1 },
    { name: "absolute: raw socket.io + docs tip", unit: "KiB", samples: reps.map((r) => r["raw-tip"]), digits: 1 },
    {
      name: "iocontract − raw + docs tip: what keeping the handshake (headers, query, url) and the runtime's per-connection state cost",
      unit: "KiB",
      samples: reps.map((r) => r.ioc - r["raw-tip"]),
      digits: 2,
    },
    { name: "absolute: iocontract (runtime defaults)", unit: "KiB", samples: reps.map((r) => r.ioc), digits: 1 },
  ];
  return [
    {
      title: `Memory per idle connection (${CONNECTIONS} connections)`,
      method:
        `Heap used after forced GC (\`--expose-gc\`, three \`gc()\` calls) with ${CONNECTIONS} idle clients ` +
        `connected and upgraded (then ${IDLE_MS / 1000} s idle: past Node's 5 s HTTP keep-alive timeout), ` +
        `minus before (after one warm-up connection), divided by ${CONNECTIONS}. One server process per mode ` +
        `and repetition; ${REPETITIONS} repetitions, modes in rotated order. Clients use socket.io-client's ` +
        `defaults (long-polling, then upgrade to websocket). raw: \`new Server(httpServer)\` with ` +
        `socket.io's defaults and a \`connection\` handler adding one listener; iocontract: the runtime's ` +
        `defaults, which keep only what \`ctx.handshake\` reads of each connection's first HTTP request ` +
        `(socket.io's documented memory tip, without losing headers, query or url; \`keepHttpRequest: true\` ` +
        `restores socket.io's behaviour).`,
      rows,
      notes: [
        `Per-mode medians: raw ${median(reps.map((r) => r.raw)).toFixed(1)} KiB, iocontract ${median(reps.map((r) => r.ioc)).toFixed(1)} KiB.`,
      ],
    },
  ];
}

if (isMain(import.meta.url)) {
  for (const s of await run()) printSection(s);
  process.exit(0);
}

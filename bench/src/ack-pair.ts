/**
 * A quick paired look at acks alone (a few seconds, not part of `npm run bench`): raw socket.io, raw2 (A/A),
 * iocontract with `retries: 0` (ioc0) and with its defaults (ioc), over one connection, switching mode every
 * window in rotated order; prints each mode's median ratio to raw (min–max over rounds) of p50 latency, client
 * CPU and server CPU per request. INFLIGHT (default 1), WINDOW, ROUNDS; BENCH_DEDUPE_MAX (messages-server.ts).
 * Build first (`npm run build`): it measures the runtime's dist/.
 */
import type { Manager } from "socket.io-client";
import { createClient } from "@iocontract/runtime/v1/client";
import { PAYLOAD, benchSpec } from "./contract";
import { connected, forkTs, ipcCall, median, percentile, rotate, waitExit } from "./lib";

const ROUNDS = Number(process.env["ROUNDS"] ?? 15);
const WINDOW = Number(process.env["WINDOW"] ?? 400);
const INFLIGHT = Number(process.env["INFLIGHT"] ?? 1);
const server = forkTs(new URL("./messages-server.ts", import.meta.url));
const { port } = await ipcCall<{ port: number }>(server, { cmd: "ports" });
const client = createClient(benchSpec, "/", `http://127.0.0.1:${port}`, {
  socket: { forceNew: true, transports: ["websocket"] },
});
const manager = client.socket.io as Manager;
const raw = manager.socket("/raw");
const raw2 = manager.socket("/raw2");
await client.ready();
for (const s of [raw, raw2]) await connected(s);
const emit = client.emit as Record<string, (p: unknown, o?: object) => Promise<unknown>>;
const modes = {
  raw: () => raw.timeout(10_000).emitWithAck("req", PAYLOAD),
  raw2: () => raw2.timeout(10_000).emitWithAck("req", PAYLOAD),
  ioc0: () => emit["req"]!(PAYLOAD, { retries: 0 }),
  ioc: () => emit["req"]!(PAYLOAD),
} as const;
type M = keyof typeof modes;
const res: Record<M, { p50: number[]; ccpu: number[]; scpu: number[] }> = {
  raw: { p50: [], ccpu: [], scpu: [] },
  raw2: { p50: [], ccpu: [], scpu: [] },
  ioc0: { p50: [], ccpu: [], scpu: [] },
  ioc: { p50: [], ccpu: [], scpu: [] },
};
async function window(m: M) {
  await ipcCall(server, { cmd: "arm", n: WINDOW });
  const lat: number[] = [];
  const c0 = process.cpuUsage();
  let started = 0;
  const worker = async () => {
    while (started < WINDOW) {
      started++;
      const t = process.hrtime.bigint();
      await modes[m]();
      lat.push(Number(process.hrtime.bigint() - t) / 1000);
    }
  };
  await Promise.all(Array.from({ length: INFLIGHT }, worker));
  const c = process.cpuUsage(c0);
  const s = await ipcCall<{ cpuUs: number }>(server, { cmd: "collect" });
  lat.sort((a, b) => a - b);
  return { p50: percentile(lat, 0.5), ccpu: (c.user + c.system) / WINDOW, scpu: s.cpuUs / WINDOW };
}
for (const m of Object.keys(modes) as M[]) await window(m);
for (let r = 0; r < ROUNDS; r++)
  for (const m of rotate(Object.keys(modes) as M[], r)) {
    const w = await window(m);
    res[m].p50.push(w.p50);
    res[m].ccpu.push(w.ccpu);
    res[m].scpu.push(w.scpu);
  }
const ratio = (m: M, k: "p50" | "ccpu" | "scpu") => {
  const rs = res[m][k].map((v, i) => v / res.raw[k][i]!);
  return `${median(rs).toFixed(3)} (${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)})`;
};
for (const m of ["raw2", "ioc0", "ioc"] as M[])
  console.log(`${m.padEnd(5)} p50 ${ratio(m, "p50")}  client CPU ${ratio(m, "ccpu")}  server CPU ${ratio(m, "scpu")}`);
console.log(
  `raw abs: p50 ${median(res.raw.p50).toFixed(0)} µs, client ${median(res.raw.ccpu).toFixed(1)} µs, server ${median(res.raw.scpu).toFixed(1)} µs`,
);
await ipcCall(server, { cmd: "stop" }).catch(() => undefined);
await waitExit(server);
process.exit(0);

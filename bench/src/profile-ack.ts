/**
 * Where the time of one acknowledged request goes: runs `PROFILE_MODE` (raw | ioc | ioc0, which is ioc with
 * `retries: 0`) requests one at a time for a few seconds, with the server in its own process. Build first
 * (`npm run build`: the runtime is measured from its dist/), then run with `node --cpu-prof` on this process, or set
 * PROFILE_SERVER=1 to profile the server process instead. Not part of `npm run bench`.
 */
import type { Manager } from "socket.io-client";
import { createClient } from "@iocontract/runtime/v1/client";
import { PAYLOAD, benchSpec } from "./contract";
import { connected, forkTs, ipcCall, waitExit } from "./lib";

const mode = process.env["PROFILE_MODE"] ?? "ioc";
const total = Number(process.env["PROFILE_N"] ?? 20_000);
/** Requests outstanding at a time (PROFILE_INFLIGHT, default 1). */
const inFlight = Number(process.env["PROFILE_INFLIGHT"] ?? 1);
const server = forkTs(
  new URL("./messages-server.ts", import.meta.url),
  [],
  process.env["PROFILE_SERVER"] === "1"
    ? [
        "--cpu-prof",
        "--cpu-prof-interval=50",
        `--cpu-prof-dir=/tmp/iocontract-prof/${process.env["PROFILE_MODE"] ?? "ioc"}`,
      ]
    : [],
);
const { port } = await ipcCall<{ port: number }>(server, { cmd: "ports" });
/** Connections the requests are spread over (PROFILE_CONNECTIONS, default 1). */
const connections = Number(process.env["PROFILE_CONNECTIONS"] ?? 1);
const ones: Array<() => Promise<unknown>> = [];
for (let c = 0; c < connections; c++) {
  const client = createClient(benchSpec, "/", `http://127.0.0.1:${port}`, {
    socket: { forceNew: true, transports: ["websocket"] },
  });
  await client.ready();
  // The manager is open already: its new socket sends CONNECT at once (calling connect() too would send a second one).
  const raw = (client.socket.io as Manager).socket("/raw");
  await connected(raw);
  const emit = client.emit as Record<string, (p: unknown, o?: object) => Promise<unknown>>;
  ones.push(
    mode === "ioc"
      ? () => emit["req"]!(PAYLOAD)
      : mode === "ioc0"
        ? () => emit["req"]!(PAYLOAD, { retries: 0 })
        : () => raw.timeout(10_000).emitWithAck("req", PAYLOAD),
  );
}
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
let started = 0;
const worker = async (one: () => Promise<unknown>) => {
  while (started++ < total) await one();
};
await Promise.all(Array.from({ length: inFlight }, (_, i) => worker(ones[i % ones.length]!)));
const cpu = process.cpuUsage(cpu0);
const perRequest = Number(process.hrtime.bigint() - t0) / 1000 / total;
const cpuPerRequest = (cpu.user + cpu.system) / total;
console.log(`${mode}: ${perRequest.toFixed(1)} µs per request, client CPU ${cpuPerRequest.toFixed(1)} µs`);
await ipcCall(server, { cmd: "stop" }).catch(() => undefined);
await waitExit(server);
process.exit(0);

/**
 * Where the time of one acknowledged request goes: runs `PROFILE_MODE` (raw | ioc) requests one at a time for a
 * few seconds, with the server in its own process. Run with `node --cpu-prof` (see docs/benchmarks.md) on this
 * process, or set PROFILE_SERVER=1 to profile the server process instead. Not part of `npm run bench`.
 */
import { Manager } from "socket.io-client";
import { createClient } from "@iocontract/runtime/v1/client";
import { PAYLOAD, benchSpec } from "./contract";
import { forkTs, ipcCall, waitExit } from "./lib";

const mode = process.env["PROFILE_MODE"] ?? "ioc";
const total = Number(process.env["PROFILE_N"] ?? 20_000);
const server = forkTs(new URL("./messages-server.ts", import.meta.url), [], process.env["PROFILE_SERVER"] === "1" ? ["--cpu-prof", "--cpu-prof-dir=/tmp/iocontract-prof"] : []);
const { port } = await ipcCall<{ port: number }>(server, { cmd: "ports" });
const client = createClient(benchSpec, "/", `http://127.0.0.1:${port}`, { socket: { forceNew: true, transports: ["websocket"] } });
await client.ready();
const raw = (client.socket.io as Manager).socket("/raw").connect();
await new Promise<void>((resolve) => raw.once("connect", () => resolve()));
const emit = client.emit as Record<string, (p: unknown) => Promise<unknown>>;
const one = mode === "ioc" ? () => emit["req"]!(PAYLOAD) : () => raw.timeout(10_000).emitWithAck("req", PAYLOAD);
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
for (let i = 0; i < total; i++) await one();
const cpu = process.cpuUsage(cpu0);
console.log(`${mode}: ${(Number(process.hrtime.bigint() - t0) / 1000 / total).toFixed(1)} µs per request, client CPU ${((cpu.user + cpu.system) / total).toFixed(1)} µs`);
await ipcCall(server, { cmd: "stop" }).catch(() => undefined);
await waitExit(server);
process.exit(0);

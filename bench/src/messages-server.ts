/**
 * The server process of the message and broadcast benchmarks (forked by messages.ts and broadcast.ts). One
 * socket.io Server holds every mode, so that they share connections, options and moment:
 *
 *   /raw, /raw2   plain socket.io handlers (raw2 is the A/A control: the same code under another name)
 *   /             the iocontract runtime, validation on (the runtime's defaults)
 *   /nv           the iocontract runtime, `validateIncoming` off for this namespace only
 *
 * plus a plain `ws` server (the floor) on its own port. Server CPU is read with process.cpuUsage() inside
 * this process, between `arm` and the moment the expected number of messages has arrived.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { createServer } from "@iocontract/runtime/v1/server";
import { PAYLOAD, benchSpec } from "./contract";
import { serveIpc } from "./lib";

let count = 0;
let expected = Number.POSITIVE_INFINITY;
let cpu0 = process.cpuUsage();
let t0 = process.hrtime.bigint();
let done: (() => void) | undefined;
let finished: Promise<{ cpuUs: number; wallMs: number }> = Promise.resolve({ cpuUs: 0, wallMs: 0 });

function hit(): void {
  if (++count === expected) done?.();
}

const handlers = {
  msg(): void {
    hit();
  },
  req(): { delivered: number } {
    hit();
    return { delivered: 1 };
  },
};

const httpServer = http.createServer();
const server = createServer(benchSpec, {
  httpServer,
  handlers: { "/": handlers, "/nv": handlers },
  validateIncoming: (namespace) => namespace !== "/nv",
  // BENCH_DEDUPE_MAX=200: an idempotency store too small to keep answers past the window, to show what keeping
  // them (2 minutes, up to 50 000 keys) costs the keyed ack path (bench/src/ack-pair.ts); unset in `npm run bench`.
  ...(process.env["BENCH_DEDUPE_MAX"] ? { idempotency: { maxEntries: Number(process.env["BENCH_DEDUPE_MAX"]) } } : {}),
  onError: (error) => console.error("bench server:", error),
});
for (const path of ["/raw", "/raw2"]) {
  server.io.of(path).on("connection", (socket) => {
    socket.on("msg", () => hit());
    socket.on("req", (_payload: unknown, ack: (answer: unknown) => void) => {
      hit();
      ack({ delivered: 1 });
    });
  });
}
await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
wss.on("connection", (ws) => {
  // The floor: a text frame, parsed as JSON, counted. No framing of events, no acks.
  ws.on("message", (data) => {
    JSON.parse(String(data));
    hit();
  });
});
await new Promise<void>((resolve) => wss.once("listening", resolve));

type Emitter = { emit: Record<string, (payload: unknown) => void> };
const broadcasts: Record<string, () => void> = {
  raw: () => void server.io.of("/raw").emit("tick", PAYLOAD),
  raw2: () => void server.io.of("/raw2").emit("tick", PAYLOAD),
  ioc: () => (server as unknown as Emitter).emit["tick"]!(PAYLOAD),
};

serveIpc(async (message) => {
  switch (message["cmd"]) {
    case "ports":
      return {
        port: (httpServer.address() as AddressInfo).port,
        wsPort: (wss.address() as AddressInfo).port,
        // What socket.io was given: the runtime's defaults (raw namespaces live on the same Server).
        socketioOptions: describeOptions(),
      };
    case "arm": {
      count = 0;
      expected = Number(message["n"] ?? Number.POSITIVE_INFINITY);
      finished = new Promise((resolve) => {
        done = () => {
          const cpu = process.cpuUsage(cpu0);
          resolve({ cpuUs: cpu.user + cpu.system, wallMs: Number(process.hrtime.bigint() - t0) / 1e6 });
        };
      });
      cpu0 = process.cpuUsage();
      t0 = process.hrtime.bigint();
      return {};
    }
    case "collect":
      return await finished;
    case "burst": {
      const send = broadcasts[String(message["mode"])]!;
      const n = Number(message["n"]);
      for (let i = 0; i < n; i++) {
        send();
        if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
      }
      return {};
    }
    case "cpu": {
      const cpu = process.cpuUsage(cpu0);
      return { cpuUs: cpu.user + cpu.system, wallMs: Number(process.hrtime.bigint() - t0) / 1e6 };
    }
    case "stop":
      wss.close();
      await server.close();
      setImmediate(() => process.exit(0));
      return {};
    default:
      throw new Error(`unknown command ${String(message["cmd"])}`);
  }
});

function describeOptions(): string {
  const opts = (server.io as unknown as { opts: Record<string, unknown> }).opts;
  const shown = ["connectionStateRecovery", "maxHttpBufferSize", "cors", "transports", "pingInterval"];
  return shown
    .filter((k) => opts[k] !== undefined)
    .map((k) => `${k}: ${JSON.stringify(opts[k])}`)
    .join(", ");
}

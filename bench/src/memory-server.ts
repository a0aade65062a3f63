/**
 * A server for the memory benchmark, one mode per process (forked by memory.ts with --expose-gc):
 *   raw      socket.io with its defaults, a `connection` handler registering one event listener;
 *   raw-tip  the same plus socket.io's documented tip (`rawSocket.request = null` on engine connection);
 *   raw-slim the same, but keeping what socket.handshake reads (the runtime's default: ../../packages/runtime/src/v1/memory.ts);
 *   ioc      the iocontract runtime with its defaults (the bench contract, one namespace's handlers).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { createServer } from "@iocontract/runtime/v1/server";
import { keepOnlyHandshakeRequest } from "../../packages/runtime/src/v1/memory";
import { benchSpec } from "./contract";
import { serveIpc } from "./lib";

const mode = process.argv[2] ?? "raw";
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("memory-server: run with --expose-gc");

const httpServer = http.createServer();
let io: Server;
if (mode === "ioc") {
  const handlers = { msg() {}, req: () => ({ delivered: 1 }) };
  io = createServer(benchSpec, {
    httpServer,
    handlers: { "/": handlers, "/nv": handlers },
    onError: (e) => console.error(e),
  }).io;
} else {
  io = new Server(httpServer);
  if (mode === "raw-slim") keepOnlyHandshakeRequest(io);
  if (mode === "raw-tip") {
    io.engine.on("connection", (rawSocket: { request: unknown }) => {
      rawSocket.request = null;
    });
  }
  io.on("connection", (socket) => {
    socket.on("msg", () => undefined);
  });
}
await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));

function heap(): number {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
}

serveIpc((message) => {
  switch (message["cmd"]) {
    case "port":
      return { port: (httpServer.address() as AddressInfo).port };
    case "heap":
      return { heapUsed: heap() };
    case "status": {
      let websocket = 0;
      for (const client of (io.engine as unknown as { clients: Record<string, { transport: { name: string } }> })
        .clients
        ? Object.values((io.engine as unknown as { clients: Record<string, { transport: { name: string } }> }).clients)
        : []) {
        if (client.transport.name === "websocket") websocket++;
      }
      return { sockets: io.of("/").sockets.size, websocket };
    }
    default:
      throw new Error(`unknown command ${String(message["cmd"])}`);
  }
});

/**
 * Incremental adoption (issue 10): `createChatServer({ io })` adds the contract's namespaces to a socket.io
 * `Server` the application already has, beside a hand-written namespace with its own middleware, and leaves the
 * rest of that Server alone (its options, its other namespaces; `close()` drains only the contract's). On the
 * chat golden case's generated code (a frozen copy of the example's contract), with handlers written here.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io as rawIo, type Socket as RawSocket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatHandlers, type ChatServer, createChatServer } from "../fixtures/chat/expected/server/index.gen";
import { type ChatClient, createChatClient } from "../fixtures/chat/expected/client/index.gen";

const handlers: ChatHandlers = {
  myCustomEvent(payload, ctx) {
    ctx.emit.myReply({ data: payload.data, from: "contract", at: 1 });
  },
  chat: () => undefined,
  exitChat: () => undefined,
  myMessage: () => ({ delivered: 0 }),
  myRooms: (ctx) => ({ rooms: ctx.rooms }),
};

let httpServer: http.Server;
let io: Server;
let server: ChatServer;
let url: string;
/** What the hand-written namespace's middleware saw. */
const legacyRequests: string[] = [];
const open: Array<{ disconnect(): unknown }> = [];

beforeAll(async () => {
  httpServer = http.createServer();
  // The application's own Server: its options, a namespace with middleware, an event of its own.
  io = new Server(httpServer, { maxHttpBufferSize: 5000, pingInterval: 12_345 });
  const legacy = io.of("/legacy");
  legacy.use((socket, next) => {
    // The whole first HTTP request: iocontract's own Server would keep only the handshake's part of it.
    legacyRequests.push(socket.request.method ?? "(no method)");
    next();
  });
  legacy.on("connection", (socket) => {
    socket.on("echo", (text: string, ack: (answer: string) => void) => ack(`legacy: ${text}`));
  });
  server = createChatServer({
    io,
    handlers: {
      "/": handlers,
      "/admin": { stats: () => ({ connected: 0, chatUsers: 0 }), announce: () => ({ recipients: 0 }) },
    },
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of open) s.disconnect();
  await new Promise<void>((resolve) => io.close(() => resolve()));
});

function legacyClient(): RawSocket {
  const socket = rawIo(`${url}/legacy`, { transports: ["websocket"], forceNew: true });
  open.push(socket);
  return socket;
}

function chatClient(): ChatClient {
  const client = createChatClient(url, { socket: { transports: ["websocket"], forceNew: true } });
  open.push(client);
  return client;
}

describe("createChatServer({ io }) on an existing socket.io Server", () => {
  it("serves the contract's namespaces on that Server: the typed round trip works", async () => {
    expect(server.io).toBe(io);
    expect(server.httpServer).toBe(httpServer);
    const client = chatClient();
    const reply = new Promise((resolve) => client.on.myReply(resolve));
    client.emit.myCustomEvent({ data: "hi" });
    expect(await reply).toEqual({ data: "hi", from: "contract", at: 1 });
    expect(await client.emit.myMessage({ data: "x" })).toEqual({ delivered: 0 });
  });

  it("the hand-written namespace, its middleware and the Server's options are left alone", async () => {
    const socket = legacyClient();
    expect(await socket.timeout(3000).emitWithAck("echo", "hello")).toBe("legacy: hello");
    expect(legacyRequests.at(-1)).toBe("GET");
    expect(io.engine.opts.maxHttpBufferSize).toBe(5000);
    expect(io.engine.opts.pingInterval).toBe(12_345);
    expect([...io._nsps.keys()].sort()).toEqual(["/", "/admin", "/legacy"]);
  });

  it("refuses the options that configure a Server, and listen()", async () => {
    const other = new Server();
    expect(() =>
      createChatServer({
        io: other,
        handlers: {
          "/": handlers,
          "/admin": { stats: () => ({ connected: 0, chatUsers: 0 }), announce: () => ({ recipients: 0 }) },
        },
        maxPayloadBytes: 4096,
      }),
    ).toThrow(/with `io` \(an existing socket\.io Server\), set maxPayloadBytes on that Server instead/);
    await expect(server.listen(0)).rejects.toThrow(/listen on its HTTP server instead/);
    // socket.io's recovery skips middlewares by default: a recovered connection would have no context.
    const recovering = new Server({ connectionStateRecovery: {} });
    expect(() =>
      createChatServer({
        io: recovering,
        handlers: {
          "/": handlers,
          "/admin": { stats: () => ({ connected: 0, chatUsers: 0 }), announce: () => ({ recipients: 0 }) },
        },
      }),
    ).toThrow(/set connectionStateRecovery\.skipMiddlewares to false on it/);
    const recoveringWithMiddlewares = new Server({ connectionStateRecovery: { skipMiddlewares: false } });
    expect(() =>
      createChatServer({
        io: recoveringWithMiddlewares,
        handlers: {
          "/": handlers,
          "/admin": { stats: () => ({ connected: 0, chatUsers: 0 }), announce: () => ({ recipients: 0 }) },
        },
      }),
    ).not.toThrow();
  });

  it("close() disconnects the contract's sockets only: the Server, its HTTP server and its other namespaces keep going", async () => {
    const socket = legacyClient();
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const client = chatClient();
    await client.ready();
    await server.close({ deadlineMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.connected).toBe(false);
    expect(socket.connected).toBe(true);
    expect(httpServer.listening).toBe(true);
    expect(await socket.timeout(3000).emitWithAck("echo", "still here")).toBe("legacy: still here");
    const late = legacyClient();
    expect(await late.timeout(3000).emitWithAck("echo", "new")).toBe("legacy: new");
  });
});

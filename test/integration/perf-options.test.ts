/**
 * The server options issue 5 added: `keepHttpRequest` (default: keep only what the handshake reads of each
 * connection's first HTTP request, socket.io's memory tip) and `validateIncoming`.
 */
import type { AddressInfo } from "node:net";
import { Manager, type Socket as ClientSocket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { defineContract } from "@iocontract/runtime/contract";
import { type RuntimeServer, type RuntimeSpec, createServer } from "@iocontract/runtime/v1/server";

const events = {
  clientToServer: { hello: { payload: z.object({ n: z.number().int() }), ack: z.object({ n: z.number() }) } },
};
const contract = defineContract({ name: "perf", version: "1.0.0", namespaces: { "/": events, "/late": events } });
const table = { clientToServer: { hello: "hello" }, serverToClient: {} };
const spec: RuntimeSpec = { contract, namespaces: { "/": table, "/late": table } };

interface Seen {
  headers: Record<string, unknown>;
  query: Record<string, unknown>;
  url: unknown;
  secure: unknown;
  request: unknown;
}

let server: RuntimeServer | undefined;
const managers: Manager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) m.engine?.close();
  await server?.close();
  server = undefined;
});

async function start(options: { keepHttpRequest?: boolean; validateIncoming?: boolean | ((ns: string) => boolean) }) {
  const seen: Record<string, Seen> = {};
  const received: unknown[] = [];
  const handlers = (ns: string) => ({
    connect(ctx: {
      handshake: { headers: Record<string, unknown>; query: Record<string, unknown>; url: unknown; secure: unknown };
    }) {
      // the socket.io socket is not in its namespace yet while `connect` runs: the context holds it
      seen[ns] = { ...ctx.handshake, request: (ctx as unknown as { socket: { request: unknown } }).socket.request };
    },
    hello(payload: { n: number }) {
      received.push(payload);
      return { n: payload.n };
    },
  });
  server = createServer(spec, {
    handlers: { "/": handlers("/"), "/late": handlers("/late") },
    onError: () => undefined,
    ...options,
  });
  const { port } = (await server.listen()) as AddressInfo;
  // Default transports: long-polling first, then the upgrade (the first request is a polling GET).
  const manager = new Manager(`http://127.0.0.1:${port}`, {
    query: { room: "kitchen" },
    extraHeaders: { "x-team": "blue" },
    reconnection: false,
  });
  managers.push(manager);
  const connect = (ns: string) =>
    new Promise<ClientSocket>((resolve, reject) => {
      // The manager connects its sockets itself (autoConnect): calling connect() too, once the manager is open,
      // would send a second CONNECT for the namespace (socket.io-client then closes the connection).
      const socket = manager.socket(ns);
      socket.once("connect", () => resolve(socket));
      socket.once("connect_error", reject);
    });
  return { seen, received, connect };
}

describe("keepHttpRequest", () => {
  it("by default keeps only what the handshake reads, for every namespace, even one joined later", async () => {
    const { seen, connect } = await start({});
    await connect("/");
    // a namespace joined on the same connection well after the handshake still sees the handshake
    await new Promise((resolve) => setTimeout(resolve, 100));
    await connect("/late");
    for (const ns of ["/", "/late"]) {
      const s = seen[ns]!;
      expect(s.headers["x-team"]).toBe("blue");
      expect(s.query["room"]).toBe("kitchen");
      expect(String(s.url)).toContain("/socket.io/");
      expect(s.secure).toBe(false);
      // not the IncomingMessage: a plain object with the four fields socket.io reads
      expect(Object.keys(s.request as object).sort()).toEqual(["_query", "connection", "headers", "url"]);
    }
  });

  it("keepHttpRequest: true keeps socket.io's behaviour (the whole request)", async () => {
    const { seen, connect } = await start({ keepHttpRequest: true });
    await connect("/");
    expect((seen["/"]!.request as { constructor: { name: string } }).constructor.name).toBe("IncomingMessage");
    expect(seen["/"]!.headers["x-team"]).toBe("blue");
  });
});

describe("validateIncoming", () => {
  const ask = (socket: ClientSocket, payload: unknown) =>
    socket.timeout(5000).emitWithAck("hello", payload) as Promise<{ ok: boolean; error?: { code: string } }>;

  it("validates by default: an invalid payload never reaches the handler", async () => {
    const { received, connect } = await start({});
    const answer = await ask(await connect("/"), { n: 1.5 });
    expect(answer.ok).toBe(false);
    expect(answer.error?.code).toBe("REQUEST_INVALID");
    expect(received).toEqual([]);
  });

  it("a function picks the namespaces: off for /late only", async () => {
    const { received, connect } = await start({ validateIncoming: (ns) => ns !== "/late" });
    const root = await connect("/");
    const late = await connect("/late");
    expect((await ask(root, { n: 1.5 })).ok).toBe(false);
    expect(await ask(late, { n: 1.5 })).toEqual({ ok: true, data: { n: 1.5 } });
    expect(received).toEqual([{ n: 1.5 }]);
  });
});

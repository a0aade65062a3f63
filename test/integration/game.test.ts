/**
 * The generated server and client of the "namespaces-acks" golden case (contract "game"), over real Socket.IO
 * on 127.0.0.1: acks in both directions, timeouts, namespaces, auth and refusal, sessions, outbound validation,
 * attaching to Express. The handlers are spies, so the tests see exactly what reached them.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { Adapter, type BroadcastOptions } from "socket.io-adapter";
import { io as rawIo } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { IocontractError } from "@iocontract/runtime/v1/server";
import {
  type GameGameHandlers,
  type GameHandlers,
  type GameServer,
  createGameServer,
} from "../fixtures/namespaces-acks/expected/server/server.gen";
import {
  type GameClient,
  type GameGameClient,
  createGameClient,
  createGameGameClient,
  createGameGameLobbyClient,
} from "../fixtures/namespaces-acks/expected/client/client.gen";
import { next, sleep } from "../support/events";

const received: Array<{ event: string; payload: unknown }> = [];
let slowCalls = 0;
const reported: Array<{ error: unknown; event: string }> = [];

const root: GameHandlers = {
  ping: () => ({ pong: Date.now() }),
  sum: (numbers) => {
    received.push({ event: "sum", payload: numbers });
    return numbers.reduce((a, b) => a + b, 0);
  },
  note: (note, ctx) => {
    received.push({ event: "note", payload: note });
    ctx.emit.noted({ text: note.text, tags: note.tags });
  },
  crash: async ({ how }) => {
    if (how === "throw") throw new Error("database password is hunter2");
    if (how === "reject") return Promise.reject(new TypeError("internal detail"));
    return { ok: "yes" } as unknown as { ok: boolean }; // an ack the contract forbids
  },
  slow: async ({ ms }) => {
    slowCalls++;
    await sleep(ms);
    return { waited: ms };
  },
};

const game: GameGameHandlers = {
  connect(ctx) {
    if (ctx.handshake.auth.player === "banned")
      throw ctx.refuse("UNAUTHORIZED", "banned player", { until: "tomorrow" });
    if (ctx.handshake.auth.player === "buggy") throw new Error("connect bug with a secret");
    if (ctx.session !== undefined) throw new Error("a session before setSession");
    ctx.setSession({ player: ctx.handshake.auth.player, score: 0 });
    ctx.join(ctx.handshake.auth.team);
    // Emitted before Socket.IO has connected the client: the runtime sends it right after the CONNECT packet.
    ctx.emit.state({ board: [], turn: ctx.handshake.auth.player });
  },
  move(point, ctx) {
    received.push({ event: "move", payload: point });
    const session = ctx.session!;
    if (point.x === 9 && point.y === 9) throw ctx.error("GAME_OVER", { score: session.score });
    if (point.x === 8) throw ctx.error("NOT_YOUR_TURN", { turn: "someone else" });
    ctx.setSession({ ...session, score: session.score + point.x + point.y });
    return { accepted: true, score: ctx.session!.score };
  },
  resign(ctx) {
    ctx.disconnect();
  },
  disconnect(ctx) {
    if (ctx.session?.player === "leaves-badly") throw new Error("disconnect bug");
  },
};

let server: GameServer;
let url: string;
const open: Array<{ disconnect(): unknown }> = [];

beforeAll(async () => {
  server = createGameServer({
    handlers: { "/": root, "/game": game, "/game/lobby": { list: () => [{ id: "g1", players: 2 }] } },
    onError: (error, info) => reported.push({ error, event: info.event }),
  });
  const address = await server.listen(0);
  url = `http://127.0.0.1:${address.port}`;
});
afterEach(() => {
  for (const c of open.splice(0)) c.disconnect();
  received.length = 0;
  reported.length = 0;
});
afterAll(async () => {
  await server.close();
});

function client(): GameClient {
  const c = createGameClient(url, { socket: { transports: ["websocket"] } });
  open.push(c);
  return c;
}
function player(name: string, team?: "red" | "blue"): GameGameClient {
  const c = createGameGameClient(url, {
    auth: team ? { player: name, team } : { player: name },
    socket: { transports: ["websocket"] },
  });
  open.push(c);
  return c;
}

describe("acks, client → server", () => {
  it("typed answers, with and without a payload", async () => {
    const c = client();
    await c.ready();
    expect(await c.emit.sum([1, 2, 3.5])).toBe(6.5);
    expect((await c.emit.ping()).pong).toBeGreaterThan(0);
  });

  it("the receiver gets zod's output: defaults filled, unknown keys stripped", async () => {
    const c = client();
    await c.ready();
    const noted = next(c.on.noted);
    c.emit.note({ text: "hi", extra: "stripped" } as { text: string });
    expect(await noted).toEqual({ text: "hi", tags: [] });
    expect(received).toEqual([{ event: "note", payload: { text: "hi", tags: [] } }]);
  });

  it("the contract's timeout applies, and a call can override it", async () => {
    const c = client();
    await c.ready();
    const late = await c.emit.slow({ ms: 600 }, { retries: 0 }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(IocontractError);
    expect((late as IocontractError).code).toBe("TIMEOUT");
    expect((late as IocontractError).message).toBe('TIMEOUT: game / "slow": no answer within 200 ms');
    expect(await c.emit.slow({ ms: 300 }, { timeoutMs: 2000 })).toEqual({ waited: 300 });
    const retried = await c.emit.slow({ ms: 2000 }, { retries: 1 }).catch((e: unknown) => e);
    expect((retried as IocontractError).message).toBe('TIMEOUT: game / "slow": no answer within 200 ms (2 attempts)');
  });

  it("with retries, a slow handler's answer reaches the retry, and the handler runs once", async () => {
    const c = client();
    await c.ready();
    const before = slowCalls;
    // 200 ms per attempt, 3 attempts: the first two time out, the third is answered when the one run ends.
    expect(await c.emit.slow({ ms: 450 })).toEqual({ waited: 450 });
    expect(slowCalls).toBe(before + 1);
  });

  it("a pending call rejects with DISCONNECTED when the connection drops", async () => {
    const c = client();
    await c.ready();
    const before = slowCalls;
    const pending = c.emit.slow({ ms: 1000 }, { timeoutMs: 3000 }).catch((e: unknown) => e);
    await expect.poll(() => slowCalls).toBe(before + 1); // the call is in the server's hands
    server.disconnectSockets();
    expect(((await pending) as IocontractError).code).toBe("DISCONNECTED");
  });

  it("contract errors arrive with their code and typed details; internal errors reveal nothing", async () => {
    const p = player("ann");
    await p.ready();
    const over = await p.emit.move({ x: 9, y: 9 }).catch((e: unknown) => e);
    expect(over).toMatchObject({ code: "GAME_OVER", details: { score: 0 }, event: "move" });
    const turn = await p.emit.move({ x: 8, y: 0 }).catch((e: unknown) => e);
    expect(turn).toMatchObject({ code: "NOT_YOUR_TURN", details: { turn: "someone else" } });

    const c = client();
    await c.ready();
    for (const how of ["throw", "reject"] as const) {
      const failed = (await c.emit.crash({ how }).catch((e: unknown) => e)) as IocontractError;
      expect(failed.code).toBe("HANDLER_FAILED");
      expect(failed.message).toBe('HANDLER_FAILED: game / "crash": the handler failed');
      expect(JSON.stringify(failed.details ?? null)).not.toMatch(/hunter2|internal detail|at /);
    }
    const badAck = (await c.emit.crash({ how: "bad-ack" }).catch((e: unknown) => e)) as IocontractError;
    expect(badAck.code).toBe("RESPONSE_INVALID");
    expect(reported.map((r) => r.event)).toEqual(["crash", "crash", "crash"]);
    expect(String(reported[0]!.error)).toMatch(/hunter2/); // the server's own log gets the real error
    expect(String(reported[2]!.error)).toMatch(/RESPONSE_INVALID: game \/ "crash": the handler's ack is invalid: ok: /);
  });
});

describe("acks, server → client", () => {
  it("one socket answers with its typed ack; a namespace answers an array of envelopes", async () => {
    const a = player("amy");
    const b = player("bob", "blue");
    a.handle.askMove(() => ({ x: 1, y: 2 }));
    b.handle.askMove(async () => ({ x: 3, y: 4 }));
    await Promise.all([a.ready(), b.ready()]);
    const nsp = server.namespaces["/game"];
    expect(await nsp.socket(a.id!).request.askMove()).toEqual({ x: 1, y: 2 });
    const answers = await nsp.request.askMove();
    expect(
      answers.map((e) => (e.ok ? e.data : e.error)).sort((p, q) => JSON.stringify(p).localeCompare(JSON.stringify(q))),
    ).toEqual([
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ]);
    expect(await nsp.to("blue").request.askMove()).toEqual([{ ok: true, data: { x: 3, y: 4 } }]);
  });

  it("a payload and a primitive ack; the client's invalid answer is caught on both sides", async () => {
    const c = client();
    c.handle.confirm(({ question }) => question.endsWith("?"));
    await c.ready();
    expect(await server.socket(c.id!).request.confirm({ question: "ready?" })).toBe(true);

    const p = player("cat");
    p.handle.askMove(() => ({ x: 42, y: 0 })); // out of the contract's range
    await p.ready();
    const invalid = (await server.namespaces["/game"]
      .socket(p.id!)
      .request.askMove()
      .catch((e: unknown) => e)) as IocontractError;
    expect(invalid.code).toBe("RESPONSE_INVALID");
    expect(invalid.message).toMatch(/game \/game "ask move": the client's answer is invalid: x: Too big/);
  });

  it("a client that does not handle a request answers UNKNOWN_EVENT; one that never answers times out", async () => {
    const p = player("dan");
    await p.ready();
    const unhandled = (await server.namespaces["/game"]
      .socket(p.id!)
      .request.askMove()
      .catch((e: unknown) => e)) as IocontractError;
    expect(unhandled.code).toBe("UNKNOWN_EVENT");
    p.handle.askMove(() => new Promise(() => {}));
    const late = (await server.namespaces["/game"]
      .socket(p.id!)
      .request.askMove({ timeoutMs: 150 })
      .catch((e: unknown) => e)) as IocontractError;
    expect(late.code).toBe("TIMEOUT");
    expect(late.message).toBe('TIMEOUT: game /game "ask move": no answer within 150 ms');
  });

  it("a raw client that answers without the envelope gets CONTRACT_MISMATCH", async () => {
    const raw = rawIo(`${url}/game`, { auth: { player: "raw" }, transports: ["websocket"] });
    open.push(raw);
    raw.on("ask move", (ack: (answer: unknown) => void) => ack({ x: 1, y: 1 }));
    await new Promise((resolve) => raw.once("connect", () => resolve(undefined)));
    const mismatch = (await server.namespaces["/game"]
      .socket(raw.id!)
      .request.askMove()
      .catch((e: unknown) => e)) as IocontractError;
    expect(mismatch.code).toBe("CONTRACT_MISMATCH");
  });
});

describe("connection lifecycle", () => {
  it("connect, disconnect with its reason, and reconnect after a dropped transport", async () => {
    const c = createGameClient(url, {
      socket: { transports: ["websocket"], reconnectionDelay: 50, reconnectionDelayMax: 100 },
    });
    open.push(c);
    const connected = next(c.on.connect);
    await connected;
    const disconnected = next(c.on.disconnect);
    const reconnected = next(c.on.reconnect);
    server.namespaces["/"].nsp.sockets.get(c.id!)!.conn.close(); // the network drops, as far as the client can tell
    expect(await disconnected).toBe("transport close");
    expect(await reconnected).toBe(1);
    expect(await c.emit.sum([5])).toBe(5);
  });

  it("unsubscribe functions stop delivery; once delivers once", async () => {
    const c = client();
    await c.ready();
    const all: number[] = [];
    const once: number[] = [];
    const off = c.on.tick(() => all.push(1));
    c.once.tick(() => once.push(1));
    server.emit.tick();
    server.emit.tick();
    await c.emit.ping(); // the ticks travel before this answer on the same connection
    off();
    server.emit.tick();
    await c.emit.ping();
    expect(all).toEqual([1, 1]);
    expect(once).toEqual([1]);
  });
});

describe("namespaces, auth, refusal, sessions", () => {
  it("connect can emit to the client it is admitting", async () => {
    const p = player("fay");
    const state = next(p.on.state);
    await p.ready();
    expect(await state).toEqual({ board: [], turn: "fay" });
  });

  it("auth is parsed (defaults filled) before connect, and the session is kept per connection", async () => {
    const p = player("eve");
    await p.ready();
    expect(await server.namespaces["/game"].rooms(p.id!)).toEqual(expect.arrayContaining([p.id, "red"]));
    expect(await p.emit.move({ x: 1, y: 2 })).toEqual({ accepted: true, score: 3 });
    expect(await p.emit.move({ x: 3, y: 0 })).toEqual({ accepted: true, score: 6 });
    const lobby = createGameGameLobbyClient(url, { socket: { transports: ["websocket"] } });
    open.push(lobby);
    expect(await lobby.emit.list()).toEqual([{ id: "g1", players: 2 }]);
  });

  it("invalid auth is refused with UNAUTHORIZED and the issues, before any handler runs", async () => {
    const raw = rawIo(`${url}/game`, { auth: { player: "" }, transports: ["websocket"] });
    open.push(raw);
    const error = await new Promise<Error & { data?: unknown }>((resolve) => raw.once("connect_error", resolve));
    expect(error.message).toBe(
      "UNAUTHORIZED: game /game: handshake auth invalid: player: Too small: expected string to have >=1 characters",
    );
    expect(error.data).toEqual({
      code: "UNAUTHORIZED",
      message: "game /game: handshake auth invalid: player: Too small: expected string to have >=1 characters",
      details: { issues: [{ path: ["player"], message: "Too small: expected string to have >=1 characters" }] },
    });
  });

  it("connect refuses with a typed reason the client's connectError carries", async () => {
    const p = player("banned");
    const refused = next(p.on.connectError);
    expect(await refused).toMatchObject({
      code: "UNAUTHORIZED",
      rawMessage: "banned player",
      details: { until: "tomorrow" },
    });
  });

  it("a connect handler that throws refuses with HANDLER_FAILED, revealing nothing; onError gets the error", async () => {
    const p = player("buggy");
    const error = await p.ready().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "HANDLER_FAILED", rawMessage: "the connect handler failed" });
    expect(JSON.stringify(error)).not.toMatch(/secret/);
    expect(reported.map((r) => [r.event, String(r.error)])).toEqual([["connect", "Error: connect bug with a secret"]]);
  });

  it("a disconnect handler that throws is reported, and the server goes on", async () => {
    const p = player("leaves-badly");
    await p.ready();
    p.emit.resign(); // the server disconnects it
    await expect.poll(() => reported.length).toBe(1);
    expect(reported.map((r) => [r.event, String(r.error)])).toEqual([["disconnect", "Error: disconnect bug"]]);
    const c = client();
    expect(await c.emit.sum([1, 1])).toBe(2);
  });

  it("a client of another contract major version is refused; the same major is accepted", async () => {
    const other = rawIo(`${url}/`, { query: { iocontract: "game@2.0.0" }, transports: ["websocket"] });
    const same = rawIo(`${url}/`, { query: { iocontract: "game@1.9.9" }, transports: ["websocket"] });
    open.push(other, same);
    const error = await new Promise<Error & { data?: { code?: string } }>((resolve) =>
      other.once("connect_error", resolve),
    );
    expect(error.data?.code).toBe("CONTRACT_MISMATCH");
    await new Promise((resolve) => same.once("connect", () => resolve(undefined)));
  });
});

describe("outbound validation", () => {
  it("the server cannot emit what the contract forbids: it throws and sends nothing", async () => {
    const c = client();
    await c.ready();
    const got: unknown[] = [];
    c.on.noted((n) => got.push(n));
    expect(() => server.emit.noted({ text: 1 } as unknown as { text: string; tags: string[] })).toThrowError(
      /^REQUEST_INVALID: game \/ "noted": cannot send: text: Invalid input: expected string, received number; tags: /,
    );
    server.emit.tick();
    server.emit.noted({ text: "fine", tags: [] });
    await c.emit.ping();
    expect(got).toEqual([{ text: "fine", tags: [] }]);
  });

  it("with validation off on the server, the client still refuses an invalid event and reports it", async () => {
    const loose = createGameServer({
      handlers: { "/": root, "/game": game, "/game/lobby": { list: () => [] } },
      validateOutgoing: false,
    });
    const address = await loose.listen(0);
    try {
      const c = createGameClient(`http://127.0.0.1:${address.port}`, { socket: { transports: ["websocket"] } });
      open.push(c);
      await c.ready();
      const delivered: unknown[] = [];
      c.on.noted((n) => delivered.push(n));
      const reportedError = next(c.on.eventError);
      loose.emit.noted({ text: 42 } as unknown as { text: string; tags: string[] });
      const error = await reportedError;
      expect(error.code).toBe("CONTRACT_MISMATCH");
      expect(error.message).toMatch(/game \/ "noted": the server sent an invalid payload: text: /);
      expect(delivered).toEqual([]);

      // A client that opts out of validating what it receives gets the payload as it came.
      const trusting = createGameClient(`http://127.0.0.1:${address.port}`, {
        validateIncoming: false,
        socket: { transports: ["websocket"] },
      });
      open.push(trusting);
      await trusting.ready();
      const raw = next(trusting.on.noted);
      loose.emit.noted({ text: 42 } as unknown as { text: string; tags: string[] });
      expect(await raw).toEqual({ text: 42 });
    } finally {
      await loose.close();
    }
  });
});

describe("attaching", () => {
  it("to an Express app's HTTP server: Express keeps its routes, Socket.IO its path", async () => {
    const app = express();
    app.get("/health", (_req, res) => {
      res.json({ ok: true });
    });
    const httpServer = http.createServer(app);
    const attached = createGameServer({
      httpServer,
      handlers: { "/": root, "/game": game, "/game/lobby": { list: () => [] } },
    });
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    const port = (httpServer.address() as AddressInfo).port;
    try {
      const health = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json());
      expect(health).toEqual({ ok: true });
      const c = createGameClient(`http://127.0.0.1:${port}`); // default transports: polling, then upgrade
      open.push(c);
      expect(await c.emit.sum([2, 2])).toBe(4);
    } finally {
      await attached.close();
    }
  });

  it("takes any socket.io adapter: broadcasts go through it", async () => {
    const seen: string[] = [];
    class RecordingAdapter extends Adapter {
      override broadcast(packet: { data?: unknown[] }, opts: BroadcastOptions): void {
        seen.push(String(packet.data?.[0]));
        super.broadcast(packet as never, opts);
      }
    }
    const withAdapter = createGameServer({
      handlers: { "/": root, "/game": game, "/game/lobby": { list: () => [] } },
      adapter: RecordingAdapter,
    });
    const address = await withAdapter.listen(0);
    try {
      const c = createGameClient(`http://127.0.0.1:${address.port}`, { socket: { transports: ["websocket"] } });
      open.push(c);
      await c.ready();
      const ticked = next(c.on.tick);
      withAdapter.emit.tick();
      await ticked;
      expect(seen).toEqual(["tick"]);
    } finally {
      await withAdapter.close();
    }
  });

  it("passes socket.io options through (a custom path)", async () => {
    const custom = createGameServer({
      handlers: { "/": root, "/game": game, "/game/lobby": { list: () => [] } },
      socketio: { path: "/rt/" },
    });
    const address = await custom.listen(0);
    try {
      const c = createGameClient(`http://127.0.0.1:${address.port}`, {
        socket: { path: "/rt/", transports: ["websocket"] },
      });
      open.push(c);
      expect(await c.emit.sum([1])).toBe(1);
    } finally {
      await custom.close();
    }
  });
});

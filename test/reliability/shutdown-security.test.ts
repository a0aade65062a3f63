/**
 * Graceful shutdown (close() drains and tells clients why), and the security guarantees: auth before connect,
 * namespaces and rooms only as granted, prototype-pollution keys refused, nothing internal sent, origins checked.
 */
import { io as rawIo, type Socket } from "socket.io-client";
import WebSocket from "ws";
import { afterEach, describe, expect, it } from "vitest";
import { IocontractError } from "@iocontract/runtime/v1/client";
import { createRelayClient, type RelayClient } from "../fixtures/reliability/expected/client/client.gen";
import { createGameGameClient } from "../fixtures/namespaces-acks/expected/client/client.gen";
import { createGameServer } from "../fixtures/namespaces-acks/expected/server/server.gen";
import { createRelay } from "./lib/relay";

const open: Array<{ disconnect(): unknown }> = [];
afterEach(() => {
  for (const c of open.splice(0)) c.disconnect();
});
function relayClient(url: string, options: Parameters<typeof createRelayClient>[1] = {}): RelayClient {
  const c = createRelayClient(url, {
    ...options,
    socket: { transports: ["websocket"], reconnectionDelay: 50, reconnectionDelayMax: 100, ...options.socket },
  });
  open.push(c);
  return c;
}
function raw(url: string, options: Parameters<typeof rawIo>[1] = {}): Socket {
  const s = rawIo(url, { transports: ["websocket"], reconnection: false, ...options });
  open.push(s);
  return s;
}

describe("graceful shutdown: close()", () => {
  it("lets in-flight handlers answer, refuses new events with SHUTTING_DOWN, tells clients, closes their transports", async () => {
    const relay = createRelay();
    const port = (await relay.server.listen(0)).port;
    const url = `http://127.0.0.1:${port}`;
    const c = relayClient(url, { retries: 0 });
    const other = raw(url);
    await c.ready();
    await new Promise<void>((r) => (other.connected ? r() : other.once("connect", () => r())));
    const disconnects: Array<[string, string | undefined]> = [];
    c.on.disconnect((reason, notice) => disconnects.push([reason, notice?.code]));
    const otherReason = new Promise<string>((r) => other.once("disconnect", r));
    const slow = c.emit.slow({ ms: 400 });
    await expect.poll(() => relay.running()).toBe(1);
    const closing = relay.server.close({ deadlineMs: 5000 });
    // While draining: a new event is refused, typed, and does not run.
    const before = relay.calls["append"]!;
    await expect(c.emit.append({ stream: "late", seq: 1 })).rejects.toMatchObject({
      code: "SHUTTING_DOWN",
      event: "append",
    });
    expect(relay.calls["append"]).toBe(before);
    // A new connection is refused too (the listener is closed: nothing accepts it).
    await expect(relayClient(url, { socket: { reconnection: false } }).ready()).rejects.toBeInstanceOf(IocontractError);
    expect(await slow).toEqual({ waited: 400 });
    await closing;
    await expect.poll(() => disconnects).toEqual([["transport close", "SHUTTING_DOWN"]]);
    expect(await otherReason).toBe("transport close"); // any Socket.IO client reconnects on this
    expect(relay.errors).toEqual([]);
  });

  it("does not wait past the deadline for a handler that never ends", async () => {
    const relay = createRelay();
    const url = `http://127.0.0.1:${(await relay.server.listen(0)).port}`;
    const c = relayClient(url, { retries: 0 });
    await c.ready();
    const stuck = c.emit.slow({ ms: 10_000 }).catch((e: IocontractError) => e.code);
    await expect.poll(() => relay.running()).toBe(1);
    const started = Date.now();
    await relay.server.close({ deadlineMs: 300 });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(5000);
    expect(await stuck).toBe("DISCONNECTED"); // it may or may not have been handled: not SHUTTING_DOWN
  });

  it("a client retrying through a shutdown reaches the replacement server", async () => {
    const first = createRelay({ appendDelayMs: 50 });
    const port = (await first.server.listen(0)).port;
    const c = relayClient(`http://127.0.0.1:${port}`, { retries: 5 });
    await c.ready();
    const slow = c.emit.slow({ ms: 200 });
    await expect.poll(() => first.running()).toBe(1);
    const closing = first.server.close();
    const during = c.emit.append({ stream: "moved", seq: 1 }, { timeoutMs: 3000 }); // SHUTTING_DOWN, then retried
    await closing;
    const second = createRelay();
    await second.server.listen(port);
    expect(await slow).toEqual({ waited: 200 });
    expect(await during).toEqual({ seq: 1, runs: 1 });
    expect(first.runs.has("moved:1")).toBe(false);
    expect(second.runs.get("moved:1")).toBe(1);
    await second.server.close({ deadlineMs: 100 });
  });
});

describe("security", () => {
  it("prototype-pollution keys never reach a handler, through records and unknowns alike", async () => {
    const relay = createRelay();
    const url = `http://127.0.0.1:${(await relay.server.listen(0)).port}`;
    const s = raw(url);
    await new Promise<void>((r) => s.once("connect", () => r()));
    const send = (event: string, json: string) =>
      new Promise<{ ok: boolean; error?: { code: string; details: unknown } }>((r) =>
        s.emit(event, JSON.parse(json), r),
      );
    const before = relay.received.length;
    const cases: Array<[string, string]> = [
      ["anything", '{"__proto__":{"admin":true}}'],
      ["anything", '{"a":[{"constructor":{"prototype":{"admin":true}}}]}'],
      ["settings", '{"constructor":{"prototype":{"admin":true}}}'],
      ["settings", '{"nested":{"__proto__":{"admin":true}}}'],
    ];
    for (const [event, json] of cases) {
      const answer = await send(event, json);
      expect(answer.ok, `${event} ${json}`).toBe(false);
      expect(answer.error).toMatchObject({
        code: "REQUEST_INVALID",
        details: { issues: [{ message: expect.stringMatching(/^Forbidden key/) }] },
      });
    }
    // zod drops a top-level __proto__ key of a record on its own: it arrives without it.
    expect(await send("settings", '{"__proto__":{"admin":true},"theme":"dark"}')).toEqual({
      ok: true,
      data: { keys: ["theme"] },
    });
    expect(await send("anything", '{"constructor":"a word","fine":[1,2]}')).toEqual({
      ok: true,
      data: { type: "object" },
    });
    expect(relay.received.slice(before)).toEqual<unknown[]>([
      { theme: "dark" },
      { constructor: "a word", fine: [1, 2] },
    ]);
    expect(({} as Record<string, unknown>)["admin"]).toBeUndefined();
    await relay.server.close({ deadlineMs: 100 });
  });

  it("namespaces: only the contract's exist; a refused or unknown namespace gets a typed reason and no events", async () => {
    const server = createGameServer({
      handlers: {
        "/": {
          ping: () => ({ pong: 1 }),
          sum: () => 0,
          note: () => {},
          crash: async () => ({ ok: true }),
          slow: async () => ({ waited: 0 }),
        },
        "/game": { move: () => ({ accepted: true, score: 0 }), resign: () => {} },
        "/game/lobby": { list: () => [] },
      },
      onError: () => {},
    });
    const url = `http://127.0.0.1:${(await server.listen(0)).port}`;
    const unknown = raw(`${url}/secret`);
    const refusal = await new Promise<Error & { data?: unknown }>((r) => unknown.once("connect_error", r));
    expect(refusal.message).toBe("Invalid namespace");
    // Auth is validated before the connect handler: a bad one never reaches it.
    const bad = raw(`${url}/game`, { auth: { player: 5 } });
    const badRefusal = await new Promise<Error & { data?: unknown }>((r) => bad.once("connect_error", r));
    expect(badRefusal.data).toMatchObject({ code: "UNAUTHORIZED", details: { issues: [{ path: ["player"] }] } });
    const good = createGameGameClient(url, {
      auth: { player: "x", team: "red" },
      socket: { transports: ["websocket"], reconnection: false },
    });
    open.push(good);
    await good.ready();
    await server.close({ deadlineMs: 100 });
  });

  it("rooms: a client cannot join one by itself — only handlers and the server put sockets in rooms", async () => {
    const relay = createRelay();
    const url = `http://127.0.0.1:${(await relay.server.listen(0)).port}`;
    const s = raw(url);
    await new Promise<void>((r) => s.once("connect", () => r()));
    const errors: unknown[] = [];
    s.on("iocontract:error", (e) => errors.push(e));
    for (const event of ["join", "subscribe-room", "enter_room"]) s.emit(event, "secret-room");
    await expect.poll(() => errors.length).toBe(3);
    expect(errors.every((e) => (e as { code: string }).code === "UNKNOWN_EVENT")).toBe(true);
    expect(await relay.server.sids("secret-room")).toEqual([]);
    await relay.server.close({ deadlineMs: 100 });
  });

  it("an invalid payload's answer names the field, never echoes the value", async () => {
    const relay = createRelay();
    const url = `http://127.0.0.1:${(await relay.server.listen(0)).port}`;
    const s = raw(url);
    await new Promise<void>((r) => s.once("connect", () => r()));
    // (A throwing handler — HANDLER_FAILED with a fixed message — is covered in test/integration/game.test.ts.)
    const answer = await new Promise<{ ok: boolean; error: { message: string } }>((r) =>
      s.emit("slow", { ms: "1; DROP TABLE" }, r),
    );
    expect(answer.ok).toBe(false);
    expect(answer.error.message).toBe('relay / "slow": ms: Invalid input: expected number, received string');
    expect(JSON.stringify(answer)).not.toMatch(/DROP TABLE/);
    await relay.server.close({ deadlineMs: 100 });
  });

  describe("origins (cors)", () => {
    async function wsHandshake(url: string, origin: string | undefined): Promise<"open" | number> {
      const ws = new WebSocket(
        `${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`,
        origin === undefined ? {} : { origin },
      );
      return new Promise((resolve) => {
        ws.once("open", () => {
          ws.close();
          resolve("open");
        });
        ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.once("error", () => resolve(-1));
      });
    }

    it("default same-origin: this host's pages and clients without Origin connect; another origin is refused, websocket included", async () => {
      const relay = createRelay();
      const port = (await relay.server.listen(0)).port;
      const url = `http://127.0.0.1:${port}`;
      expect(await wsHandshake(url, undefined)).toBe("open");
      expect(await wsHandshake(url, `http://127.0.0.1:${port}`)).toBe("open");
      // engine.io refuses a websocket upgrade with 400, a polling request with 403.
      expect(await wsHandshake(url, "https://evil.example")).toBe(400);
      expect(await wsHandshake(url, `http://127.0.0.1:${port + 1}`)).toBe(400);
      const polling = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
        headers: { origin: "https://evil.example" },
      });
      expect(polling.status).toBe(403);
      expect(await polling.json()).toEqual({
        code: 4,
        message: "origin https://evil.example is not allowed (ServerOptions.cors)",
      });
      await relay.server.close({ deadlineMs: 100 });
    });

    it("a list allows exactly those origins (and sends CORS headers for polling); '*' allows any", async () => {
      const listed = createRelay({ cors: ["https://app.example", /^https:\/\/[a-z]+\.preview\.example$/] });
      const url = `http://127.0.0.1:${(await listed.server.listen(0)).port}`;
      expect(await wsHandshake(url, "https://app.example")).toBe("open");
      expect(await wsHandshake(url, "https://pr1.preview.example")).toBe(400); // digits are not [a-z]
      expect(await wsHandshake(url, "https://pr.preview.example")).toBe("open");
      expect(await wsHandshake(url, "https://app.example.evil")).toBe(400);
      const polling = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
        headers: { origin: "https://app.example" },
      });
      expect(polling.status).toBe(200);
      expect(polling.headers.get("access-control-allow-origin")).toBe("https://app.example");
      await listed.server.close({ deadlineMs: 100 });
      const any = createRelay({ cors: "*" });
      const anyUrl = `http://127.0.0.1:${(await any.server.listen(0)).port}`;
      expect(await wsHandshake(anyUrl, "https://anything.example")).toBe("open");
      await any.server.close({ deadlineMs: 100 });
    });
  });
});

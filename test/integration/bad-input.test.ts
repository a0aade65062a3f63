/**
 * Bad input from a raw Socket.IO client (no SDK, so nothing is validated before it leaves): every case is
 * answered as docs/protocol.md says, nothing invalid reaches a handler, and another client keeps being served.
 */
import { io as rawIo, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GameServer, createGameServer } from "../fixtures/namespaces-acks/expected/server/server.gen";
import { type GameClient, createGameClient } from "../fixtures/namespaces-acks/expected/client/client.gen";

/** Everything a handler received: each must satisfy the contract. */
const reachedHandlers: Array<{ event: string; payload: unknown }> = [];
const reported: unknown[] = [];
let server: GameServer;
let url: string;
let raw: Socket;
let bystander: GameClient;

beforeAll(async () => {
  server = createGameServer({
    handlers: {
      "/": {
        ping: () => ({ pong: 1 }),
        sum: (numbers) => {
          reachedHandlers.push({ event: "sum", payload: numbers });
          return numbers.reduce((a, b) => a + b, 0);
        },
        note: (note) => {
          reachedHandlers.push({ event: "note", payload: note });
        },
        crash: () => ({ ok: true }),
        slow: () => ({ waited: 0 }),
      },
      "/game": { move: () => ({ accepted: true, score: 0 }), resign: () => {} },
      "/game/lobby": { list: () => [] },
    },
    onError: (error) => reported.push(error),
  });
  url = `http://127.0.0.1:${(await server.listen(0)).port}`;
  raw = rawIo(url, { transports: ["websocket"] });
  bystander = createGameClient(url, { socket: { transports: ["websocket"] } });
  await Promise.all([new Promise((resolve) => raw.once("connect", () => resolve(undefined))), bystander.ready()]);
});
afterAll(async () => {
  raw.disconnect();
  bystander.disconnect();
  await server.close();
});

/** Sends with an ack callback; resolves with the server's raw answer. */
function ask(event: string, ...args: unknown[]): Promise<unknown> {
  return raw.timeout(2000).emitWithAck(event, ...args);
}
/** Sends without an ack; resolves with the reserved error event the server answers with. */
function fire(
  event: string,
  ...args: unknown[]
): Promise<{ event: string; code: string; message: string; details?: unknown }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no iocontract:error within 2 s")), 2000);
    raw.once("iocontract:error", (payload) => {
      clearTimeout(timer);
      resolve(payload);
    });
    raw.emit(event, ...args);
  });
}
const requestInvalid = (message: RegExp) => ({
  ok: false,
  error: { code: "REQUEST_INVALID", message: expect.stringMatching(message), details: { issues: expect.any(Array) } },
});

describe("invalid payloads on an event with an ack get an error envelope", () => {
  it.each([
    [
      "a string instead of an array",
      ["garbage"],
      /^game \/ "sum": \(payload\): Invalid input: expected array, received string$/,
    ],
    [
      "wrong element types",
      [[1, "2", null]],
      /^game \/ "sum": \[1\]: Invalid input: expected number, received string; \[2\]: /,
    ],
    ["null", [null], /\(payload\): Invalid input: expected array, received null/],
    ["a number", [42], /expected array, received number/],
    ["an object", [{ numbers: [1] }], /expected array, received object/],
    ["too many items", [Array.from({ length: 101 }, () => 1)], /Too big: expected array to have <=100 items/],
    ["no payload where one is required", [], /\(payload\): a payload is required$/],
    ["two payload arguments", [[1], [2]], /\(payload\): expected 1 payload argument, got 2$/],
    ["binary where JSON is expected", [Buffer.from([1, 2, 3])], /\(payload\): Invalid input: expected array/],
    [
      "deep nesting",
      [JSON.parse("[".repeat(2000) + "]".repeat(2000))],
      /\[0\]: Invalid input: expected number, received array/,
    ],
  ])("%s", async (_name, args, message) => {
    expect(await ask("sum", ...args)).toEqual(requestInvalid(message));
  });

  it("a payload on an event that takes none", async () => {
    expect(await ask("ping", { hello: 1 })).toEqual(
      requestInvalid(/^game \/ "ping": \(payload\): expected no payload, got 1 argument\(s\)$/),
    );
  });

  it("issues carry paths and messages only, never the received values", async () => {
    const answer = (await ask("sum", ["secret-value"])) as { error: { details: { issues: unknown[] } } };
    expect(answer.error.details.issues).toEqual([
      { path: [0], message: "Invalid input: expected number, received string" },
    ]);
    expect(JSON.stringify(answer)).not.toMatch(/secret-value/);
  });
});

describe("invalid payloads on a fire-and-forget event get the reserved error event, naming the event", () => {
  it.each([
    ["missing fields", [{}], /^game \/ "note": text: Invalid input: expected string, received undefined$/],
    [
      "wrong types",
      [{ text: 5, tags: "x" }],
      /text: Invalid input: expected string, received number; tags: Invalid input: expected array, received string/,
    ],
    ["an empty string", [{ text: "" }], /text: Too small: expected string to have >=1 characters/],
    ["an array", [[1, 2]], /\(payload\): Invalid input: expected object, received array/],
    ["no payload", [], /\(payload\): a payload is required/],
  ])("%s", async (_name, args, message) => {
    const error = await fire("note", ...args);
    expect(error).toMatchObject({ event: "note", code: "REQUEST_INVALID", message: expect.stringMatching(message) });
  });
});

describe("unknown events", () => {
  it("with an ack: UNKNOWN_EVENT in the envelope", async () => {
    expect(await ask("drop tables", 1)).toEqual({
      ok: false,
      error: { code: "UNKNOWN_EVENT", message: 'game /: unknown event "drop tables"' },
    });
  });
  it("without: the reserved error event", async () => {
    // The name travels once, in `event` (issue 18: an answer never repeats what the client sent twice).
    expect(await fire("nope")).toEqual({ event: "nope", code: "UNKNOWN_EVENT", message: "game /: unknown event" });
  });
  it('named "error" (which would crash an EventEmitter without a listener)', async () => {
    expect(await fire("error", { boom: true })).toMatchObject({ event: "error", code: "UNKNOWN_EVENT" });
    expect(await ask("error")).toMatchObject({ ok: false, error: { code: "UNKNOWN_EVENT" } });
  });
  it("a server→client event sent by a client", async () => {
    expect(await ask("noted", { text: "x", tags: [] })).toMatchObject({ ok: false, error: { code: "UNKNOWN_EVENT" } });
  });
});

describe("ack callbacks the contract does not expect", () => {
  it("an acked event sent without a callback still runs its handler, and nothing breaks", async () => {
    raw.emit("sum", [40, 2]);
    await expect.poll(() => reachedHandlers.at(-1)).toEqual({ event: "sum", payload: [40, 2] });
  });
  it("a fire-and-forget event sent with a callback is acked with { ok: true, data: null }", async () => {
    expect(await ask("note", { text: "with a callback" })).toEqual({ ok: true, data: null });
  });
  it("an invalid fire-and-forget event sent with a callback is answered through it", async () => {
    expect(await ask("note", {})).toMatchObject({ ok: false, error: { code: "REQUEST_INVALID" } });
  });
});

describe("prototype pollution", () => {
  it("__proto__, constructor and prototype keys never reach a handler or Object.prototype", async () => {
    // JSON.parse keeps "__proto__" as an own key, as a malicious client's payload would arrive.
    const payload = JSON.parse(
      '{"text":"p","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":1}',
    );
    expect(await ask("note", payload)).toEqual({ ok: true, data: null });
    const reached = reachedHandlers.at(-1)!.payload as Record<string, unknown>;
    expect(reached).toEqual({ text: "p", tags: [] });
    expect(Object.keys(reached)).toEqual(["text", "tags"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});

describe("throughout", () => {
  it("every payload that reached a handler satisfies the contract, nothing was reported, and the bystander is served", async () => {
    for (const { event, payload } of reachedHandlers) {
      if (event === "sum") expect(Array.isArray(payload) && payload.every((n) => typeof n === "number")).toBe(true);
      if (event === "note") expect(typeof (payload as { text: unknown }).text).toBe("string");
    }
    expect(reachedHandlers.length).toBeGreaterThan(0);
    expect(reported).toEqual([]);
    expect(raw.connected).toBe(true);
    expect(await bystander.emit.sum([1, 2])).toBe(3);
  });
});

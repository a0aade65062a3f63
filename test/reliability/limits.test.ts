/**
 * Limits a client cannot talk its way around: the contract's per-event rate limits, the per-packet size limit,
 * and bounded answers for pathological input. Every refusal is typed and correlated to the event, and nothing
 * refused reaches a handler.
 */
import { io as rawIo, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { IocontractError } from "@iocontract/runtime/v1/client";
import { createRelayClient, type RelayClient } from "../fixtures/reliability/expected/client/client.gen";
import { sleep } from "../support/events";
import { createRelay, type Relay } from "./lib/relay";

const LIMIT = 64 * 1024;
let relay: Relay;
let url: string;
const open: Array<{ disconnect(): unknown }> = [];

beforeAll(async () => {
  relay = createRelay({ maxPayloadBytes: LIMIT });
  url = `http://127.0.0.1:${(await relay.server.listen(0)).port}`;
});
afterEach(() => {
  for (const c of open.splice(0)) c.disconnect();
});
afterAll(() => relay.server.close({ deadlineMs: 100 }));

function client(options: Parameters<typeof createRelayClient>[1] = {}): RelayClient {
  const c = createRelayClient(url, {
    ...options,
    socket: { transports: ["websocket"], reconnection: false, ...options.socket },
  });
  open.push(c);
  return c;
}
function raw(): Socket {
  const s = rawIo(url, { transports: ["websocket"], reconnection: false });
  open.push(s);
  return s;
}
const connected = (s: Socket) =>
  s.connected ? Promise.resolve() : new Promise<void>((r) => s.once("connect", () => r()));

describe("rate limits declared in the contract", () => {
  it("an acked event: the burst passes, the next gets RATE_LIMITED with retryAfterMs, and tokens come back", async () => {
    const c = client();
    await c.ready();
    const before = relay.calls["limited"]!;
    // burst 3, 5/s: three at once pass; the fourth and fifth are refused without reaching the handler.
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => c.emit.limited({ n })));
    expect(results.slice(0, 3).map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    const refused = results.slice(3).map((r) => (r as PromiseRejectedResult).reason as IocontractError);
    for (const error of refused) {
      expect(error).toBeInstanceOf(IocontractError);
      expect(error.code).toBe("RATE_LIMITED");
      expect(error.event).toBe("limited");
      expect(error.message).toMatch(
        /^RATE_LIMITED: relay \/ "limited": rate limit exceeded \(5\/s, burst 3\); retry in \d+ ms$/,
      );
      const { retryAfterMs } = error.details as { retryAfterMs: number };
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(200);
    }
    expect(relay.calls["limited"]! - before).toBe(3);
    await sleep((refused[1]!.details as { retryAfterMs: number }).retryAfterMs + 20);
    expect(await c.emit.limited({ n: 6 })).toEqual({ n: 6 });
    expect(relay.calls["limited"]! - before).toBe(4);
  });

  it("is per connection: another client keeps its own budget", async () => {
    const a = client();
    const b = client();
    await Promise.all([a.ready(), b.ready()]);
    await Promise.allSettled([1, 2, 3, 4].map((n) => a.emit.limited({ n })));
    await expect(a.emit.limited({ n: 5 })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(await Promise.all([1, 2, 3].map((n) => b.emit.limited({ n })))).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it("a fire-and-forget event over its limit gets the reserved error event naming it", async () => {
    const c = client();
    await c.ready();
    const errors: IocontractError[] = [];
    c.on.eventError((e) => errors.push(e));
    const heard: string[] = [];
    c.on.heard(({ text }) => heard.push(text));
    const before = relay.calls["shout"]!;
    // perSecond 1, burst defaults to 1: one passes at once.
    c.emit.shout({ text: "one" });
    c.emit.shout({ text: "two" });
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toMatchObject({ code: "RATE_LIMITED", event: "shout" });
    expect(heard).toEqual(["one"]);
    expect(relay.calls["shout"]! - before).toBe(1);
  });

  it("is refused by defineContract where it makes no sense", async () => {
    const { defineContract } = await import("@iocontract/runtime/contract");
    const { z } = await import("zod");
    const make = (ev: object, direction = "clientToServer") =>
      defineContract({
        name: "x",
        version: "1.0.0",
        namespaces: { "/": { [direction]: { e: { payload: z.string(), ...ev } } } },
      });
    expect(() => make({ rateLimit: { perSecond: 0 } })).toThrow(
      'contract "x": namespace "/", clientToServer event "e": rateLimit.perSecond must be a positive number',
    );
    expect(() => make({ rateLimit: { perSecond: 1, burst: 0.5 } })).toThrow(
      "rateLimit.burst must be a positive integer",
    );
    expect(() => make({ rateLimit: { perSecond: 1 } }, "serverToClient")).toThrow(
      "rateLimit applies to clientToServer events only",
    );
    expect(() => make({ rateLimit: 5 })).toThrow("rateLimit is { perSecond, burst? }");
  });
});

describe("the per-packet size limit (maxPayloadBytes)", () => {
  it("a packet over the limit: PAYLOAD_TOO_LARGE naming the event, then a disconnect; the handler never runs", async () => {
    const s = raw();
    await connected(s);
    const before = relay.calls["blob"]!;
    const error = new Promise<Record<string, unknown>>((resolve) => s.once("iocontract:error", resolve));
    const gone = new Promise<string>((resolve) => s.once("disconnect", resolve));
    s.emit("blob", { data: "x".repeat(LIMIT + 10) });
    expect(await error).toEqual({
      event: "blob",
      code: "PAYLOAD_TOO_LARGE",
      message: expect.stringMatching(
        /^relay \/: event "blob" of \d+ bytes is over the limit of 65536 bytes; disconnecting$/,
      ),
      details: { limitBytes: LIMIT, sizeBytes: expect.any(Number) },
    });
    expect(await gone).toBe("io server disconnect");
    expect(relay.calls["blob"]! - before).toBe(0);
    expect(relay.errors).toEqual([]); // a client's mistake, not a server error
  });

  it("counts bytes, not characters: 30 000 three-byte characters are over a 64 KiB limit", async () => {
    const s = raw();
    await connected(s);
    const error = new Promise<Record<string, unknown>>((resolve) => s.once("iocontract:error", resolve));
    s.emit("blob", { data: "€".repeat(30_000) });
    expect(await error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", details: { sizeBytes: expect.any(Number) } });
  });

  it("just under the limit passes", async () => {
    const s = raw();
    await connected(s);
    const before = relay.calls["blob"]!;
    s.emit("blob", { data: "x".repeat(LIMIT - 100) });
    await expect.poll(() => relay.calls["blob"]! - before).toBe(1);
    expect(s.connected).toBe(true);
  });

  it("the client SDK: the pending call rejects with PAYLOAD_TOO_LARGE, and on.disconnect gets it as the notice", async () => {
    const c = client();
    await c.ready();
    const notice = new Promise<[string, IocontractError | undefined]>((resolve) =>
      c.on.disconnect((reason, n) => resolve([reason, n])),
    );
    const huge: Record<string, string> = {};
    for (let i = 0; i < 15; i++) huge[`k${i}`] = "y".repeat(LIMIT / 10); // 1.5 × the limit
    const call = c.emit.settings(huge).catch((e: unknown) => e);
    const error = (await call) as IocontractError;
    expect(error).toBeInstanceOf(IocontractError);
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    const [reason, n] = await notice;
    expect(reason).toBe("io server disconnect");
    expect(n?.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("a packet over twice the limit is cut by the transport; the server and other clients carry on", async () => {
    const bystander = client();
    await bystander.ready();
    const s = raw();
    await connected(s);
    const gone = new Promise<string>((resolve) => s.once("disconnect", resolve));
    s.emit("blob", { data: "z".repeat(LIMIT * 3) });
    expect(await gone).toBe("transport close");
    expect(await bystander.emit.limited({ n: 1 })).toEqual({ n: 1 }); // its own, untouched budget
    expect(await bystander.emit.append({ stream: "bystander", seq: 1 })).toEqual({ seq: 1, runs: 1 });
  });
});

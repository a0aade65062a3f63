/** Unit tests of ./dispatch.ts with a fake host: lookup, refusals, validation, and the error policy. */
import { describe, expect, it } from "vitest";
import * as z from "zod";
import type { Socket } from "socket.io";
import { defineContract } from "../../contract";
import { resolveNamespace } from "../spec";
import { receivedError, sendableError } from "../errors";
import { IocontractError } from "../wire";
import {
  type DispatchContext,
  type DispatchHost,
  type InboundEvent,
  Dispatcher,
  holderOf,
  isClientsFault,
} from "./dispatch";
import { RateLimiter, rateLimitSlot } from "./rate-limit";

const contract = defineContract({
  name: "chat",
  version: "1.0.0",
  namespaces: {
    "/": {
      errors: { NOT_IN_ROOM: z.object({ room: z.string() }) },
      clientToServer: {
        say: { payload: z.object({ text: z.string() }), ack: z.object({ n: z.number() }) },
        ping: {},
      },
      serverToClient: {},
    },
  },
});
const spec = resolveNamespace(
  { contract, namespaces: { "/": { clientToServer: { say: "say", ping: "ping" }, serverToClient: {} } } },
  "/",
);

function setup(handler: (payload: unknown) => unknown, over: Partial<DispatchHost> = {}) {
  const reported: Array<{ error: unknown; event: string }> = [];
  const running: Array<Promise<void>> = [];
  const slot = rateLimitSlot({ perSecond: 1, burst: 1 }, 0);
  const inbound = new Map<string, InboundEvent>();
  for (const ev of spec.clientToServer) {
    inbound.set(ev.wire, {
      ...ev,
      handler,
      rateLimit: ev.wire === "ping" ? slot : undefined,
      keyPrefix: `/\0${ev.wire}\0`,
    });
  }
  const limiter = new RateLimiter([slot]);
  const ctx: DispatchContext = { take: (limit) => limiter.take(limit, 0), keyHolder: undefined };
  const host: DispatchHost = {
    spec,
    inbound,
    validateOutgoing: true,
    invalidEventBudget: undefined,
    dedupe: undefined,
    contextOf: () => ctx,
    shutdown: { draining: false, track: (work) => void running.push(work) },
    wireErrorOf: (error) => sendableError(error, spec.errors, true, () => {}),
    report: (error, info) => void reported.push({ error, event: info.event }),
    ...over,
  };
  const socket = { id: "s1", connected: true, nsp: { name: "/" } } as unknown as Socket;
  const dispatcher = new Dispatcher(host);
  /** Sends one event with an ack; resolves with the answer. */
  const ask = async (event: unknown, ...args: unknown[]): Promise<unknown> => {
    let answer: unknown;
    dispatcher.dispatch(socket, event, [...args, (a: unknown) => (answer = a)]);
    await Promise.all(running);
    return answer;
  };
  return { ask, reported, running };
}

describe("Dispatcher", () => {
  it("calls the handler with the parsed payload and answers its checked ack", async () => {
    const got: unknown[] = [];
    const { ask } = setup((p) => {
      got.push(p);
      return { n: 1 };
    });
    expect(await ask("say", { text: "hi" })).toEqual({ ok: true, data: { n: 1 } });
    expect(got).toEqual([{ text: "hi" }]);
  });

  it("answers UNKNOWN_EVENT, REQUEST_INVALID and SHUTTING_DOWN without calling the handler", async () => {
    let calls = 0;
    const { ask } = setup(() => calls++);
    expect(await ask("nope")).toEqual({
      ok: false,
      error: { code: "UNKNOWN_EVENT", message: 'chat /: unknown event "nope"' },
    });
    expect(await ask("say", { text: 1 })).toMatchObject({ ok: false, error: { code: "REQUEST_INVALID" } });
    expect(await ask("say")).toMatchObject({
      ok: false,
      error: { message: 'chat / "say": (payload): a payload is required' },
    });
    const draining = setup(() => calls++, { shutdown: { draining: true, track: () => {} } });
    expect(await draining.ask("say", { text: "hi" })).toMatchObject({ ok: false, error: { code: "SHUTTING_DOWN" } });
    expect(calls).toBe(0);
  });

  it("answers RATE_LIMITED past the event's limit, with the wait", async () => {
    const { ask } = setup(() => undefined);
    expect(await ask("ping")).toEqual({ ok: true, data: null });
    expect(await ask("ping")).toEqual({
      ok: false,
      error: {
        code: "RATE_LIMITED",
        message: 'chat / "ping": rate limit exceeded (1/s, burst 1); retry in 1000 ms',
        details: { retryAfterMs: 1000 },
      },
    });
  });

  describe("error policy", () => {
    it("an error with the contract's code and valid details travels as it is", async () => {
      const { ask, reported } = setup(() => {
        throw new IocontractError("NOT_IN_ROOM", "not in room", { details: { room: "a" } });
      });
      expect(await ask("say", { text: "x" })).toEqual({
        ok: false,
        error: { code: "NOT_IN_ROOM", message: "not in room", details: { room: "a" } },
      });
      expect(reported).toEqual([]);
    });

    it("from an async handler too; the handler is counted as running until it answers", async () => {
      const { ask, running } = setup(async () => {
        throw new IocontractError("RATE_LIMITED", "slow down");
      });
      expect(await ask("say", { text: "x" })).toEqual({
        ok: false,
        error: { code: "RATE_LIMITED", message: "slow down" },
      });
      expect(running).toHaveLength(1);
    });

    it.each([
      ["a plain Error", new Error("db password is hunter2")],
      [
        "a client's error answer passed on",
        receivedError(new IocontractError("NOT_IN_ROOM", "x", { details: { room: "a" } })),
      ],
      ["an error with invalid details", new IocontractError("NOT_IN_ROOM", "x", { details: { room: 1 } })],
      ["an error with a code the contract lacks", new IocontractError("NO_SUCH_CODE", "x")],
      ["an error with a built-in not meant for callers", new IocontractError("TIMEOUT", "x")],
    ])("%s is HANDLER_FAILED to the client, revealing nothing, and reported", async (_what, thrown) => {
      const { ask, reported } = setup(() => {
        throw thrown;
      });
      expect(await ask("say", { text: "x" })).toEqual({
        ok: false,
        error: { code: "HANDLER_FAILED", message: 'chat / "say": the handler failed' },
      });
      expect(reported).toEqual([{ error: thrown, event: "say" }]);
    });
  });

  it("an ack that does not match the contract is RESPONSE_INVALID to the client, and reported", async () => {
    const { ask, reported } = setup(() => ({ n: "one" }));
    expect(await ask("say", { text: "x" })).toEqual({
      ok: false,
      error: { code: "RESPONSE_INVALID", message: 'chat / "say": the server\'s answer did not match the contract' },
    });
    expect(reported).toHaveLength(1);
  });
});

describe("helpers", () => {
  it("only unknown, invalid and rate-limited events are the client's fault", () => {
    expect(["UNKNOWN_EVENT", "REQUEST_INVALID", "RATE_LIMITED"].every(isClientsFault)).toBe(true);
    expect(["HANDLER_FAILED", "SHUTTING_DOWN", "NOT_IN_ROOM"].some(isClientsFault)).toBe(false);
  });

  it("a client's identity in the idempotency store is its key's prefix", () => {
    expect(holderOf("abc.1f")).toBe("abc");
    expect(holderOf("a.b.c")).toBe("a.b");
    expect(holderOf("nodot")).toBe("nodot");
    expect(holderOf(".x")).toBe(".x");
  });
});

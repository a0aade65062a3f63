/** Unit tests of ./outbound.ts with fake targets: emits, a request's answer checked, and its errors. */
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { defineContract } from "../../contract";
import { resolveNamespace } from "../spec";
import { IocontractError } from "../wire";
import { sendableError } from "../errors";
import { type AckTarget, Broadcast, type EmitTarget, type Operator, Outbound } from "./outbound";
import { RequestTracker } from "./requests";

const contract = defineContract({
  name: "chat",
  version: "1.0.0",
  namespaces: {
    "/": {
      errors: { NOT_IN_ROOM: z.object({ room: z.string() }) },
      clientToServer: {},
      serverToClient: {
        reply: { payload: z.object({ text: z.string() }) },
        ask: { payload: z.object({ q: z.string() }), ack: z.object({ a: z.number() }) },
      },
    },
  },
});
const spec = resolveNamespace(
  { contract, namespaces: { "/": { clientToServer: {}, serverToClient: { reply: "reply", ask: "ask" } } } },
  "/",
);
const ask = spec.serverToClient.find((ev) => ev.wire === "ask")!;

/** A target that records emits and answers requests with `answer` (or times out when it is undefined). */
function target(answer?: unknown) {
  const sent: unknown[][] = [];
  const t: EmitTarget & AckTarget = {
    emit: (...args: unknown[]) => sent.push(args),
    timeout: (ms: number) => ({
      emit: (...args: unknown[]) => {
        const done = args.pop() as (error: unknown, raw?: unknown) => void;
        sent.push([...args, ms]);
        queueMicrotask(() => (answer === undefined ? done(new Error("timeout")) : done(null, answer)));
      },
    }),
  };
  return { t, sent };
}

describe("Outbound", () => {
  const out = new Outbound({ spec, validateOutgoing: true, validateAnswers: true });

  it("emits a valid payload; an invalid one throws REQUEST_INVALID and sends nothing", () => {
    const { t, sent } = target();
    const emit = Object.assign(Object.create(out.emitProto), { target: t }) as Record<string, (p: unknown) => void>;
    emit["reply"]!({ text: "hi" });
    expect(() => emit["reply"]!({ text: 1 })).toThrow(
      'REQUEST_INVALID: chat / "reply": cannot send: text: Invalid input: expected string, received number',
    );
    expect(sent).toEqual([["reply", { text: "hi" }]]);
  });

  it("checks a client's answer: the data, RESPONSE_INVALID, or CONTRACT_MISMATCH for what is no envelope", () => {
    expect(out.checkAnswer(ask, { ok: true, data: { a: 1 } })).toEqual({ ok: true, data: { a: 1 } });
    expect(out.checkAnswer(ask, { ok: true, data: { a: "x" } })).toMatchObject({
      ok: false,
      error: { code: "RESPONSE_INVALID" },
    });
    expect(out.checkAnswer(ask, "hello")).toMatchObject({ ok: false, error: { code: "CONTRACT_MISMATCH" } });
    const declared = { code: "NOT_IN_ROOM", message: "m", details: { room: "a" } };
    expect(out.checkAnswer(ask, { ok: false, error: declared })).toEqual({ ok: false, error: declared });
  });

  it("an error answer keeps the one rule (a declared code with valid details, or the client runtime's own codes)", () => {
    const bad = (error: object) =>
      out.checkAnswer(ask, { ok: false, error: { message: "m", ...error } }) as {
        ok: false;
        error: { message: string };
      };
    expect(bad({ code: "MADE_UP" })).toEqual({
      ok: false,
      error: {
        code: "RESPONSE_INVALID",
        message: 'chat / "ask": the client\'s error answer: error code "MADE_UP" is not in the contract',
      },
    });
    expect(bad({ code: "NOT_IN_ROOM", details: { room: 1 } }).error).toMatchObject({
      code: "RESPONSE_INVALID",
      message: expect.stringContaining("details of error NOT_IN_ROOM are invalid: room: Invalid input"),
    });
    expect(bad({ code: "X".repeat(100_000) }).error.message.length).toBeLessThan(200); // a peer's code is clipped
    for (const code of ["UNKNOWN_EVENT", "REQUEST_INVALID", "RESPONSE_INVALID", "HANDLER_FAILED"])
      expect(bad({ code })).toEqual({ ok: false, error: { code, message: "m" } });
    // Not the server's own caller codes: a client has no business answering SHUTTING_DOWN.
    expect(bad({ code: "SHUTTING_DOWN" }).error).toMatchObject({ code: "RESPONSE_INVALID" });
    // The control: with validateAnswers off, the answer passes as it came.
    const trusting = new Outbound({ spec, validateOutgoing: true, validateAnswers: false });
    expect(trusting.checkAnswer(ask, { ok: false, error: { code: "MADE_UP", message: "m" } })).toEqual({
      ok: false,
      error: { code: "MADE_UP", message: "m" },
    });
  });

  it("one socket's error answer rejects with it, marked as received (never passed on by a handler)", async () => {
    const { t, sent } = target({ ok: false, error: { code: "NOT_IN_ROOM", message: "m", details: { room: "a" } } });
    const error = (await out
      .requestOne(t, undefined, ask, { q: "?" }, { timeoutMs: 50 }, undefined)
      .catch((e: unknown) => e)) as IocontractError;
    expect(sent).toEqual([["ask", { q: "?" }, 50]]);
    expect(error.toWire()).toEqual({ code: "NOT_IN_ROOM", message: "m", details: { room: "a" } });
    expect(sendableError(error, spec.errors, true, () => {})).toBeUndefined();
    expect(
      sendableError(new IocontractError("NOT_IN_ROOM", "m", { details: { room: "a" } }), spec.errors, true, () => {}),
    ).toBeDefined(); // the control
  });

  it("a request to a connection that is gone rejects DISCONNECTED at once; no answer in time is TIMEOUT", async () => {
    const gone = new RequestTracker();
    gone.abortAll();
    const { t, sent } = target({ ok: true, data: { a: 1 } });
    expect(
      (
        (await out
          .requestOne(t, undefined, ask, { q: "?" }, undefined, gone)
          .catch((e: unknown) => e)) as IocontractError
      ).code,
    ).toBe("DISCONNECTED");
    expect(sent).toEqual([]);
    const silent = target();
    expect(
      (
        (await out
          .requestOne(silent.t, undefined, ask, { q: "?" }, undefined, undefined)
          .catch((e: unknown) => e)) as IocontractError
      ).message,
    ).toBe('TIMEOUT: chat / "ask": no answer within 10000 ms');
  });

  it("a Broadcast narrows its selection and emits through the namespace's methods", () => {
    const calls: string[] = [];
    const op: Operator = {
      emit: (event: string, ...args: unknown[]) => calls.push(`emit ${event} ${JSON.stringify(args)}`),
      timeout: () => ({ emit: () => true }),
      to: (room) => {
        calls.push(`to ${String(room)}`);
        return op;
      },
      except: (room) => {
        calls.push(`except ${String(room)}`);
        return op;
      },
    };
    (new Broadcast(out, op).to("r").except("s").emit as Record<string, (p: unknown) => void>)["reply"]!({ text: "x" });
    expect(calls).toEqual(["to r", "except s", 'emit reply [{"text":"x"}]']);
  });
});

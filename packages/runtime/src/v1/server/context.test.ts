/** Unit tests of ./context.ts with a fake socket: what `connect` sends waits for the CONNECT packet; the session. */
import { describe, expect, it } from "vitest";
import * as z from "zod";
import type { Namespace, Socket } from "socket.io";
import { defineContract } from "../../contract";
import { resolveNamespace } from "../spec";
import { Context, contextOf } from "./context";
import { Outbound } from "./outbound";

const contract = defineContract({
  name: "chat",
  version: "1.0.0",
  namespaces: {
    "/": {
      socketData: z.object({ user: z.string() }),
      clientToServer: {},
      serverToClient: { hello: { payload: z.object({ n: z.number() }) } },
    },
  },
});
const spec = resolveNamespace(
  { contract, namespaces: { "/": { clientToServer: {}, serverToClient: { hello: "hello" } } } },
  "/",
);

function setup() {
  const sent: unknown[][] = [];
  const socket = {
    id: "s1",
    data: {},
    handshake: { query: { iocontract: "chat@1.0.0" }, headers: {}, auth: {} },
    emit: (...args: unknown[]) => sent.push(args),
  };
  const host = {
    spec,
    nsp: {} as Namespace,
    outbound: new Outbound({ spec, validateOutgoing: true, validateAnswers: true }),
    rateLimits: [],
  };
  const ctx = new Context(host, socket as unknown as Socket, { token: "t" });
  return { ctx, sent, socket };
}

describe("Context", () => {
  it("hangs itself on its socket", () => {
    const { ctx, socket } = setup();
    expect(contextOf(socket as unknown as Socket)).toBe(ctx);
    expect(ctx.handshake).toMatchObject({ auth: { token: "t" }, contractVersion: "1.0.0" });
  });

  it("what connect sends waits until the client is connected, then goes in order; later sends go at once", () => {
    const { ctx, sent } = setup();
    const emit = ctx.emit as Record<string, (p: unknown) => void>;
    emit["hello"]!({ n: 1 });
    emit["hello"]!({ n: 2 });
    expect(sent).toEqual([]);
    ctx.flush();
    expect(sent).toEqual([
      ["hello", { n: 1 }],
      ["hello", { n: 2 }],
    ]);
    (ctx.emit as Record<string, (p: unknown) => void>)["hello"]!({ n: 3 });
    expect(sent.at(-1)).toEqual(["hello", { n: 3 }]);
  });

  it("the session is validated against the contract; none until set", () => {
    const { ctx } = setup();
    expect(ctx.session).toBeUndefined();
    expect(() => ctx.setSession({ user: 1 })).toThrow(
      "REQUEST_INVALID: chat /: session data invalid: user: Invalid input: expected string, received number",
    );
    ctx.setSession({ user: "ada" });
    expect(ctx.session).toEqual({ user: "ada" });
  });

  it("ctx.error makes the error a handler throws: the code, the details, the code in words", () => {
    const { ctx } = setup();
    expect(ctx.error("NOT_IN_ROOM", { room: "a" }).toWire()).toEqual({
      code: "NOT_IN_ROOM",
      message: "not in room",
      details: { room: "a" },
    });
    expect(ctx.refuse("UNAUTHORIZED").toWire()).toEqual({ code: "UNAUTHORIZED", message: "connection refused" });
  });
});

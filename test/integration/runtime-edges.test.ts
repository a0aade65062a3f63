/**
 * Edges of the runtime, driven directly (an inline contract and its spec table, as generated code passes them):
 * schemas that throw, `undefined` payloads and acks, error hygiene, capped issues, requests cut by a disconnect,
 * the order of what `connect` sends, and connection-state recovery.
 */
import type { Namespace } from "socket.io";
import { io as rawIo, type Socket as RawSocket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineContract } from "@iocontract/runtime/contract";
import { type ClientOptions, createClient } from "@iocontract/runtime/v1/client";
import {
  type ContractError,
  IocontractError,
  type RuntimeServer,
  type RuntimeSpec,
  createServer,
} from "@iocontract/runtime/v1/server";
import { sleep } from "../support/events";

const contract = defineContract({
  name: "edges",
  version: "1.0.0",
  namespaces: {
    "/": {
      errors: { BAD: z.object({ why: z.string() }) },
      clientToServer: {
        parse: { payload: z.string().transform((s) => JSON.parse(s) as unknown), ack: z.object({ ok: z.boolean() }) },
        maybe: { payload: z.string().optional(), ack: z.string().optional() },
        numbers: { payload: z.array(z.number()) },
        internal: {
          payload: z.enum(["bad-emit", "bad-session", "bad-details", "request-invalid", "pass-on", "own-error"]),
          ack: z.object({}),
        },
        ask: { ack: z.object({ answer: z.string() }) },
      },
      serverToClient: {
        ping: { payload: z.object({ n: z.number() }) },
        question: { payload: z.string(), ack: z.string().transform((s) => JSON.parse(s) as unknown) },
        optional: { payload: z.string().optional() },
        "slow question": { ack: z.string(), timeoutMs: 5000 },
      },
      socketData: z.object({ n: z.number() }),
    },
  },
});

const spec: RuntimeSpec = {
  contract,
  namespaces: {
    "/": {
      clientToServer: { parse: "parse", maybe: "maybe", numbers: "numbers", internal: "internal", ask: "ask" },
      serverToClient: { ping: "ping", question: "question", optional: "optional", "slow question": "slowQuestion" },
    },
  },
};

type Ctx = {
  sid: string;
  emit: Record<string, (p?: unknown) => void>;
  request: Record<string, (p?: unknown, o?: unknown) => Promise<unknown>>;
  setSession(v: unknown): void;
  session: unknown;
  error(code: string, details: unknown, message?: string): ContractError;
};

const reported: Array<{ error: unknown; event: string }> = [];
const received: unknown[] = [];
let pendingAsk: Promise<unknown> | undefined;
const handlers = {
  connect(ctx: Ctx) {
    ctx.emit["ping"]!({ n: 1 });
  },
  parse: (value: unknown) => {
    received.push(value);
    return { ok: true };
  },
  maybe: (value: string | undefined) => {
    received.push(value);
    return value;
  },
  numbers: (value: number[]) => {
    received.push(value);
  },
  internal: (how: string, ctx: Ctx) => {
    if (how === "bad-emit") ctx.emit["ping"]!({ n: "one" });
    if (how === "bad-session") ctx.setSession({ n: "x" });
    if (how === "bad-details") throw ctx.error("BAD", { why: 42 });
    if (how === "request-invalid") throw new IocontractError("REQUEST_INVALID", "internal detail: table users");
    // A client's error answer to the handler's own request, not caught: not the caller's to receive.
    if (how === "pass-on") return ctx.request["question"]!("q?").then(() => ({}));
    if (how === "own-error") throw new IocontractError("BAD", "made here", { details: { why: "x" } });
    return {};
  },
  ask: (ctx: Ctx) => {
    pendingAsk = ctx.request["slowQuestion"]!().catch((e: unknown) => e);
    return { answer: "asked" };
  },
};

let server: RuntimeServer;
let url: string;
const open: Array<{ disconnect(): unknown }> = [];

function raw(options: Parameters<typeof rawIo>[1] = {}): Promise<RawSocket> {
  const socket = rawIo(url, { transports: ["websocket"], ...options });
  open.push(socket);
  return new Promise((resolve) => socket.once("connect", () => resolve(socket)));
}

beforeAll(async () => {
  server = createServer(spec, {
    handlers: { "/": handlers },
    onError: (error, info) => reported.push({ error, event: info.event }),
    socketio: { connectionStateRecovery: { maxDisconnectionDuration: 5000 } },
  });
  url = `http://127.0.0.1:${(await server.listen(0)).port}`;
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
  reported.length = 0;
  received.length = 0;
});
afterAll(async () => {
  await server.close();
});

/** The root namespace's API, seen with the shape generated interfaces give it. */
const root = () =>
  server.namespaces["/"] as unknown as {
    emit: Record<string, (payload?: unknown) => void>;
    socket(sid: string): { request: Record<string, (payload?: unknown) => Promise<unknown>> };
    nsp: Namespace;
  };

describe("schemas that throw", () => {
  it("a payload whose transform throws is REQUEST_INVALID, reaches no handler, and is not logged as a server failure", async () => {
    const socket = await raw();
    const answer = await socket.timeout(2000).emitWithAck("parse", "{not json");
    expect(answer).toEqual({
      ok: false,
      error: {
        code: "REQUEST_INVALID",
        message: 'edges / "parse": (payload): Invalid input: the contract\'s check failed on this value',
        details: { issues: [{ path: [], message: "Invalid input: the contract's check failed on this value" }] },
      },
    });
    expect(received).toEqual([]);
    expect(reported).toEqual([]);
    expect(await socket.timeout(2000).emitWithAck("parse", '{"a":1}')).toEqual({ ok: true, data: { ok: true } });
    expect(received).toEqual([{ a: 1 }]);
  });

  it("an answer whose ack schema throws rejects the request; the server keeps running", async () => {
    const socket = await raw();
    socket.on("question", (_q: string, ack: (a: unknown) => void) => ack({ ok: true, data: "{broken" }));
    const error = (await root().socket(socket.id!).request["question"]!("q?").catch(
      (e: unknown) => e,
    )) as IocontractError;
    expect(error.code).toBe("RESPONSE_INVALID");
    expect(await socket.timeout(2000).emitWithAck("maybe", "still here")).toEqual({ ok: true, data: "still here" });
  });
});

describe("undefined on the wire", () => {
  it("an undefined payload travels as no argument, and an undefined ack as { ok: true }", async () => {
    const client = createClient(spec, "/", url, { socket: { transports: ["websocket"] } } satisfies ClientOptions);
    open.push(client);
    await client.ready();
    const emit = client.emit as Record<string, (p?: unknown) => Promise<unknown>>;
    expect(await emit["maybe"]!(undefined)).toBeUndefined();
    expect(await emit["maybe"]!("x")).toBe("x");
    expect(received).toEqual([undefined, "x"]);
    const got: unknown[] = [];
    (client.on as Record<string, (l: (p: unknown) => void) => void>)["optional"]!((p) => got.push(p));
    root().emit["optional"]!(undefined);
    root().emit["optional"]!("y");
    await emit["maybe"]!("barrier"); // the emits travel before this answer on the same connection
    expect(got).toEqual([undefined, "y"]);
  });

  it("no argument for a payload the schema requires is 'a payload is required'", async () => {
    const socket = await raw();
    expect(await socket.timeout(2000).emitWithAck("numbers")).toMatchObject({
      ok: false,
      error: { message: 'edges / "numbers": (payload): a payload is required' },
    });
  });
});

describe("error hygiene", () => {
  it.each(["bad-emit", "bad-session", "bad-details", "request-invalid"])(
    "%s: a server bug is HANDLER_FAILED to the client, with nothing internal, and reported",
    async (how) => {
      const socket = await raw();
      const answer = await socket.timeout(2000).emitWithAck("internal", how);
      expect(answer).toEqual({
        ok: false,
        error: { code: "HANDLER_FAILED", message: 'edges / "internal": the handler failed' },
      });
      expect(reported.length).toBeGreaterThanOrEqual(1);
      expect(reported.at(-1)!.event).toBe("internal");
    },
  );

  it("one error class: an IocontractError with a contract code travels; a client's error answer passed on does not", async () => {
    const socket = await raw();
    socket.on("question", (_q: string, ack: (a: unknown) => void) =>
      ack({ ok: false, error: { code: "BAD", message: "the client says no", details: { why: "c" } } }),
    );
    expect(await socket.timeout(2000).emitWithAck("internal", "own-error")).toEqual({
      ok: false,
      error: { code: "BAD", message: "made here", details: { why: "x" } },
    });
    expect(reported).toEqual([]);
    const passedOn = await socket.timeout(2000).emitWithAck("internal", "pass-on");
    expect(passedOn).toEqual({
      ok: false,
      error: { code: "HANDLER_FAILED", message: 'edges / "internal": the handler failed' },
    });
    expect(reported.map((r) => [(r.error as IocontractError).code, r.event])).toEqual([["BAD", "internal"]]);
  });

  it("issues are capped at 20, with the total, so a small request cannot buy a huge answer", async () => {
    const socket = await raw();
    const answer = (await socket.timeout(5000).emitWithAck(
      "numbers",
      Array.from({ length: 5000 }, () => "x"),
    )) as {
      error: { message: string; details: { issues: unknown[]; total: number } };
    };
    expect(answer.error.details.issues).toHaveLength(20);
    expect(answer.error.details.total).toBe(5000);
    expect(answer.error.message).toMatch(/; and 4995 more$/);
    expect(JSON.stringify(answer).length).toBeLessThan(3000);
  });
});

describe("requests and disconnects", () => {
  it("ctx.request rejects with DISCONNECTED as soon as the client goes, not after the timeout", async () => {
    const socket = await raw();
    socket.on("slow question", () => {}); // never answers
    expect(await socket.timeout(2000).emitWithAck("ask")).toEqual({ ok: true, data: { answer: "asked" } });
    const started = Date.now();
    socket.disconnect();
    const error = (await pendingAsk) as IocontractError;
    expect(error.code).toBe("DISCONNECTED");
    expect(Date.now() - started).toBeLessThan(1000); // the contract's timeout is 5000 ms
  });
});

describe("what connect sends", () => {
  it("arrives after the CONNECT packet, in that order on the wire", async () => {
    const socket = rawIo(url, { transports: ["websocket"], autoConnect: false });
    open.push(socket);
    const packets: string[] = [];
    socket.io.on("open", () =>
      socket.io.engine.on("packet", (p: { type: string; data?: unknown }) =>
        packets.push(`${p.type}:${String(p.data)}`),
      ),
    );
    socket.connect();
    await new Promise((resolve) => socket.once("ping", resolve));
    const messages = packets.filter((p) => p.startsWith("message:"));
    expect(messages[0]).toMatch(/^message:0\{"sid":/); // Socket.IO CONNECT
    expect(messages[1]).toMatch(/^message:2\["ping",\{"n":1\},"[^"]+"\]$/); // then what connect emitted (with its recovery offset)
  });
});

describe("connection-state recovery", () => {
  it("a recovered connection is admitted again (context, session, handlers) and gets what it missed", async () => {
    const client = createClient(spec, "/", url, {
      socket: { transports: ["websocket"], reconnectionDelay: 50, reconnectionDelayMax: 100 },
    });
    open.push(client);
    await client.ready();
    const socketId = client.id!;
    const pings: unknown[] = [];
    (client.on as Record<string, (l: (p: unknown) => void) => void>)["ping"]!((p) => pings.push(p));
    const liveSocket = root().nsp.sockets.get(socketId)!;
    liveSocket.conn.close(); // the network drops
    await sleep(20);
    root().emit["ping"]!({ n: 2 }); // sent while the client is away
    await new Promise((resolve) => client.socket.once("connect", () => resolve(undefined)));
    expect(client.socket.recovered).toBe(true);
    expect(client.id).toBe(socketId);
    await expect.poll(() => pings).toContainEqual({ n: 2 });
    const emit = client.emit as Record<string, (p?: unknown) => Promise<unknown>>;
    expect(await emit["maybe"]!("after recovery")).toBe("after recovery");
  });
});

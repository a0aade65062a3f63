/**
 * Who a handler's selections reach (issue 10's `ctx.to` defect): `ctx.to(room)` includes the sender when it is
 * in the room (python-socketio's `room=`), `.except(ctx.sid)` leaves it out, and `ctx.broadcast` and
 * `ctx.except(...)` always leave the sender out.
 */
import { io as rawIo, type Socket as RawSocket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineContract } from "@iocontract/runtime/contract";
import { type RuntimeServer, type RuntimeSpec, createServer } from "@iocontract/runtime/v1/server";
import { sleep } from "../support/events";

const contract = defineContract({
  name: "rooms",
  version: "1.0.0",
  namespaces: {
    "/": {
      clientToServer: {
        join: { ack: z.object({}) },
        say: { payload: z.enum(["to", "to-except-me", "broadcast", "except-room"]), ack: z.object({}) },
      },
      serverToClient: { update: { payload: z.string() } },
    },
  },
});

const spec: RuntimeSpec = {
  contract,
  namespaces: { "/": { clientToServer: { join: "join", say: "say" }, serverToClient: { update: "update" } } },
};

interface Selection {
  emit: { update(payload: string): void };
  except(room: string): Selection;
}
interface Ctx {
  sid: string;
  join(room: string): void;
  to(room: string): Selection;
  except(room: string): Selection;
  broadcast: Selection;
}

const handlers = {
  join(ctx: Ctx) {
    ctx.join("lobby");
    return {};
  },
  say(how: string, ctx: Ctx) {
    if (how === "to") ctx.to("lobby").emit.update(how);
    if (how === "to-except-me") ctx.to("lobby").except(ctx.sid).emit.update(how);
    if (how === "broadcast") ctx.broadcast.emit.update(how);
    if (how === "except-room") ctx.except("nobody-here").emit.update(how);
    return {};
  },
};

let server: RuntimeServer;
let url: string;
const open: RawSocket[] = [];

async function client(): Promise<{ socket: RawSocket; updates: string[] }> {
  const socket = rawIo(url, { transports: ["websocket"], forceNew: true });
  open.push(socket);
  const updates: string[] = [];
  socket.on("update", (text: string) => updates.push(text));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, updates };
}

beforeAll(async () => {
  server = createServer(spec, { handlers: { "/": handlers } });
  url = `http://127.0.0.1:${(await server.listen(0)).port}`;
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(async () => {
  await server.close();
});

describe("ctx.to(room) and the sender", () => {
  it("a lone client in a room receives its own update through ctx.to", async () => {
    const alice = await client();
    await alice.socket.timeout(2000).emitWithAck("join");
    await alice.socket.timeout(2000).emitWithAck("say", "to");
    await sleep(100);
    expect(alice.updates).toEqual(["to"]);
  });

  it("ctx.to(room) reaches everyone in the room, sender included; .except(ctx.sid) leaves the sender out", async () => {
    const alice = await client();
    const bob = await client();
    const outsider = await client();
    await alice.socket.timeout(2000).emitWithAck("join");
    await bob.socket.timeout(2000).emitWithAck("join");
    await alice.socket.timeout(2000).emitWithAck("say", "to");
    await alice.socket.timeout(2000).emitWithAck("say", "to-except-me");
    await sleep(100);
    expect(alice.updates).toEqual(["to"]);
    expect(bob.updates).toEqual(["to", "to-except-me"]);
    expect(outsider.updates).toEqual([]);
  });

  it("ctx.broadcast and ctx.except(...) never reach the sender", async () => {
    const alice = await client();
    const bob = await client();
    await alice.socket.timeout(2000).emitWithAck("say", "broadcast");
    await alice.socket.timeout(2000).emitWithAck("say", "except-room");
    await sleep(100);
    expect(alice.updates).toEqual([]);
    expect(bob.updates).toEqual(["broadcast", "except-room"]);
  });
});

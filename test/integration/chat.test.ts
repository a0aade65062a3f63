/**
 * Every row of DESIGN.md's python-socketio table, through the generated client SDK against the generated
 * server running the example app's handlers, on 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ChatClient, IocontractError, createChatAdminClient, createChatClient } from "@iocontract/chat-client-sdk";
import { type RunningChat, startChat } from "../support/example-chat";
import { collect, next, sleep } from "../support/events";

let chat: RunningChat;
const clients: Array<{ disconnect(): unknown }> = [];

function client(name?: string): ChatClient {
  const c = createChatClient(chat.url, {
    ...(name === undefined ? {} : { auth: { name } }),
    socket: { transports: ["websocket"] },
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  chat = await startChat();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});
afterAll(async () => {
  await chat.close();
});

describe("the python-socketio tutorial's rows", () => {
  it("connect: the handshake is typed and validated, the session is set, disconnect runs", async () => {
    const alice = client("alice");
    await alice.ready();
    expect(alice.connected).toBe(true);
    expect(chat.app.directory.names.get(alice.id!)).toBe("alice");
    const sid = alice.id!;
    alice.disconnect();
    await expect.poll(() => chat.app.directory.names.has(sid)).toBe(false);
  });

  it("a client without auth (as the tutorial's Python client) connects as a guest", async () => {
    const guest = client();
    await guest.ready();
    expect(chat.app.directory.names.get(guest.id!)).toMatch(/^guest-/);
  });

  it("my custom event: the handler runs and answers the sender", async () => {
    const alice = client("alice");
    await alice.ready();
    const reply = next(alice.on.myReply);
    alice.emit.myCustomEvent({ data: "hello" });
    expect(await reply).toMatchObject({ data: "you said: hello", from: "server" });
  });

  it("chat / exit_chat / my message: a room, skipping the sender, acked", async () => {
    const alice = client("alice");
    const bob = client("bob");
    const carol = client("carol");
    await Promise.all([alice.ready(), bob.ready(), carol.ready()]);
    alice.emit.chat();
    bob.emit.chat();
    await Promise.all([alice.emit.myRooms(), bob.emit.myRooms()]); // a round trip each: both joins are done
    const aliceGot = collect(alice.on.myReply);
    const carolGot = collect(carol.on.myReply);
    const bobGets = next(bob.on.myReply);
    const ack = await alice.emit.myMessage({ data: "hi room" });
    expect(ack).toEqual({ delivered: 1 });
    expect(await bobGets).toMatchObject({ data: "hi room", from: "alice" });
    await sleep(50);
    expect(aliceGot).toEqual([]); // skip_sid
    expect(carolGot).toEqual([]); // not in the room

    bob.emit.exitChat();
    await bob.emit.myRooms();
    const bobAfter = collect(bob.on.myReply);
    expect(await alice.emit.myMessage({ data: "anyone?" })).toEqual({ delivered: 0 });
    await sleep(50);
    expect(bobAfter).toEqual([]);
  });

  it("rooms(sid): from a handler and from the server; enter_room / leave_room from outside any handler", async () => {
    const alice = client("alice");
    await alice.ready();
    expect((await alice.emit.myRooms()).rooms).toEqual([alice.id]);
    await chat.app.server.enterRoom(alice.id!, "vip");
    expect(new Set(await chat.app.server.rooms(alice.id!))).toEqual(new Set([alice.id, "vip"]));
    await chat.app.server.leaveRoom(alice.id!, "vip");
    expect(await chat.app.server.rooms(alice.id!)).toEqual([alice.id]);
    expect(await chat.app.server.rooms("no-such-sid")).toEqual([]);
  });

  it("emit to all, to one client (room=sid), and send() / message", async () => {
    const alice = client("alice");
    const bob = client("bob");
    await Promise.all([alice.ready(), bob.ready()]);
    const both = Promise.all([next(alice.on.myReply), next(bob.on.myReply)]);
    chat.app.server.emit.myReply({ data: "to everyone", from: "server", at: 1 });
    expect((await both).map((r) => r.data)).toEqual(["to everyone", "to everyone"]);

    const bobGot = collect(bob.on.message);
    const aliceMessage = next(alice.on.message);
    chat.app.server.to(alice.id!).emit.message({ data: "to alice" });
    expect(await aliceMessage).toEqual({ data: "to alice" });

    const sent = next(alice.on.message);
    chat.app.server.send({ data: "sent to alice" }, { to: alice.id! });
    expect(await sent).toEqual({ data: "sent to alice" });
    await sleep(50);
    expect(bobGot).toEqual([]);

    const everyone = Promise.all([next(alice.on.message), next(bob.on.message)]);
    chat.app.server.send({ data: "to all" });
    expect(await everyone).toEqual([{ data: "to all" }, { data: "to all" }]);
  });

  it("a fire-and-forget event that fails in the handler tells the sender, naming the event", async () => {
    const alice = client("alice");
    await alice.ready();
    const error = next(alice.on.eventError);
    alice.emit.exitChat(); // not in chat_users: the handler throws NOT_IN_ROOM
    const e = await error;
    expect(e).toBeInstanceOf(IocontractError);
    expect(e.code).toBe("NOT_IN_ROOM");
    expect(e.event).toBe("exit_chat");
    expect(e.details).toEqual({ room: "chat_users" });
  });

  it("an acked event rejects with the contract's typed error", async () => {
    const alice = client("alice");
    await alice.ready();
    const error = await alice.emit.myMessage({ data: "not in the room yet" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IocontractError);
    expect((error as IocontractError).code).toBe("NOT_IN_ROOM");
    expect((error as IocontractError).message).toBe("NOT_IN_ROOM: join chat_users first");
  });

  it("the client validates before sending: an invalid payload never leaves", async () => {
    const alice = client("alice");
    await alice.ready();
    expect(() => alice.emit.myCustomEvent({ data: "" })).toThrowError(
      /^REQUEST_INVALID: chat \/ "my custom event": data: Too small/,
    );
    const rejected = await alice.emit.myMessage({ data: "x".repeat(2001) }).catch((e: unknown) => e);
    expect((rejected as IocontractError).code).toBe("REQUEST_INVALID");
    expect((rejected as IocontractError).details).toMatchObject({ issues: [{ path: ["data"] }] });
  });

  it("refusal: the connect handler's typed reason reaches the client's connect error", async () => {
    const first = client("dora");
    await first.ready();
    const second = client("Dora");
    const error = await second.ready().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IocontractError);
    expect((error as IocontractError).code).toBe("NAME_TAKEN");
    expect((error as IocontractError).details).toEqual({ name: "Dora" });
  });

  it("an auth payload that breaks the contract never leaves the client", () => {
    // The server refuses invalid auth too (UNAUTHORIZED): see the raw client in game.test.ts.
    expect(() => createChatClient(chat.url, { auth: { name: "" }, autoConnect: false })).toThrowError(
      /REQUEST_INVALID: chat \/: handshake auth invalid: name/,
    );
  });

  it("server→client requests: one socket answers its typed ack; a room answers an array", async () => {
    const alice = client("alice");
    const bob = client("bob");
    alice.handle.areYouThere(({ at }) => ({ at }));
    bob.handle.areYouThere(async ({ at }) => ({ at: at + 1 }));
    await Promise.all([alice.ready(), bob.ready()]);
    expect(await chat.app.server.socket(alice.id!).request.areYouThere({ at: 41 })).toEqual({ at: 41 });
    await chat.app.server.enterRoom(alice.id!, "pingers");
    await chat.app.server.enterRoom(bob.id!, "pingers");
    const answers = await chat.app.server.to("pingers").request.areYouThere({ at: 10 });
    expect(answers.map((a) => (a.ok ? a.data.at : -1)).sort()).toEqual([10, 11]);
  });

  it("an answerer refuses with a typed contract error (client.error), which the server's request rejects with", async () => {
    const alice = client("alice");
    alice.handle.areYouThere(({ at }) => {
      if (at < 0) throw alice.error("NOT_IN_ROOM", { room: "pingers" });
      return { at };
    });
    await alice.ready();
    const refused = await chat.app.server
      .socket(alice.id!)
      .request.areYouThere({ at: -1 })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IocontractError);
    expect((refused as IocontractError).toWire()).toEqual({
      code: "NOT_IN_ROOM",
      message: "NOT_IN_ROOM",
      details: { room: "pingers" },
    });
    expect(await chat.app.server.socket(alice.id!).request.areYouThere({ at: 2 })).toEqual({ at: 2 }); // the control
  });

  it("an error answer outside the contract (undeclared code, invalid details) reaches the caller as RESPONSE_INVALID", async () => {
    const alice = client("alice");
    alice.handle.areYouThere(({ at }) => {
      if (at === -1) throw new IocontractError("NOT_DECLARED", "made up"); // a code the contract does not declare
      if (at === -2) throw alice.error("NOT_IN_ROOM", { room: 7 } as never); // details not the code's schema
      if (at === -3) throw new Error("boom"); // the client runtime's own HANDLER_FAILED: a built-in it may send
      throw alice.error("NOT_IN_ROOM", { room: "pingers" }); // the control: declared, valid details
    });
    await alice.ready();
    const ask = (at: number) =>
      chat.app.server
        .socket(alice.id!)
        .request.areYouThere({ at })
        .then(
          () => undefined,
          (e: unknown) => (e as IocontractError).toWire(),
        );
    expect(await ask(-1)).toEqual({
      code: "RESPONSE_INVALID",
      message: 'chat / "are you there": the client\'s error answer: error code "NOT_DECLARED" is not in the contract',
    });
    expect(await ask(-2)).toMatchObject({
      code: "RESPONSE_INVALID",
      message: expect.stringContaining("details of error NOT_IN_ROOM are invalid: room:"),
    });
    expect(await ask(-3)).toMatchObject({ code: "HANDLER_FAILED" });
    expect(await ask(-4)).toEqual({ code: "NOT_IN_ROOM", message: "NOT_IN_ROOM", details: { room: "pingers" } });
  });

  it("server→client requests time out with TIMEOUT, and a missing socket is DISCONNECTED", async () => {
    const alice = client("alice");
    alice.handle.areYouThere(() => new Promise<{ at: number }>(() => {})); // never answers
    await alice.ready();
    const timedOut = await chat.app.server
      .socket(alice.id!)
      .request.areYouThere({ at: 1 }, { timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect((timedOut as IocontractError).code).toBe("TIMEOUT");
    const missing = await chat.app.server
      .socket("nobody")
      .request.areYouThere({ at: 1 })
      .catch((e: unknown) => e);
    expect((missing as IocontractError).code).toBe("DISCONNECTED");
  });

  it("a second namespace with its own auth, events and acks", async () => {
    const refused = createChatAdminClient(chat.url, {
      auth: { token: "wrong" },
      socket: { transports: ["websocket"] },
    });
    clients.push(refused);
    const error = await refused.ready().catch((e: unknown) => e);
    expect((error as IocontractError).code).toBe("UNAUTHORIZED");

    const admin = createChatAdminClient(chat.url, {
      auth: { token: "test-admin" },
      socket: { transports: ["websocket"] },
    });
    clients.push(admin);
    await admin.ready();
    const joined = next(admin.on.userJoined);
    const alice = client("alice");
    await alice.ready();
    expect(await joined).toEqual({ sid: alice.id, user: "alice" });
    alice.emit.chat();
    await alice.emit.myRooms();
    expect(await admin.emit.stats()).toEqual({ connected: 1, chatUsers: 1 });
    const announced = next(alice.on.message);
    expect(await admin.emit.announce({ text: "maintenance at noon" })).toEqual({ recipients: 1 });
    expect(await announced).toEqual({ data: "[announcement] maintenance at noon" });
  });
});

/**
 * The generated client SDK against a python-socketio server (Debian's python3-socketio 5.7, aiohttp):
 * test/peers/python/chat_server.py implements the chat contract the tutorial's way, following docs/protocol.md,
 * and the SDK runs the chat flow against it: typed events, acks, errors, the second namespace, refusals.
 */
import path from "node:path";
import {
  type ChatAdminClient,
  type ChatClient,
  type Reply,
  createChatAdminClient,
  createChatClient,
} from "@iocontract/chat-client-sdk";
import { toConnectError } from "@iocontract/runtime/v1/client";
import { io as rawIo } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { collect, next } from "../support/events";
import { peer } from "../support/peers";
import { ADMIN_TOKEN, type JsonLinesProcess, startPythonServer } from "./lib/peer-chat";
import { REPO } from "../support/paths";

const python = peer("python-socketio");
const SCRIPT = path.join(REPO, "test/peers/python/chat_server.py");
const SOCKET = { transports: ["websocket" as const], reconnection: false };

describe.skipIf(!python.available)("the generated client SDK against a python-socketio server", () => {
  let server: JsonLinesProcess;
  let url: string;
  const clients: Array<ChatClient | ChatAdminClient> = [];

  const chatClient = (name: string | undefined, polling = false): ChatClient => {
    const client = createChatClient(url, {
      ...(name === undefined ? {} : { auth: { name } }),
      socket: polling ? { reconnection: false } : SOCKET,
    });
    clients.push(client);
    return client;
  };
  const adminClient = (auth: { token: string }): ChatAdminClient => {
    const client = createChatAdminClient(url, { auth, socket: SOCKET });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    ({ server, url } = await startPythonServer(python.path, [SCRIPT, "0", ADMIN_TOKEN], { timeoutMs: 150_000 }));
  }, 30_000);

  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  afterAll(async () => {
    expect(await server.stop(), server.stderr).toBe(0);
    expect(server.all("stopped")).toHaveLength(1);
  });

  it("runs the chat flow: custom event, join, my message to the others only, leave, errors, requests", async () => {
    const alice = chatClient("ts-alice");
    const bob = chatClient(undefined, true); // no auth, polling then upgrade: the tutorial's plain connect
    const aliceReplies: Reply[] = [];
    const bobReplies: Reply[] = [];
    alice.on.myReply((reply) => aliceReplies.push(reply));
    bob.on.myReply((reply) => bobReplies.push(reply));
    alice.handle.areYouThere(({ at }) => ({ at }));
    bob.handle.areYouThere(({ at }) => ({ at: at + 1 }));
    await Promise.all([alice.ready(), bob.ready()]);

    // my custom event -> my reply to the sender
    const custom = next(alice.on.myReply);
    alice.emit.myCustomEvent({ data: "hello" });
    expect(await custom).toMatchObject({ data: "you said: hello", from: "server" });

    // chat: both join; the Python server asks each "are you there" and gets envelopes back
    alice.emit.chat();
    bob.emit.chat();
    expect((await alice.emit.myRooms()).rooms).toEqual(expect.arrayContaining([alice.id, "chat_users"]));
    expect((await bob.emit.myRooms()).rooms).toEqual(expect.arrayContaining([bob.id, "chat_users"]));
    const asked = async (sid: string | undefined) =>
      (await waitFor(() => server.all("are you there").find((l) => l["sid"] === sid)))["answer"];
    expect(await asked(alice.id)).toEqual({ ok: true, data: { at: 42 } });
    expect(await asked(bob.id)).toEqual({ ok: true, data: { at: 43 } });

    // my message -> my reply to the others only (bob's answer to alice is the barrier)
    const bobGets = next(bob.on.myReply);
    expect(await alice.emit.myMessage({ data: "hi bob" })).toEqual({ delivered: 1 });
    expect(await bobGets).toMatchObject({ data: "hi bob", from: "ts-alice" });
    const aliceGets = next(alice.on.myReply);
    expect(await bob.emit.myMessage({ data: "hi alice" })).toEqual({ delivered: 1 });
    expect(await aliceGets).toMatchObject({ data: "hi alice", from: `guest-${bob.id!.slice(0, 5)}` });
    expect(aliceReplies.map((r) => r.data)).toEqual(["you said: hello", "hi alice"]);

    // exit_chat: bob leaves and stops receiving (his own custom event is the barrier)
    bob.emit.exitChat();
    expect((await bob.emit.myRooms()).rooms).toEqual([bob.id]);
    expect(await alice.emit.myMessage({ data: "after bob left" })).toEqual({ delivered: 0 });
    const barrier = next(bob.on.myReply);
    bob.emit.myCustomEvent({ data: "barrier" });
    expect(await barrier).toMatchObject({ data: "you said: barrier" });
    expect(bobReplies.map((r) => r.data)).toEqual(["hi bob", "you said: barrier"]);

    // the contract's own error: through iocontract:error (fire-and-forget) and as a typed rejection (ack)
    const notInRoom = next(bob.on.eventError);
    bob.emit.exitChat();
    expect(await notInRoom).toMatchObject({ code: "NOT_IN_ROOM", event: "exit_chat", details: { room: "chat_users" } });
    await expect(bob.emit.myMessage({ data: "anyone?" })).rejects.toMatchObject({
      code: "NOT_IN_ROOM",
      event: "my message",
      details: { room: "chat_users" },
    });
  });

  it("reports the Python server's validation errors, typed (raw emits get past the SDK's own checks)", async () => {
    const alice = chatClient("ts-validate");
    await alice.ready();
    // The SDK never sends an invalid payload...
    expect(() => alice.emit.myCustomEvent({ data: "" })).toThrow(expect.objectContaining({ code: "REQUEST_INVALID" }));
    // ...so the raw socket does, to see the server's side.
    const invalid = next(alice.on.eventError);
    alice.socket.emit("my custom event", { data: "" });
    expect(await invalid).toMatchObject({
      code: "REQUEST_INVALID",
      event: "my custom event",
      details: { issues: [{ path: ["data"] }] },
    });
    const unknown = next(alice.on.eventError);
    (alice.socket as unknown as { emit(event: string, ...args: unknown[]): void }).emit("no such event", 1);
    expect(await unknown).toMatchObject({ code: "UNKNOWN_EVENT", event: "no such event" });
    const answer = await (
      alice.socket as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> }
    ).emitWithAck("my message", { data: 42 });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: "REQUEST_INVALID", details: { issues: [{ path: ["data"] }] } },
    });
  });

  it("an idempotency key after the payload: the handler runs once, a repeated key gets the first answer", async () => {
    const alice = chatClient("ts-key-alice");
    const bob = chatClient("ts-key-bob");
    await Promise.all([alice.ready(), bob.ready()]);
    alice.emit.chat();
    bob.emit.chat();
    await Promise.all([alice.emit.myRooms(), bob.emit.myRooms()]);
    const bobReplies = collect(bob.on.myReply);
    const raw = alice.socket as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
    const key = { "iocontract:key": `k-${Date.now()}` };
    const first = await raw.emitWithAck("my message", { data: "once" }, key);
    const again = await raw.emitWithAck("my message", { data: "once" }, key);
    expect(first).toEqual({ ok: true, data: { delivered: 1 } });
    expect(again).toEqual(first);
    // barrier: bob's own custom event comes back after anything sent to him before it
    const barrier = next(bob.on.myReply);
    bob.emit.myCustomEvent({ data: "barrier" });
    await barrier;
    expect(bobReplies.map((r) => r.data)).toEqual(["once", "you said: barrier"]);
  });

  it("the /admin namespace: typed acks, events, and send() reaching every chat client as `message`", async () => {
    const admin = adminClient({ token: ADMIN_TOKEN });
    await admin.ready();
    const joined = next(admin.on.userJoined);
    const alice = chatClient("ts-admin-seen");
    await alice.ready();
    expect(await joined).toEqual({ sid: alice.id, user: "ts-admin-seen" });
    const message = next(alice.on.message);
    expect(await admin.emit.announce({ text: "hello from python" })).toEqual({ recipients: 1 });
    expect(await message).toEqual({ data: "[announcement] hello from python" });
    expect(await admin.emit.stats()).toEqual({ connected: 1, chatUsers: 0 });
    const left = next(admin.on.userLeft);
    alice.disconnect();
    expect(await left).toEqual({ sid: alice.id ?? expect.any(String), user: "ts-admin-seen" });
  });

  it("refusals arrive typed: two-argument ConnectionRefusedError keeps code and details; one argument is UNAUTHORIZED", async () => {
    const first = chatClient("ts-taken");
    await first.ready();
    await expect(chatClient("TS-TAKEN").ready()).rejects.toMatchObject({
      code: "NAME_TAKEN",
      rawMessage: 'the name "TS-TAKEN" is taken',
      details: { name: "TS-TAKEN" },
    });
    await expect(adminClient({ token: "wrong" }).ready()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      rawMessage: "wrong admin token",
    });
    // The tutorial's `raise ConnectionRefusedError("authentication failed")`: no data travels, only the message.
    const bare = createChatAdminClient(url, { socket: SOCKET }); // no token at all
    clients.push(bare);
    await expect(bare.ready()).rejects.toMatchObject({ code: "UNAUTHORIZED", rawMessage: "authentication failed" });
    // Auth the SDK would not send (socket.io-client's own option escapes its check): the Python server's UNAUTHORIZED.
    const badName = createChatClient(url, { socket: { ...SOCKET, auth: { name: "!!" } } });
    clients.push(badName);
    await expect(badName.ready()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      details: { issues: [{ path: ["name"] }] },
    });
  });

  it("a namespace the Python server does not serve: refused without data, reported as UNAUTHORIZED", async () => {
    const socket = rawIo(`${url}/nope`, SOCKET);
    const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    socket.close();
    expect(toConnectError(error)).toMatchObject({
      code: "UNAUTHORIZED",
      rawMessage: "the server refused the connection",
    });
  });

  it("no connection-state recovery on python-socketio 5.7: a reconnect is a new session", async () => {
    const alice = createChatClient(url, { auth: { name: "ts-recover" }, socket: { transports: ["websocket"] } });
    clients.push(alice);
    await alice.ready();
    alice.emit.chat();
    expect((await alice.emit.myRooms()).rooms).toContain("chat_users");
    const firstId = alice.id;
    const reconnected = next(alice.on.connect, 10_000);
    alice.socket.io.engine.close(); // drop the transport; socket.io-client reconnects by itself
    await reconnected;
    expect(alice.socket.recovered).toBeFalsy(); // python-socketio sends no pid: nothing to recover
    expect(alice.id).not.toBe(firstId);
    expect((await alice.emit.myRooms()).rooms).toEqual([alice.id]);
  });
});

async function waitFor<T>(find: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not found within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

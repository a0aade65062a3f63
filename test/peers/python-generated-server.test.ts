/**
 * The generated client SDK against the generated Python server interface (packages/python-server/chat_server) on
 * python-socketio's AsyncServer and aiohttp: examples/python/tutorial_server.py implements the chat on it. The
 * same flows as test/peers/python-server.test.ts (which runs them against a hand-written python-socketio server),
 * plus invalid auth checked by the generated attach function, and the example's TypeScript CLI client (built, as a
 * user runs it) against it. (The web page against it: test/peers/browser.test.ts.)
 */
import { spawn } from "node:child_process";
import path from "node:path";
import {
  type ChatAdminClient,
  type ChatClient,
  type Reply,
  createChatAdminClient,
  createChatClient,
} from "@iocontract/chat-client-sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { collect, next } from "../support/events";
import { peer } from "../support/peers";
import { ADMIN_TOKEN, type JsonLinesProcess, startPythonServer } from "./lib/peer-chat";
import { REPO } from "../support/paths";

const python = peer("python-socketio");
const SCRIPT = path.join(REPO, "examples/python/tutorial_server.py");
const SOCKET = { transports: ["websocket" as const], reconnection: false };
const CLI = path.join(REPO, "examples/chat/dist/cli/main.js");

describe.skipIf(!python.available)("the generated client SDK against the generated Python server interface", () => {
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
    ({ server, url } = await startPythonServer(python.path, [SCRIPT, "0", ADMIN_TOKEN], {
      timeoutMs: 150_000,
      generatedSeconds: 120,
    }));
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
    expect(await asked(alice.id)).toEqual({ at: 42 });
    expect(await asked(bob.id)).toEqual({ at: 43 });

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

  it("answers invalid and unknown events as the TypeScript server does (raw emits get past the SDK's own checks)", async () => {
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
    const twoArguments = next(alice.on.eventError);
    (alice.socket as unknown as { emit(event: string, ...args: unknown[]): void }).emit(
      "my custom event",
      { data: "a" },
      { data: "b" },
    );
    expect(await twoArguments).toMatchObject({
      code: "REQUEST_INVALID",
      event: "my custom event",
      rawMessage: expect.stringContaining("expected 1 payload argument, got 2"),
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

  it("refusals arrive typed: the handler's ChatError, and auth the generated attach function checks", async () => {
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
    // Auth the SDK would not send (socket.io-client's own option escapes its check): the Python server's UNAUTHORIZED.
    const bare = createChatAdminClient(url, { socket: SOCKET }); // no token at all
    clients.push(bare);
    await expect(bare.ready()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      details: { issues: [{ path: ["token"] }] },
    });
    const badName = createChatClient(url, { socket: { ...SOCKET, auth: { name: "" } } });
    clients.push(badName);
    await expect(badName.ready()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      rawMessage: expect.stringMatching(/^chat \/: handshake auth invalid: name: Too small/),
      details: { issues: [{ path: ["name"] }] },
    });
  });
});

describe.skipIf(!python.available)("the example's TypeScript CLI client against the Python chat server", () => {
  let server: JsonLinesProcess;
  let url: string;

  beforeAll(async () => {
    ({ server, url } = await startPythonServer(python.path, [SCRIPT, "0", ADMIN_TOKEN], {
      timeoutMs: 90_000,
      generatedSeconds: 60,
    }));
  }, 30_000);

  afterAll(async () => {
    expect(await server.stop(), server.stderr).toBe(0);
  });

  /** The CLI as a user runs it; `output.text` is its stdout and stderr as they come. */
  const runCli = (...args: string[]) => {
    const cli = spawn(process.execPath, [CLI, "--url", url, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    const output = { text: "", stderr: "" };
    cli.stdout.on("data", (chunk: Buffer) => (output.text += chunk.toString()));
    cli.stderr.on("data", (chunk: Buffer) => {
      output.text += chunk.toString();
      output.stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => cli.on("exit", resolve));
    const killer = setTimeout(() => cli.kill("SIGKILL"), 20_000);
    void exited.then(() => clearTimeout(killer));
    return { cli, output, exited };
  };
  const shows = (output: { text: string }, text: string) =>
    waitFor(() => (output.text.includes(text) ? true : undefined)).catch(() => {
      throw new Error(`no ${JSON.stringify(text)} in the CLI's output:\n${output.text}`);
    });

  it("joins, gets a Python-relayed reply, says something, lists rooms, shows local and server errors, quits", {
    timeout: 30_000,
  }, async () => {
    const { cli, output, exited } = runCli("--name", "carl");
    await shows(output, "* connected as");
    cli.stdin.write("/join\n/rooms\n");
    await shows(output, ", chat_users"); // "* rooms: <sid>, chat_users": the Python server's rooms(sid)
    const alice = createChatClient(url, { auth: { name: "alice" }, socket: SOCKET });
    await alice.ready();
    alice.emit.chat();
    await alice.emit.myRooms();
    expect(await alice.emit.myMessage({ data: "hi carl" })).toEqual({ delivered: 1 });
    await shows(output, "alice: hi carl");

    const heard = next(alice.on.myReply);
    cli.stdin.write("hello alice\n");
    expect(await heard).toMatchObject({ data: "hello alice", from: "carl" });
    await shows(output, "* delivered to 1");

    cli.stdin.write(`${"x".repeat(2001)}\n`); // refused by the CLI's generated client: nothing is sent
    await shows(output, '! REQUEST_INVALID: chat / "my message": data: Too big');
    cli.stdin.write("/leave\n/leave\n"); // the second: the Python handler's ChatError through iocontract:error
    await shows(output, "! NOT_IN_ROOM: you are not in chat_users");
    cli.stdin.write("/quit\n");
    expect(await exited).toBe(0);
    alice.disconnect();
    // the Python server asked the CLI "are you there" on /join, and the CLI's generated client answered
    expect((await waitFor(() => server.all("are you there")[0]))["answer"]).toEqual({ at: 42 });
  });

  it("a name the Python server refuses: one line naming the code, exit 1", { timeout: 30_000 }, async () => {
    const taken = createChatClient(url, { auth: { name: "dave" }, socket: SOCKET });
    await taken.ready();
    const { output, exited } = runCli("--name", "dave");
    expect(await exited).toBe(1);
    expect(output.stderr).toBe('chat-cli: NAME_TAKEN: the name "dave" is taken\n');
    taken.disconnect();
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

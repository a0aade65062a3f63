/**
 * The generated emitter (`@iocontract/chat-server-sdk/emitter`) from a process that runs no socket server (this
 * test process), over @socket.io/redis-emitter, against two chat nodes on the Redis pub/sub adapter. And the
 * example app itself (`examples/chat` main with REDIS_URL): two processes, one chat.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Emitter } from "@socket.io/redis-emitter";
import { createClient } from "redis";
import {
  type ChatAdminClient,
  type ChatClient,
  createChatAdminClient,
  createChatClient,
} from "@iocontract/chat-client-sdk";
import { type ChatEmitter, IocontractError, createChatEmitter } from "@iocontract/chat-server-sdk/emitter";
import { type RedisEmitter, createRedisEmitter } from "@iocontract/chat-server-sdk/redis";
import { collect, next } from "../support/events";
import { peer } from "../support/peers";
import { type ChatNode, startNodes } from "../support/redis-cluster";
import { type RunningRedis, startRedis } from "../support/redis-server";

const redisServer = peer("redis-server");
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

let redis: RunningRedis;
beforeAll(async () => {
  if (redisServer.available) redis = await startRedis(redisServer.path);
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

describe.skipIf(!redisServer.available)("the typed emitter, from a process without a socket server", () => {
  let nodes: ChatNode[];
  let redisEmitter: RedisEmitter;
  let emitter: ChatEmitter;
  const clients: Array<ChatClient | ChatAdminClient> = [];

  let seq = 0;
  function client(node: ChatNode, name: string): ChatClient {
    // A fresh name per client: the previous test's "alice" may still be leaving.
    const c = createChatClient(node.url, { auth: { name: `${name}-${++seq}` }, socket: { transports: ["websocket"] } });
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    nodes = await startNodes(2, { REDIS_URL: redis.url, REDIS_ADAPTER: "pubsub" });
    redisEmitter = await createRedisEmitter({ url: redis.url });
    emitter = createChatEmitter(redisEmitter.emitter);
  }, 90_000);
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });
  afterAll(async () => {
    await redisEmitter?.close();
    await Promise.all((nodes ?? []).map((n) => n.stop()));
  }, 30_000);

  it("emits to a room across nodes, minus a sid, and to a whole namespace", async () => {
    const [a, b] = nodes as [ChatNode, ChatNode];
    const alice = client(a, "alice");
    const bob = client(b, "bob");
    const outsider = client(b, "olga");
    await Promise.all([alice.ready(), bob.ready(), outsider.ready()]);
    alice.emit.chat();
    bob.emit.chat();
    await expect.poll(() => a.call<string[]>("sids", "chat_users")).toEqual(expect.arrayContaining([alice.id, bob.id]));
    const outsiderReplies = collect(outsider.on.myReply);

    const toAlice = next(alice.on.myReply);
    const toBob = next(bob.on.myReply);
    emitter.to("chat_users").emit.myReply({ data: "from a worker", from: "cron", at: 7 });
    expect(await toAlice).toEqual({ data: "from a worker", from: "cron", at: 7 });
    expect(await toBob).toEqual({ data: "from a worker", from: "cron", at: 7 });

    const onlyAlice = next(alice.on.myReply);
    const bobReplies = collect(bob.on.myReply);
    emitter.to("chat_users").except(bob.id!).emit.myReply({ data: "not bob", from: "cron", at: 8 });
    expect(await onlyAlice).toMatchObject({ data: "not bob" });

    const everyone = [alice, bob, outsider].map((c) => next(c.on.message));
    emitter.emit.message({ data: "to all of /" }); // also a round-trip barrier for the two checks below
    expect(await Promise.all(everyone)).toEqual([
      { data: "to all of /" },
      { data: "to all of /" },
      { data: "to all of /" },
    ]);
    expect(bobReplies).toEqual([]);
    expect(outsiderReplies).toEqual([]);
  });

  it("reaches another namespace with of()", async () => {
    const [a] = nodes as [ChatNode, ChatNode];
    const admin = createChatAdminClient(a.url, {
      auth: { token: "test-admin" },
      socket: { transports: ["websocket"] },
    });
    clients.push(admin);
    await admin.ready();
    const joined = next(admin.on.userJoined);
    emitter.of("/admin").emit.userJoined({ sid: "s1", user: "from the emitter" });
    expect(await joined).toEqual({ sid: "s1", user: "from the emitter" });
    expect(() => (emitter.of as (path: string) => unknown)("/nope")).toThrow(
      /contract "chat" has no namespace "\/nope" \(it has "\/", "\/admin"\)/,
    );
  });

  it("refuses an invalid payload before it leaves, naming contract, namespace, event and field", async () => {
    const [a] = nodes as [ChatNode, ChatNode];
    const alice = client(a, "alice");
    await alice.ready();
    const replies = collect(alice.on.myReply);
    let thrown: unknown;
    try {
      emitter.to(alice.id!).emit.myReply({ data: "", from: "cron", at: 1.5 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IocontractError);
    expect(thrown).toMatchObject({ code: "REQUEST_INVALID", event: "my reply" });
    expect((thrown as Error).message).toMatch(/^REQUEST_INVALID: chat \/ "my reply": cannot send: data: .*; at: /);
    expect(() => emitter.of("/admin").emit.userLeft({ sid: "s" } as never)).toThrow(
      /chat \/admin "user left": cannot send: user: /,
    );

    // Nothing left: the next (valid) emit is the first thing alice receives.
    const valid = next(alice.on.myReply);
    emitter.to(alice.id!).emit.myReply({ data: "valid", from: "cron", at: 2 });
    expect(await valid).toMatchObject({ data: "valid" });
    expect(replies).toHaveLength(1);
  });

  it("sends typed inter-server events to every node, validated", async () => {
    const [a, b] = nodes as [ChatNode, ChatNode];
    emitter.serverSideEmit.nameClaimed({ sid: "worker-sid", name: "reserved-by-worker" });
    for (const node of [a, b]) {
      await expect
        .poll(() => node.call<Record<string, string>>("remoteNames"))
        .toMatchObject({ "worker-sid": "reserved-by-worker" });
    }
    expect(() => emitter.serverSideEmit.nameReleased({ sid: 5 } as never)).toThrow(
      /chat \/ "name released": cannot send: sid: /,
    );
    emitter.serverSideEmit.nameReleased({ sid: "worker-sid" });
    await expect.poll(() => b.call<Record<string, string>>("remoteNames")).not.toHaveProperty("worker-sid");
  });

  it("the example's announce worker (another process, no socket server) reaches the chat, and refuses what the contract refuses", async () => {
    const [a, b] = nodes as [ChatNode, ChatNode];
    const alice = client(a, "alice");
    const bob = client(b, "bob");
    await Promise.all([alice.ready(), bob.ready()]);
    const heard = [alice, bob].map((c) => next(c.on.message, 15_000));
    const worker = (text: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ["--conditions=iocontract-source", "--import", "tsx", "examples/chat/src/worker/announce.ts", text],
          {
            cwd: REPO,
            env: { ...process.env, REDIS_URL: redis.url },
          },
        );
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.stderr.on("data", (c: Buffer) => (out += c.toString()));
        child.once("exit", (code) => resolve({ code, out }));
      });
    expect(await worker("maintenance at noon")).toEqual({ code: 0, out: "chat-announce: sent to everyone\n" });
    expect(await Promise.all(heard)).toEqual([
      { data: "[announcement] maintenance at noon" },
      { data: "[announcement] maintenance at noon" },
    ]);
    const tooLong = await worker("x".repeat(2001));
    expect(tooLong.code).toBe(1);
    expect(tooLong.out).toMatch(/^chat-announce: REQUEST_INVALID: chat \/ "message": cannot send: data: Too big/);
  }, 60_000);

  it("takes a @socket.io/redis-emitter Emitter made by hand", async () => {
    const [, b] = nodes as [ChatNode, ChatNode];
    const redisClient = createClient({ url: redis.url });
    await redisClient.connect();
    try {
      const own = createChatEmitter(new Emitter(redisClient));
      const bob = client(b, "bob");
      await bob.ready();
      const got = next(bob.on.message);
      own.to(bob.id!).emit.message({ data: "hand-made emitter" });
      expect(await got).toEqual({ data: "hand-made emitter" });
    } finally {
      await redisClient.close();
    }
  });
});

describe.skipIf(!redisServer.available)("the example app with REDIS_URL", () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
  });

  /** `examples/chat` main, as `npm start` runs it (from source), with PORT=0 and Redis from the environment. */
  function startExample(adapter: "pubsub" | "streams"): Promise<string> {
    const child = spawn(
      process.execPath,
      ["--conditions=iocontract-source", "--import", "tsx", "examples/chat/src/server/main.ts"],
      {
        cwd: REPO,
        env: {
          ...process.env,
          PORT: "0",
          REDIS_URL: redis.url,
          REDIS_ADAPTER: adapter,
          REDIS_KEY: `example-${adapter}`,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    children.push(child);
    let output = "";
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the example did not start:\n${output}`)), 30_000);
      child.once("exit", (code) => reject(new Error(`the example exited (${code}):\n${output}`)));
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /chat: (http:\/\/127\.0\.0\.1:\d+) .* on Redis \((\w+) adapter\)/.exec(output);
        if (match) {
          clearTimeout(timer);
          expect(match[2]).toBe(adapter);
          resolve(match[1]!);
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
    });
  }

  it.each(["pubsub", "streams"] as const)(
    "two processes of the example on the %s adapter are one chat",
    async (adapter) => {
      const [one, two] = [await startExample(adapter), await startExample(adapter)];
      const alice = createChatClient(one, { auth: { name: "alice" }, socket: { transports: ["websocket"] } });
      const bob = createChatClient(two, { auth: { name: "bob" }, socket: { transports: ["websocket"] } });
      try {
        await Promise.all([alice.ready(), bob.ready()]);
        alice.emit.chat();
        bob.emit.chat();
        await expect.poll(async () => (await bob.emit.myRooms()).rooms).toContain("chat_users");
        await expect.poll(async () => (await alice.emit.myRooms()).rooms).toContain("chat_users");
        const heard = next(bob.on.myReply);
        await expect.poll(() => alice.emit.myMessage({ data: "across processes" })).toEqual({ delivered: 1 });
        expect(await heard).toMatchObject({ data: "across processes", from: "alice" });
      } finally {
        alice.disconnect();
        bob.disconnect();
      }
    },
    90_000,
  );
});

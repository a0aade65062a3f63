/**
 * Several chat server processes on one Redis, with each official adapter: @socket.io/redis-adapter ("pubsub")
 * and @socket.io/redis-streams-adapter ("streams"). The nodes are child processes (test/redis/chat-node.ts) on
 * their own loopback ports; this file starts its own redis-server and stops everything in afterAll.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ChatClient, createChatClient } from "@iocontract/chat-client-sdk";
import { next } from "../support/events";
import { peer } from "../support/peers";
import { type ChatNode, failover, startNodes } from "../support/redis-cluster";
import { type RunningRedis, startRedis } from "../support/redis-server";

const redisServer = peer("redis-server");

// Three nodes on the pub/sub adapter, two on the streams adapter: with two, "node C" below is node B.
describe.skipIf(!redisServer.available).each([
  ["pubsub", 3],
  ["streams", 2],
] as const)("a cluster on the Redis %s adapter, %i nodes", (kind, size) => {
  let redis: RunningRedis;
  let nodes: ChatNode[];
  const clients: ChatClient[] = [];

  function client(node: ChatNode, name: string, options: { failoverTo?: readonly ChatNode[] } = {}): ChatClient {
    const c = createChatClient(node.url, {
      auth: { name },
      socket: { transports: ["websocket"], reconnectionDelay: 100, reconnectionDelayMax: 300, randomizationFactor: 0 },
    });
    if (options.failoverTo !== undefined) failover(c.socket, [node.url, ...options.failoverTo.map((n) => n.url)]);
    clients.push(c);
    return c;
  }

  const abc = (): [ChatNode, ChatNode, ChatNode] => [nodes[0]!, nodes[1]!, nodes[2] ?? nodes[1]!];

  beforeAll(async () => {
    redis = await startRedis(redisServer.path);
    nodes = await startNodes(size, { REDIS_URL: redis.url, REDIS_ADAPTER: kind });
  }, 120_000);

  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
    for (const node of nodes) node.errors.splice(0);
  });

  afterAll(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await Promise.all((nodes ?? []).map((n) => n.stop()));
    await redis?.stop();
  }, 30_000);

  it("a client on node A joins a room and receives what a client on node B says there, and a broadcast from node C", async () => {
    const [a, b, c] = abc();
    const alice = client(a, `alice-${kind}`);
    const bob = client(b, `bob-${kind}`);
    await Promise.all([alice.ready(), bob.ready()]);
    alice.emit.chat();
    bob.emit.chat();
    // The room is joined once "my rooms" answers (the handler ran); the adapter knows it on every node after that.
    await expect.poll(async () => (await alice.emit.myRooms()).rooms).toContain("chat_users");
    await expect.poll(() => c.call<string[]>("sids", "chat_users")).toEqual(expect.arrayContaining([alice.id, bob.id]));

    const fromBob = next(alice.on.myReply);
    const ack = await bob.emit.myMessage({ data: "hello from B" });
    expect(await fromBob).toMatchObject({ data: "hello from B", from: `bob-${kind}` });
    expect(ack).toEqual({ delivered: 1 }); // sids() counted alice on the other node

    const fromC = next(alice.on.myReply);
    await c.call("emitToRoom", "chat_users", { data: "from node C", from: "C", at: 1 });
    expect(await fromC).toEqual({ data: "from node C", from: "C", at: 1 });
  });

  it("rooms(sid), enterRoom and the socket list work across nodes", async () => {
    const [a, b, c] = abc();
    const alice = client(a, `alice-${kind}`);
    const bob = client(b, `bob-${kind}`);
    await Promise.all([alice.ready(), bob.ready()]);

    expect(await c.call("rooms", alice.id)).toEqual([alice.id]);
    await c.call("enterRoom", alice.id, "ops");
    await expect.poll(() => b.call<string[]>("rooms", alice.id)).toEqual(expect.arrayContaining([alice.id, "ops"]));
    expect((await alice.emit.myRooms()).rooms.sort()).toEqual([alice.id!, "ops"].sort()); // node A applied it

    const everyone = await c.call<string[]>("sids");
    expect(everyone).toEqual(expect.arrayContaining([alice.id, bob.id]));
    expect(await c.call("rooms", "no-such-sid")).toEqual([]);

    const toOne = next(bob.on.message);
    await a.call("send", { data: "only bob" }, bob.id);
    expect(await toOne).toEqual({ data: "only bob" });
  });

  it("server→client requests with acks cross nodes: one socket by sid, and a whole room", async () => {
    const [a, b, c] = abc();
    const alice = client(a, `alice-${kind}`);
    const bob = client(b, `bob-${kind}`);
    await Promise.all([alice.ready(), bob.ready()]);
    alice.handle.areYouThere(({ at }) => ({ at: at + 1 }));
    bob.handle.areYouThere(({ at }) => ({ at: at + 2 }));

    expect(await c.call("askOne", alice.id, 10)).toEqual({ at: 11 });
    alice.emit.chat();
    bob.emit.chat();
    await expect.poll(() => c.call<string[]>("sids", "chat_users")).toEqual(expect.arrayContaining([alice.id, bob.id]));
    const answers = await c.call<Array<{ ok: boolean; data: { at: number } }>>("askRoom", "chat_users", 100);
    expect(answers.map((e) => e.data.at).sort()).toEqual([101, 102]);

    // An answer that breaks the contract is caught on the asking node, whichever node the client is on.
    bob.handle.areYouThere(() => ({ at: "later" }) as never);
    await expect(a.call("askOne", bob.id, 1)).rejects.toMatchObject({ code: "RESPONSE_INVALID" });
    await expect(c.call("askOne", "gone", 1)).rejects.toMatchObject({ code: "DISCONNECTED" });
  });

  it("typed inter-server events: a name taken on node A is refused on node C; invalid ones never reach a handler", async () => {
    const [a, b, c] = abc();
    const carol = client(a, `carol-${kind}`);
    await carol.ready();
    // "name claimed" from A reached B and C through the adapter, parsed by the contract.
    await expect
      .poll(() => c.call<Record<string, string>>("remoteNames"))
      .toMatchObject({ [carol.id!]: `carol-${kind}` });
    const twin = createChatClient(c.url, {
      auth: { name: `CAROL-${kind}` },
      socket: { transports: ["websocket"], reconnection: false },
    });
    clients.push(twin);
    const refused = next(twin.on.connectError);
    expect(await refused).toMatchObject({ code: "NAME_TAKEN", details: { name: `CAROL-${kind}` } });

    // Sending: validated before it leaves; the error names contract, namespace, event and field.
    await expect(b.call("claim", { sid: "x", name: "" })).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    await expect(b.call("claim", { sid: "x", name: "" })).rejects.toThrow(
      /chat \/ "name claimed": cannot send: name: /,
    );

    // Receiving: a node (or another program) that bypasses the contract is reported, and no handler runs.
    await b.call("rawServerSideEmit", "name claimed", { sid: 42 });
    await b.call("rawServerSideEmit", "name released", { sid: "s" }, "extra");
    for (const node of nodes.filter((n) => n !== b)) {
      await expect.poll(() => node.errors.length).toBe(2);
      expect(node.errors.map((e) => [e.code, e.info.event, e.info.sid])).toEqual([
        ["REQUEST_INVALID", "name claimed", undefined],
        ["REQUEST_INVALID", "name released", undefined],
      ]);
      expect(node.errors[0]!.message).toMatch(
        /^REQUEST_INVALID: chat \/ "name claimed": received from another server: sid: Invalid input/,
      );
      expect(Object.keys(await node.call<Record<string, string>>("remoteNames"))).not.toContain("42");
    }
    expect(b.errors).toEqual([]); // socket.io's serverSideEmit does not come back to its sender
    void a;

    const carolSid = carol.id!;
    carol.disconnect(); // "name released" from A: the others forget the name
    await expect.poll(() => c.call<Record<string, string>>("remoteNames")).not.toHaveProperty(carolSid);
  });

  const recovers =
    kind === "streams"
      ? "a dropped client resumes on another node with its rooms and missed messages"
      : "not on pub/sub — a dropped client starts a new session (docs/scaling.md)";
  it(`connection-state recovery across nodes: ${recovers}`, async () => {
    const [a, b] = abc();
    const frank = client(a, `frank-${kind}`, { failoverTo: [b] });
    const grace = client(b, `grace-${kind}`);
    await Promise.all([frank.ready(), grace.ready()]);
    frank.emit.chat();
    grace.emit.chat();
    await expect
      .poll(() => b.call<string[]>("sids", "chat_users"))
      .toEqual(expect.arrayContaining([frank.id, grace.id]));
    // Recovery needs an offset: the client has one once it has received a broadcast.
    const first = next(frank.on.myReply);
    await grace.emit.myMessage({ data: "before the drop" });
    await first;
    const sid = frank.id;

    const disconnected = next(frank.on.disconnect);
    await a.call("dropTransport", sid);
    await disconnected;
    // While frank is away, grace speaks in the room: the stream keeps it for him.
    await grace.emit.myMessage({ data: "while you were away" });
    if (kind === "pubsub") {
      await next(frank.on.connect, 10_000);
      expect(frank.socket.recovered).toBe(false);
      expect(frank.id).not.toBe(sid);
      return;
    }
    const missed = next(frank.on.myReply, 10_000);
    await next(frank.on.connect, 10_000);
    expect(frank.socket.recovered).toBe(true);
    expect(frank.id).toBe(sid);
    expect(await missed).toMatchObject({ data: "while you were away" });
    expect(await b.call<Record<string, string>>("localNames")).toMatchObject({ [sid!]: `frank-${kind}` }); // on B now
    expect((await frank.emit.myRooms()).rooms).toContain("chat_users");
  }, 30_000);

  it("SIGKILL one node: its clients reconnect to another node and continue", async () => {
    const [a, b, c] = abc();
    const dave = client(a, `dave-${kind}`, { failoverTo: [b, c] });
    const erin = client(c, `erin-${kind}`);
    // Re-join on every connection: a node that died took this connection's rooms with it.
    dave.on.connect(() => dave.emit.chat());
    await Promise.all([dave.ready(), erin.ready()]);
    erin.emit.chat();
    await expect.poll(() => c.call<string[]>("sids", "chat_users")).toEqual(expect.arrayContaining([dave.id, erin.id]));
    const oldSid = dave.id;

    const reconnected = next(dave.on.connect, 15_000);
    await a.kill();
    await reconnected;
    expect(dave.id).not.toBe(oldSid);
    // B took it: A is dead and the failover list goes A → B → C. The name held on dead A is free again.
    expect(await b.call<Record<string, string>>("localNames")).toMatchObject({ [dave.id!]: `dave-${kind}` });
    await expect
      .poll(() => c.call<string[]>("sids", "chat_users"), { timeout: 10_000 })
      .toEqual(expect.arrayContaining([dave.id, erin.id]));

    const reply = next(dave.on.myReply);
    expect(await erin.emit.myMessage({ data: "still there?" })).toEqual({ delivered: 1 });
    expect(await reply).toMatchObject({ data: "still there?", from: `erin-${kind}` });
  }, 40_000);
});

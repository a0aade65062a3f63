/**
 * One chat server node, run as its own process by the Redis suites (node --conditions=iocontract-source --import
 * tsx redis-chat-node.ts). The example app's handlers on the Redis adapter named by REDIS_ADAPTER, at REDIS_URL, on a
 * free loopback port. The test drives it over the IPC channel: `{ id, op, args }` → `{ id, ok, value | error }`,
 * and receives `{ type: "error" }` for everything the server reports through onError.
 */
import { createChatApp } from "../../examples/chat/src/server/app";
import { redisNameClaims } from "../../examples/chat/src/server/redis";
import { type RedisAdapterKind, createRedisAdapter } from "@iocontract/chat-server-sdk/redis";

const kind = (process.env["REDIS_ADAPTER"] ?? "pubsub") as RedisAdapterKind;
const redis = await createRedisAdapter({
  kind,
  url: process.env["REDIS_URL"]!,
  // A dead node stops counting sooner than in production, so cross-node requests do not wait for it long.
  requestsTimeout: 2000,
  ...(kind === "streams"
    ? { adapterOptions: { heartbeatInterval: 300, heartbeatTimeout: 1200, blockTimeInMs: 1000 } }
    : {}),
});

// User names are claimed on Redis, as the example does with REDIS_URL (examples/chat/src/server/redis.ts).
const names = await redisNameClaims(process.env["REDIS_URL"]!, `chat-test-${kind}`, (error) =>
  console.error(error.message),
);

const send = (message: unknown) => process.send?.(message);
const { server, directory } = createChatApp({
  names: names.claims,
  webRoot: new URL("../../examples/chat/public", import.meta.url).pathname,
  adminToken: "test-admin",
  adapter: redis.adapter,
  socketio: { connectionStateRecovery: { maxDisconnectionDuration: 30_000 } },
  onError: (error, info) =>
    send({
      type: "error",
      message: error instanceof Error ? error.message : String(error),
      code: (error as { code?: unknown }).code,
      info,
    }),
});

type Op = (...args: never[]) => unknown;
const ops: Record<string, Op> = {
  emitToRoom: (room: string, payload: never) => server.to(room).emit.myReply(payload),
  send: (payload: never, to?: string) => server.send(payload, to === undefined ? {} : { to }),
  rooms: (sid: string) => server.rooms(sid),
  sids: (room?: string) => server.sids(room),
  enterRoom: (sid: string, room: string) => server.enterRoom(sid, room),
  askOne: (sid: string, at: number) => server.socket(sid).request.areYouThere({ at }, { timeoutMs: 3000 }),
  askRoom: (room: string, at: number) => server.to(room).request.areYouThere({ at }, { timeoutMs: 3000 }),
  claim: (payload: never) => server.serverSideEmit.nameClaimed(payload),
  /** Bypasses the contract: what an older node, or another program on the same Redis, might send. */
  rawServerSideEmit: (event: string, ...args: unknown[]) =>
    (server.io.of("/") as unknown as { serverSideEmit(e: string, ...a: unknown[]): void }).serverSideEmit(
      event,
      ...args,
    ),
  remoteNames: () => Object.fromEntries(directory.remote),
  localNames: () => Object.fromEntries(directory.names),
  /** Drops a client's transport as a network failure would (no disconnect packet): the client reconnects. */
  dropTransport: (sid: string) => server.io.of("/").sockets.get(sid)?.conn.close(),
};

process.on("message", (message: { id: number; op: string; args: never[] }) => {
  const op = ops[message.op];
  Promise.resolve()
    .then(() => {
      if (op === undefined) throw new Error(`chat-node: no op ${message.op}`);
      return op(...message.args);
    })
    .then(
      (value) => send({ id: message.id, ok: true, value }),
      (error: unknown) =>
        send({
          id: message.id,
          ok: false,
          error: { message: (error as Error).message, code: (error as { code?: unknown }).code },
        }),
    );
});

const address = await server.listen(0, "127.0.0.1");
send({ type: "ready", port: address.port });

process.once("SIGTERM", () => {
  void server
    .close()
    .then(() => Promise.all([redis.close(), names.close()]))
    .finally(() => process.exit(0));
});
process.once("disconnect", () => process.exit(0)); // the test process is gone

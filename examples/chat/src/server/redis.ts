/**
 * REDIS_URL set: several chat nodes share rooms, broadcasts and inter-server events through Redis, and claim user
 * names on it atomically (./names.ts). Unset: in memory, one node, no external service (`npm start`).
 *
 *   REDIS_URL=redis://127.0.0.1:6379                       the pub/sub adapter (the emitter works with it)
 *   REDIS_URL=redis://127.0.0.1:6379 REDIS_ADAPTER=streams  the streams adapter (recovers connections across nodes)
 */
import { createClient } from "redis";
import { type RedisAdapter, type RedisAdapterKind, createRedisAdapter } from "@iocontract/chat-server-sdk/redis";
import { RedisNameClaims } from "./names";

export interface ChatRedis extends RedisAdapter {
  /** User names, claimed on Redis (one `SET NX` per name). */
  readonly names: RedisNameClaims;
}

export async function redisFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<ChatRedis | undefined> {
  const url = env["REDIS_URL"];
  if (url === undefined || url === "") return undefined;
  const kind = (env["REDIS_ADAPTER"] ?? "pubsub") as RedisAdapterKind;
  if (kind !== "pubsub" && kind !== "streams")
    throw new Error(`REDIS_ADAPTER must be "pubsub" or "streams" (got ${JSON.stringify(kind)})`);
  const key = env["REDIS_KEY"] || undefined;
  const onError = (error: Error) => console.error(`chat: Redis: ${error.message}`);
  const adapter = await createRedisAdapter({ kind, url, ...(key === undefined ? {} : { key }), onError });
  const names = await redisNameClaims(url, key ?? "chat", onError).catch(async (error: unknown) => {
    await adapter.close();
    throw error;
  });
  return {
    ...adapter,
    names: names.claims,
    close: async () => {
      await adapter.close();
      await names.close();
    },
  };
}

/** Name claims on their own Redis connection (`<prefix>:name:<key>`). */
export async function redisNameClaims(
  url: string,
  prefix: string,
  onError: (error: Error) => void,
): Promise<{ claims: RedisNameClaims; close(): Promise<void> }> {
  // Fail fast when Redis is not there at start (node-redis would retry forever); once up, reconnect with back-off.
  let connected = false;
  const client = createClient({
    url,
    socket: {
      reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(50 * 2 ** retries, 2000) : cause),
    },
  });
  client.on("error", onError);
  client.on("ready", () => {
    connected = true;
  });
  await client.connect();
  return {
    claims: new RedisNameClaims({ sendCommand: (args) => client.sendCommand(args) }, `${prefix}:name:`),
    close: async () => {
      if (client.isOpen) await client.close();
    },
  };
}

/**
 * REDIS_URL set: several chat nodes share rooms, broadcasts and inter-server events through Redis. Unset: in
 * memory, one node, no external service (`npm start`).
 *
 *   REDIS_URL=redis://127.0.0.1:6379                       the pub/sub adapter (the emitter works with it)
 *   REDIS_URL=redis://127.0.0.1:6379 REDIS_ADAPTER=streams  the streams adapter (recovers connections across nodes)
 */
import { type RedisAdapter, type RedisAdapterKind, createRedisAdapter } from "@iocontract/chat-server-sdk/redis";

export async function redisFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<RedisAdapter | undefined> {
  const url = env["REDIS_URL"];
  if (url === undefined || url === "") return undefined;
  const kind = (env["REDIS_ADAPTER"] ?? "pubsub") as RedisAdapterKind;
  if (kind !== "pubsub" && kind !== "streams") throw new Error(`REDIS_ADAPTER must be "pubsub" or "streams" (got ${JSON.stringify(kind)})`);
  return createRedisAdapter({
    kind,
    url,
    ...(env["REDIS_KEY"] ? { key: env["REDIS_KEY"] } : {}),
    onError: (error) => console.error(`chat: Redis: ${error.message}`),
  });
}

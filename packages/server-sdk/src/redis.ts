// `@iocontract/chat-server-sdk/redis`: several server nodes on Redis. The adapters, the emitter and node-redis are
// optional peer dependencies, loaded only when these functions run; the main entry never imports them.
export {
  createRedisAdapter,
  createRedisEmitter,
  type RedisAdapter,
  type RedisAdapterKind,
  type RedisAdapterOptions,
  type RedisClientLike,
  type RedisConnectionOptions,
  type RedisEmitter,
  type RedisEmitterOptions,
} from "@iocontract/runtime/v1/redis";

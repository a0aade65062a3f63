// `@iocontract/chat-server-sdk/emitter`: the typed emitter for processes that run no socket server (a worker, a
// cron job, an HTTP handler), over @socket.io/redis-emitter. Imports neither socket.io nor Redis.
export * from "./gen/emitter.gen";
export type * from "./gen/server.gen";
export type * from "./gen/types.gen";
export { IocontractError, type SocketIoEmitterLike } from "@iocontract/runtime/v1/emitter";

/**
 * A worker that runs no socket server: it announces a line to the chat through Redis, with the generated emitter
 * (the way a cron job or an HTTP handler in another process would). Needs the chat nodes on the pub/sub adapter.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 node dist/worker/announce.js "the server restarts at noon"
 *   ... --room chat_users     only the members of a room
 */
import { parseArgs } from "node:util";
import { IocontractError, createChatEmitter } from "@iocontract/chat-server-sdk/emitter";
import { createRedisEmitter } from "@iocontract/chat-server-sdk/redis";

const { values, positionals } = parseArgs({
  strict: true,
  allowPositionals: true,
  options: { room: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
});
const url = process.env["REDIS_URL"];
if (values.help || positionals.length !== 1 || url === undefined) {
  console.log('usage: REDIS_URL=redis://127.0.0.1:6379 chat-announce [--room chat_users] "text"');
  process.exit(values.help ? 0 : 1);
}

const redis = await createRedisEmitter({
  url,
  ...(process.env["REDIS_KEY"] ? { key: process.env["REDIS_KEY"] } : {}),
}).catch((error: Error) => {
  console.error(`chat-announce: cannot reach Redis at ${url}: ${error.message}`);
  process.exit(1);
});
const chat = createChatEmitter(redis.emitter);
try {
  const message = { data: `[announcement] ${positionals[0]}` };
  if (values.room === undefined) chat.emit.message(message);
  else chat.to(values.room).emit.message(message);
  console.log(`chat-announce: sent to ${values.room ?? "everyone"}`);
} catch (error) {
  // The contract says what a message is (1 to 2000 characters): the emitter refuses anything else.
  console.error(`chat-announce: ${error instanceof IocontractError ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await redis.close();
}

/**
 * `npm start`: the chat on http://127.0.0.1:8000 (PORT and HOST to change), in memory; with REDIS_URL set, one
 * node of a cluster on Redis (REDIS_ADAPTER=pubsub|streams, see ./redis.ts and docs/scaling.md).
 */
import { fileURLToPath } from "node:url";
import { createChatApp } from "./app";
import { redisFromEnv } from "./redis";

const port = Number(process.env["PORT"] ?? 8000);
const host = process.env["HOST"] ?? "127.0.0.1";
// No default token: without ADMIN_TOKEN the admin namespace refuses everyone.
const adminToken = process.env["ADMIN_TOKEN"] || undefined;
// This file runs as dist/server/main.js; the page is built into dist/web.
const webRoot = fileURLToPath(new URL("../web", import.meta.url));
const redis = await redisFromEnv().catch((error: Error) => {
  console.error(`chat: cannot use Redis at ${process.env["REDIS_URL"]}: ${error.message}`);
  process.exit(1);
});
const { server } = createChatApp({
  adminToken,
  webRoot,
  ...(redis === undefined ? {} : { adapter: redis.adapter, names: redis.names }),
});
const address = await server.listen(port, host).catch((error: NodeJS.ErrnoException) => {
  console.error(
    `chat: cannot listen on ${host}:${port}: ${error.code === "EADDRINUSE" ? "the port is in use (set PORT to another)" : error.message}`,
  );
  process.exit(1);
});
console.log(
  `chat: http://${address.address}:${address.port} (open it in two tabs; /admin ` +
    `${adminToken === undefined ? "off: set ADMIN_TOKEN to turn it on" : "on (ADMIN_TOKEN)"})` +
    (redis === undefined ? "" : ` on Redis (${redis.kind} adapter)`),
);

const stop = () => {
  console.log("chat: closing");
  void server
    .close()
    .then(() => redis?.close())
    .then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);

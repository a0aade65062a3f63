/** `npm start`: the chat on http://127.0.0.1:8000 (PORT and HOST to change), in memory. */
import { fileURLToPath } from "node:url";
import { createChatApp } from "./app";

const port = Number(process.env["PORT"] ?? 8000);
const host = process.env["HOST"] ?? "127.0.0.1";
const adminToken = process.env["ADMIN_TOKEN"] ?? "admin-secret";
// This file runs as dist/server/main.js; the page is built into dist/web.
const webRoot = fileURLToPath(new URL("../web", import.meta.url));
const { server } = createChatApp({ adminToken, webRoot });
const address = await server.listen(port, host).catch((error: NodeJS.ErrnoException) => {
  console.error(`chat: cannot listen on ${host}:${port}: ${error.code === "EADDRINUSE" ? "the port is in use (set PORT to another)" : error.message}`);
  process.exit(1);
});
console.log(`chat: http://${address.address}:${address.port} (open it in two tabs; admin token: ${adminToken})`);

const stop = () => {
  console.log("chat: closing");
  void server.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);

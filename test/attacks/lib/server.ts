/**
 * The server under attack, in its own process: the attack app (./app.ts: the chat golden case's generated server
 * with handlers of its own) on the BUILT runtime — run with plain `node --expose-gc --import tsx` (no
 * iocontract-source condition), so `@iocontract/runtime` resolves to its dist/, as users get it. Options:
 *
 *   ATTACK_OPTIONS   JSON merged into the generated server's options (a defence turned off for a control);
 *                    the string "Infinity" stands for Infinity
 *   ATTACK_CONTROL   "store-answers": the old behaviour, for a control (see below)
 *
 * IPC with its parent: it sends `{ type: "ready", port }`; it answers `{ id, op: "heap" }` with memory after a
 * full GC, the recovery buffer's size and the number of engine.io connections, and `{ id, op: "broadcast", n,
 * bytes }` by emitting that many `message` events of that size to everyone (what fills the recovery buffer).
 */
import { createAttackApp } from "./app";

const options = JSON.parse(process.env["ATTACK_OPTIONS"] ?? "{}", (_key, value: unknown) =>
  value === "Infinity" ? Infinity : value,
) as Record<string, unknown>;
const errors: string[] = [];
const { server, httpServer } = createAttackApp({
  serverOptions: { ...options, logRefusals: (line: string) => process.send?.({ type: "log", line }) },
  onError: (error) => errors.push(String(error instanceof Error ? error.message : error).slice(0, 300)),
});

// ATTACK_CONTROL=store-answers puts back what the runtime did before issue 18, for the suite's controls: every
// unknown event answered through socket.emit() (kept for connection-state recovery), its name written twice.
if (process.env["ATTACK_CONTROL"] === "store-answers") {
  server.io.of("/").on("connection", (socket) => {
    socket.onAny((event: unknown) => {
      if (typeof event === "string" && event.length > 1000) {
        (socket as unknown as { emit(e: string, payload: unknown): void }).emit("iocontract:echo", {
          event,
          message: `unknown event ${JSON.stringify(event)}`,
        });
      }
    });
  });
}

type Message = { id: number; op: "heap" } | { id: number; op: "broadcast"; n: number; bytes: number };
process.on("message", (message: Message) => {
  if (message.op === "heap") {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const mem = process.memoryUsage();
    const adapter = server.io.of("/").adapter as unknown as { packets?: Array<{ bytes?: number }> };
    const packets = adapter.packets ?? [];
    let recoveryBytes = 0;
    for (const p of packets) recoveryBytes += p.bytes ?? 0;
    process.send?.({
      id: message.id,
      heapUsed: mem.heapUsed,
      rss: mem.rss,
      external: mem.external,
      arrayBuffers: mem.arrayBuffers,
      recoveryPackets: packets.length,
      recoveryBytes,
      connections: server.io.engine.clientsCount,
      errors: errors.splice(0),
    });
  } else if (message.op === "broadcast") {
    const data = "b".repeat(message.bytes);
    for (let i = 0; i < message.n; i++) server.send({ data: data.slice(0, 2000) });
    process.send?.({ id: message.id, done: true });
  }
});
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0)); // (exits normally: a --cpu-prof run writes its profile)

httpServer.on("clientError", () => {});
const address = await server.listen(0, "127.0.0.1");
process.send?.({ type: "ready", port: address.port });

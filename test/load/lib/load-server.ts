/**
 * The server of the load run, in its own process (`node --conditions=iocontract-source --import tsx`): the chat
 * fixture's generated server. Client `c<i>` joins room `room-<floor(i / LOAD_ROOM_SIZE)>` when it connects;
 * `my message` counts one handler run per payload (`c<i>:s<seq>`, so per client and sequence number),
 * broadcasts `my reply` to the rest of the sender's room, and acks `{ delivered }`.
 *
 * IPC: `ready` with the port; on `stats`, the run counts per key, the process's RSS and heap, the number of
 * connections and anything reported through onError.
 */
import { createChatServer } from "../../fixtures/chat/expected/server/server.gen";
import type { LoadServerMessage, LoadServerRequest } from "./protocol";

const roomSize = Number(process.env.LOAD_ROOM_SIZE ?? 5);
const runs = new Map<string, number>();
let handlerRuns = 0;
const problems: string[] = [];
const BREAK = process.env.LOAD_BREAK === "1";

function roomOf(name: string | undefined): string | undefined {
  const index = name === undefined ? Number.NaN : Number(name.slice(1));
  return Number.isInteger(index) ? `room-${Math.floor(index / roomSize)}` : undefined;
}

const server = createChatServer({
  handlers: {
    "/": {
      connect(ctx) {
        const room = roomOf(ctx.handshake.auth.name);
        if (room !== undefined) ctx.join(room);
      },
      myCustomEvent() {},
      chat() {},
      exitChat() {},
      myMessage(payload, ctx) {
        const count = () => {
          handlerRuns++;
          runs.set(payload.data, (runs.get(payload.data) ?? 0) + 1);
        };
        count();
        // LOAD_BREAK=1 (the counting's own test): every client's first message runs twice, its second is never answered.
        if (BREAK && payload.data.endsWith(":s0")) count();
        if (BREAK && payload.data.endsWith(":s1")) return new Promise<never>(() => {});
        const room = roomOf(ctx.handshake.auth.name);
        if (room !== undefined)
          ctx
            .to(room)
            .except(ctx.sid)
            .emit.myReply({ data: payload.data, from: ctx.handshake.auth.name ?? ctx.sid, at: Date.now() });
        return { delivered: roomSize - 1 };
      },
      myRooms: (ctx) => ({ rooms: ctx.rooms }),
    },
    "/admin": { stats: () => ({ connected: 0, chatUsers: 0 }), announce: () => ({ recipients: 0 }) },
  },
  // Many connections at once from one address: the defaults are fine, only the ping is relaxed for a loaded box.
  socketio: { pingTimeout: 60_000 },
  onError: (error, info) => problems.push(`${info.event}: ${error instanceof Error ? error.message : String(error)}`),
});
process.on("uncaughtException", (error) => problems.push(`uncaughtException: ${error.stack ?? String(error)}`));
process.on("disconnect", () => process.exit(0));

function send(message: LoadServerMessage): void {
  process.send?.(message);
}

const { port } = await server.listen(0, "127.0.0.1");
process.on("message", (message: LoadServerRequest) => {
  if (message.type === "stats") {
    (globalThis as { gc?: () => void }).gc?.();
    const mem = process.memoryUsage();
    send({
      type: "stats",
      id: message.id,
      runs,
      handlerRuns,
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      connections: server.io.engine.clientsCount,
      problems: [...problems],
    });
  } else if (message.type === "stop") {
    void server.close().finally(() => process.exit(0));
  }
});
send({ type: "ready", port });

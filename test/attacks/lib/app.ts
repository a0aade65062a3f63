/**
 * The app under attack: the chat golden case's generated server (test/fixtures/chat/expected, a frozen copy of
 * the example's contract, contract name "chat") with handlers written here, attached to a plain HTTP server that
 * answers 404 outside `/socket.io/`. Editing examples/chat cannot change what the attack suites prove; the demo's
 * own defences (its page, names and admin token) are attacked in demo.test.ts and names.test.ts instead.
 */
import http from "node:http";
import {
  type ChatAdminHandlers,
  type ChatHandlers,
  type ChatServer,
  type ChatServerOptions,
  createChatServer,
} from "../../fixtures/chat/expected/server/index.gen";

const ROOM = "chat_users";

export function createAttackApp(options: {
  /** Any option of the generated server (limits, allowedHosts, recovery...), passed as it is. */
  serverOptions: Omit<ChatServerOptions, "handlers" | "httpServer" | "onError">;
  onError: (error: unknown) => void;
}): { server: ChatServer; httpServer: http.Server } {
  // A request line no URL parser reads is never parsed here: every request outside engine.io's path gets a 404.
  const httpServer = http.createServer((_req, res) => res.writeHead(404).end("not found"));
  let server: ChatServer | undefined;
  const handlers: ChatHandlers = {
    // Every connection is admitted: the attacks are on the runtime's defences, not on an app's name rules.
    connect: (ctx) => ctx.setSession({ user: ctx.handshake.auth.name ?? ctx.sid, joinedAt: Date.now() }),
    // Answers the sender (idempotency.test.ts counts these to see whether a handler ran again).
    myCustomEvent: (payload, ctx) => ctx.emit.myReply({ data: payload.data, from: "server", at: Date.now() }),
    chat: (ctx) => ctx.join(ROOM),
    exitChat: (ctx) => ctx.leave(ROOM),
    async myMessage(payload, ctx) {
      ctx.to(ROOM).except(ctx.sid).emit.myReply({ data: payload.data, from: ctx.sid, at: Date.now() });
      return { delivered: (await server!.sids(ROOM)).filter((sid) => sid !== ctx.sid).length };
    },
    myRooms: (ctx) => ({ rooms: ctx.rooms }),
  };
  const admin: ChatAdminHandlers = {
    connect: (ctx) => {
      throw ctx.refuse("UNAUTHORIZED", "the attack app has no admin namespace");
    },
    stats: async () => ({ connected: (await server!.sids()).length, chatUsers: (await server!.sids(ROOM)).length }),
    announce: async ({ text }) => {
      server!.send({ data: text });
      return { recipients: (await server!.sids()).length };
    },
  };
  server = createChatServer({
    ...options.serverOptions,
    httpServer,
    handlers: { "/": handlers, "/admin": admin },
    onError: options.onError,
  });
  return { server, httpServer };
}

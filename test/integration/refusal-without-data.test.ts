/**
 * Servers that are not generated (python-socketio's one-argument `ConnectionRefusedError("...")`, a socket.io
 * middleware's `next(new Error("..."))`) refuse with a message and no `{ code, message }` data. The client SDK
 * reports that as the server's refusal (UNAUTHORIZED, with the server's message), not as a network failure.
 * The client is the chat golden case's generated one.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { afterEach, describe, expect, it } from "vitest";
import { createChatClient } from "../fixtures/chat/expected/client/index.gen";

let io: Server | undefined;

async function refusingServer(refuse: (next: (error?: Error) => void) => void): Promise<string> {
  const httpServer = http.createServer();
  io = new Server(httpServer);
  io.use((_socket, next) => refuse(next));
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await io?.close();
  io = undefined;
});

describe("a refusal without structured data", () => {
  it("is UNAUTHORIZED with the server's message", async () => {
    const url = await refusingServer((next) => next(new Error("authentication failed")));
    const chat = createChatClient(url, { socket: { transports: ["websocket"], reconnection: false } });
    await expect(chat.ready()).rejects.toMatchObject({ code: "UNAUTHORIZED", rawMessage: "authentication failed" });
    chat.disconnect();
  });

  it("keeps the server's own code and details when it sends them", async () => {
    const url = await refusingServer((next) =>
      next(
        Object.assign(new Error("NAME_TAKEN: taken"), {
          data: { code: "NAME_TAKEN", message: "taken", details: { name: "x" } },
        }),
      ),
    );
    const chat = createChatClient(url, { socket: { transports: ["websocket"], reconnection: false } });
    await expect(chat.ready()).rejects.toMatchObject({
      code: "NAME_TAKEN",
      rawMessage: "taken",
      details: { name: "x" },
    });
    chat.disconnect();
  });

  it("is still CONNECTION_FAILED when no server answered", async () => {
    const url = await refusingServer((next) => next());
    await io!.close();
    const chat = createChatClient(url, { socket: { transports: ["websocket"], reconnection: false } });
    await expect(chat.ready()).rejects.toMatchObject({ code: "CONNECTION_FAILED" });
    chat.disconnect();
  });
});

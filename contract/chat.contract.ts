/**
 * The chat contract: the python-socketio tutorial's events, with their payloads written down.
 * Edit this file, then run `npm run generate`.
 */
import * as z from "zod";
import { defineContract } from "@iocontract/runtime/contract";

/** A chat line, as the tutorial sends it: `{ data: "..." }`. */
const Message = z.object({
  data: z.string().min(1).max(2000).describe("The text of the message."),
});

/** A chat line relayed to others, with who sent it. */
const Reply = z.object({
  data: z.string().min(1).max(2000),
  from: z.string().describe("The sender's name (or its sid when it gave none)."),
  at: z.number().int().describe("Server time, epoch milliseconds."),
});

const UserName = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[\p{L}\p{N} _.-]+$/u, "letters, digits, spaces, _ . - only");

export default defineContract({
  name: "chat",
  version: "1.0.0",
  doc: "The python-socketio tutorial's chat: custom events, rooms, broadcasts skipping the sender, send().",
  types: { Message, Reply },
  namespaces: {
    "/": {
      doc: "The chat itself.",
      // Optional, so a python-socketio client written exactly as in the tutorial (no auth) can connect.
      auth: z.object({ name: UserName.optional() }),
      socketData: z.object({ user: z.string(), joinedAt: z.number().int() }),
      errors: {
        NOT_IN_ROOM: z.object({ room: z.string() }),
        NAME_TAKEN: z.object({ name: z.string() }),
      },
      clientToServer: {
        "my custom event": {
          payload: Message,
          doc: "The tutorial's custom event: the server answers the sender with `my reply`.",
        },
        chat: { doc: "Join the room `chat_users`." },
        exit_chat: { doc: "Leave the room `chat_users`." },
        "my message": {
          payload: Message,
          ack: z.object({
            delivered: z.number().int().nonnegative().describe("How many other chat users it was sent to."),
          }),
          timeoutMs: 5000,
          doc: "Say something in `chat_users`: everyone there but the sender gets `my reply`.",
        },
        "my rooms": {
          ack: z.object({ rooms: z.array(z.string()) }),
          doc: "The rooms this connection is in (python: `rooms(sid)`).",
        },
      },
      serverToClient: {
        "my reply": { payload: Reply },
        message: { payload: Message, doc: "What python-socketio's `send()` emits." },
        "are you there": {
          payload: z.object({ at: z.number() }),
          ack: z.object({ at: z.number() }),
          timeoutMs: 5000,
          doc: "The server asks; the client answers with the same `at`.",
        },
      },
      // Between server nodes (several nodes on Redis): keeps user names unique across the cluster.
      serverToServer: {
        "name claimed": {
          payload: z.object({ sid: z.string(), name: UserName }),
          doc: "A node accepted a user name: the other nodes count it as taken.",
        },
        "name released": {
          payload: z.object({ sid: z.string() }),
          doc: "That connection is gone: its name is free again.",
        },
      },
    },
    "/admin": {
      doc: "Operators: statistics and announcements. Needs the admin token.",
      auth: z.object({ token: z.string().min(1) }),
      clientToServer: {
        stats: { ack: z.object({ connected: z.number().int(), chatUsers: z.number().int() }) },
        announce: {
          payload: z.object({ text: z.string().min(1).max(500) }),
          ack: z.object({ recipients: z.number().int() }),
          doc: "Sends `message` to every chat connection (python: `sio.send(...)`).",
        },
      },
      serverToClient: {
        "user joined": { payload: z.object({ sid: z.string(), user: z.string() }) },
        "user left": { payload: z.object({ sid: z.string(), user: z.string() }) },
      },
    },
  },
});

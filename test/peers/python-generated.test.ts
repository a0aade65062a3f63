/**
 * The generated Python client (packages/python-client/chat_client, Debian's python3-socketio 5.7 and
 * python3-jsonschema on /usr/bin/python3) against the generated TypeScript chat server, sync (ChatClient) and
 * asyncio (AsyncChatClient), with connection-state recovery off and on. test/peers/python/generated_client.py
 * walks every event and prints what it saw; this suite drives the server→client requests and checks each line.
 */
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { peer } from "../support/peers";
import { ADMIN_TOKEN, JsonLinesProcess, NO_RECOVERY, type PeerChat, RECOVERY, startPeerChat } from "./lib/peer-chat";
import { REPO } from "../support/paths";

const python = peer("python-socketio");
const SCRIPT = path.join(REPO, "test/peers/python/generated_client.py");

describe.skipIf(!python.available).each([
  { mode: "sync", recovery: false, socketio: NO_RECOVERY },
  { mode: "sync", recovery: true, socketio: RECOVERY },
  { mode: "async", recovery: false, socketio: NO_RECOVERY },
  { mode: "async", recovery: true, socketio: RECOVERY },
])(
  "the generated Python client ($mode) against the generated server (recovery $recovery)",
  ({ mode, recovery, socketio }) => {
    let chat: PeerChat;
    let script: JsonLinesProcess | undefined;

    beforeEach(async () => {
      chat = await startPeerChat({ socketio });
      expect(chat.app.server.io._opts.connectionStateRecovery !== undefined).toBe(recovery);
    });
    afterEach(async () => {
      script?.kill();
      await chat.close();
    });

    it("walks every event: acks unwrapped, typed errors, refusals, requests, /admin, local validation", {
      timeout: 90_000,
    }, async () => {
      const py = new JsonLinesProcess(python.path, [SCRIPT, mode, chat.url, ADMIN_TOKEN], { timeoutMs: 75_000 });
      script = py;
      const sids = await py.line("waiting", 45_000);
      const one = (step: string): Record<string, unknown> => {
        const line = py.all(step)[0];
        if (line === undefined) throw new Error(`no line for "${step}": ${JSON.stringify(py.lines)}\n${py.stderr}`);
        return line;
      };
      const aliceSid = sids["alice"] as string;
      const bobSid = sids["bob"] as string;
      const bobName = `guest-${bobSid.slice(0, 5)}`;

      expect(one("connect")).toMatchObject({ alice: aliceSid, bob: bobSid, admin: true, hooks: [[true], [true]] });
      expect(one("admin heard")["joined"]).toEqual({ sid: bobSid, user: bobName });
      expect(one("my custom event")["reply"]).toMatchObject({ data: "you said: hello", from: "server" });
      const rooms = one("my rooms");
      expect(rooms["alice"]).toEqual({ rooms: expect.arrayContaining(["chat_users", aliceSid]) });
      expect(rooms["bob"]).toEqual({ rooms: expect.arrayContaining(["chat_users", bobSid]) });
      expect(one("my message")).toMatchObject({
        answer: { delivered: 1 },
        bob_got: { data: "hi bob", from: "alice-gen" },
      });

      // the contract's own code: raised as the namespace's error class from a call, reported for an event
      expect(one("not in room")["result"]).toEqual({
        ok: false,
        type: "ChatError",
        error: {
          code: "NOT_IN_ROOM",
          message: "join chat_users first",
          details: { room: "chat_users" },
          event: "my message",
        },
      });
      expect(one("event error")["error"]).toMatchObject({
        code: "NOT_IN_ROOM",
        details: { room: "chat_users" },
        event: "exit_chat",
      });

      // invalid payloads raise REQUEST_INVALID before anything is sent: the server reports nothing
      expect(one("invalid call")["result"]).toMatchObject({
        ok: false,
        type: "ChatError",
        error: {
          code: "REQUEST_INVALID",
          message: expect.stringMatching(/^chat \/ "my message": data: Too small/),
          details: { issues: [{ path: ["data"] }] },
        },
      });
      expect(one("invalid event")["result"]).toMatchObject({
        ok: false,
        error: {
          code: "REQUEST_INVALID",
          details: { issues: [{ path: ["data"], message: "Invalid input: expected string" }] },
        },
      });
      expect(one("after invalid")["event_errors"]).toEqual([]);

      expect(one("stats")["answer"]).toEqual({ connected: 2, chatUsers: 1 });
      expect(one("announce")["answer"]).toEqual({ recipients: 2 });
      expect(one("message")).toMatchObject({
        alice: { data: "[announcement] hello all" },
        bob: { data: "[announcement] hello all" },
      });

      // refusals: the server's code, message and details, raised from connect() and given to on_connect_error
      const refused = one("refused");
      const unauthorized = { code: "UNAUTHORIZED", message: "wrong admin token", details: null, event: null };
      expect(refused["wrong admin token"]).toEqual({
        result: { ok: false, type: "ChatAdminError", error: unauthorized },
        hooked: [unauthorized],
        connected: false,
      });
      const taken = {
        code: "NAME_TAKEN",
        message: 'the name "alice-gen" is taken',
        details: { name: "alice-gen" },
        event: null,
      };
      expect(refused["name taken"]).toEqual({
        result: { ok: false, type: "ChatError", error: taken },
        hooked: [taken],
        connected: false,
      });
      // invalid auth never leaves: REQUEST_INVALID, no connect_error (nothing was sent)
      expect(refused["invalid name"]).toMatchObject({
        result: { ok: false, error: { code: "REQUEST_INVALID", details: { issues: [{ path: ["name"] }] } } },
        hooked: [],
        connected: false,
      });

      // server→client requests: the handler's return value is the answer; a raised ChatError is the error
      await expect(chat.app.server.socket(aliceSid).request.areYouThere({ at: 42 })).resolves.toEqual({ at: 42 });
      await expect(chat.app.server.socket(bobSid).request.areYouThere({ at: 43 })).rejects.toMatchObject({
        code: "NOT_IN_ROOM",
        details: { room: "busy" },
      });
      chat.app.server.to(aliceSid).emit.message({ data: "finish" });
      expect(await py.line("finish")).toMatchObject({
        got: { data: "finish" },
        asked: { alice: [{ at: 42 }], bob: [{ at: 43 }] },
      });

      // with recovery on, the server appends an offset to events without an ack: handlers still get the payload alone
      const replies = await py.line("replies");
      expect(replies["alice"]).toEqual([expect.objectContaining({ data: "you said: hello", from: "server" })]);
      expect(replies["bob"]).toEqual([expect.objectContaining({ data: "hi bob", from: "alice-gen" })]);

      expect((await py.line("admin heard leaving"))["left"]).toEqual({ sid: bobSid, user: bobName });
      expect((await py.line("done"))["disconnect_hooks"]).toEqual([[true], [true]]);
      expect(await py.exited, py.stderr).toBe(0);
      expect(py.all("unparsed")).toEqual([]);
      expect(py.all("watchdog")).toEqual([]);
    });
  },
);

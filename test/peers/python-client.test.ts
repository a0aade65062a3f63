/**
 * A python-socketio client (Debian's python3-socketio 5.7, on /usr/bin/python3) against the generated chat server:
 * test/peers/python/chat_client.py walks every row of the design's table and prints what it saw as JSON lines;
 * this suite drives the server-side part (requests to the Python clients) and checks every line. Runs with
 * socket.io's connection-state recovery off and on (with it on, events without an ack carry an extra argument).
 */
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { peer } from "../support/peers";
import { ADMIN_TOKEN, JsonLinesProcess, NO_RECOVERY, type PeerChat, RECOVERY, startPeerChat } from "./lib/peer-chat";
import { REPO } from "../support/paths";

const python = peer("python-socketio");
const SCRIPT = path.join(REPO, "test/peers/python/chat_client.py");

const issuePaths = (error: unknown) =>
  ((error as { details?: { issues?: Array<{ path: unknown[] }> } }).details?.issues ?? []).map((issue) => issue.path);

describe.skipIf(!python.available).each([
  { recovery: false, socketio: NO_RECOVERY },
  { recovery: true, socketio: RECOVERY },
])("a python-socketio client against the generated server (recovery $recovery)", ({ recovery, socketio }) => {
  let chat: PeerChat;
  let script: JsonLinesProcess | undefined;

  beforeEach(async () => {
    chat = await startPeerChat({ socketio });
    // What socket.io was actually given (the runtime may add a default).
    expect(chat.app.server.io._opts.connectionStateRecovery !== undefined).toBe(recovery);
  });
  afterEach(async () => {
    script?.kill();
    await chat.close();
  });

  it("performs every row of the tutorial's table", { timeout: 90_000 }, async () => {
    const py = new JsonLinesProcess(python.path, [SCRIPT, chat.url, ADMIN_TOKEN], { timeoutMs: 75_000 });
    script = py;
    // The script runs on its own up to "waiting"; then this side asks "are you there" and says "finish".
    const sids = await py.line("waiting", 45_000);
    const one = (step: string, index = 0): Record<string, unknown> => {
      const line = py.all(step)[index];
      if (line === undefined)
        throw new Error(`no line ${index} for "${step}": ${JSON.stringify(py.lines)}\n${py.stderr}`);
      return line;
    };
    const aliceSid = sids["alice"] as string;
    const bobSid = sids["bob"] as string;
    const bobName = `guest-${bobSid.slice(0, 5)}`;

    // connect, with auth over websocket, and tutorial-exact (no auth, polling then upgrade)
    expect(one("connect", 0)).toEqual({
      step: "connect",
      who: "alice",
      sid: aliceSid,
      connected: true,
      transport: "websocket",
      event: aliceSid,
    });
    expect(one("connect", 1)).toEqual({ step: "connect", who: "bob", sid: bobSid, connected: true, event: bobSid });
    // the second namespace hears who joins
    expect(one("admin connect")["namespaces"]).toEqual(["/admin"]);
    expect(one("admin heard", 0)).toMatchObject({ event: "user joined", data: { sid: bobSid, user: bobName } });

    // my custom event -> my reply to the sender
    expect(one("my custom event")["reply"]).toMatchObject({ data: "you said: hello", from: "server" });

    // chat: both joined (acks read through the envelope)
    for (const index of [0, 1]) {
      expect(one("my rooms", index)["answer"]).toEqual({
        ok: true,
        data: { rooms: expect.arrayContaining(["chat_users"]) },
      });
    }

    // my message -> my reply to the others only
    const fromAlice = one("my message", 0);
    const fromBob = one("my message", 1);
    expect(fromAlice["answer"]).toEqual({ ok: true, data: { delivered: 1 } });
    expect(fromAlice["bob_got"]).toMatchObject({ data: "hi bob", from: "alice-py" });
    expect(fromBob["answer"]).toEqual({ ok: true, data: { delivered: 1 } });
    expect(fromBob["alice_got"]).toMatchObject({ data: "hi alice", from: bobName });
    expect(fromBob["alice_replies"]).toEqual(["you said: hello", "hi alice"]);
    expect(fromBob["bob_replies"]).toEqual(["hi bob"]);

    // exit_chat: bob is out, and stops receiving (his own custom event is the barrier)
    expect(one("exit_chat")["rooms"]).toEqual({ ok: true, data: { rooms: [bobSid] } });
    const after = one("after exit_chat");
    expect(after["answer"]).toEqual({ ok: true, data: { delivered: 0 } });
    expect(after["barrier"]).toMatchObject({ data: "you said: barrier" });
    expect(after["bob_replies"]).toEqual(["hi bob", "you said: barrier"]);
    // the contract's own error code, through iocontract:error and through the envelope
    expect(one("exit_chat again")["error"]).toMatchObject({
      event: "exit_chat",
      code: "NOT_IN_ROOM",
      details: { room: "chat_users" },
    });
    expect(one("my message outside the room")["answer"]).toMatchObject({
      ok: false,
      error: { code: "NOT_IN_ROOM", details: { room: "chat_users" } },
    });

    // validation errors: they name the contract, the event and the field
    const invalid = one("invalid event")["error"];
    expect(invalid).toMatchObject({
      event: "my custom event",
      code: "REQUEST_INVALID",
      message: expect.stringMatching(/^chat \/ "my custom event": data: /),
    });
    expect(issuePaths(invalid)).toEqual([["data"]]);
    expect(one("two arguments")["error"]).toMatchObject({
      event: "my custom event",
      code: "REQUEST_INVALID",
      message: expect.stringContaining("expected 1 payload argument, got 2"),
    });
    expect(one("unknown event")["error"]).toMatchObject({ event: "no such event", code: "UNKNOWN_EVENT" });
    const invalidCall = one("invalid call")["answer"] as { error: unknown };
    expect(invalidCall).toMatchObject({
      ok: false,
      error: { code: "REQUEST_INVALID", message: expect.stringMatching(/"my message": data: /) },
    });
    expect(issuePaths(invalidCall.error)).toEqual([["data"]]);
    const missing = one("invalid call, missing field")["answer"] as { error: unknown };
    expect(missing).toMatchObject({ ok: false, error: { code: "REQUEST_INVALID" } });
    expect(issuePaths(missing.error)).toEqual([["data"]]);

    // send / message: the server's send() reaches every chat client; a client's send() is not in the contract
    expect(one("announce")["answer"]).toEqual({ ok: true, data: { recipients: 2 } });
    expect(one("message")).toMatchObject({
      alice: { data: "[announcement] hello all" },
      bob: { data: "[announcement] hello all" },
    });
    expect(one("client send")["error"]).toMatchObject({ event: "message", code: "UNKNOWN_EVENT" });
    expect(one("stats")["answer"]).toEqual({ ok: true, data: { connected: 2, chatUsers: 1 } });

    // refusal: connect_error carries { message: "CODE: ...", data: { code, message, details? } }
    const refusals = Object.fromEntries(py.all("refused").map((line) => [line["who"], line]));
    expect(Object.keys(refusals)).toEqual(["wrong admin token", "name taken", "invalid name"]);
    for (const line of Object.values(refusals))
      expect(line).toMatchObject({ raised: "One or more namespaces failed to connect", connected: false });
    expect(refusals["wrong admin token"]!["errors"]).toEqual([
      { message: "UNAUTHORIZED: wrong admin token", data: { code: "UNAUTHORIZED", message: "wrong admin token" } },
    ]);
    expect(refusals["name taken"]!["errors"]).toEqual([
      {
        message: 'NAME_TAKEN: the name "alice-py" is taken',
        data: { code: "NAME_TAKEN", message: 'the name "alice-py" is taken', details: { name: "alice-py" } },
      },
    ]);
    const [invalidName] = refusals["invalid name"]!["errors"] as Array<{ data: unknown }>;
    expect(invalidName!.data).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("name") });
    expect(issuePaths(invalidName!.data)).toEqual([["name"]]);

    // the server asks each Python client; answers are envelopes, and a bare answer is a contract mismatch
    await expect(chat.app.server.socket(aliceSid).request.areYouThere({ at: 42 })).resolves.toEqual({ at: 42 });
    await expect(chat.app.server.socket(bobSid).request.areYouThere({ at: 43 })).rejects.toMatchObject({
      code: "CONTRACT_MISMATCH",
    });
    expect(await py.line("are you there")).toMatchObject({ alice: { at: 42 }, bob: { at: 43 } });
    chat.app.server.to(aliceSid).emit.message({ data: "finish" });
    expect((await py.line("finish"))["got"]).toEqual({ data: "finish" });

    // connection-state recovery: socket.io appends the offset (one string) to every event sent without an ack,
    // except iocontract:error, which is sent to its connection directly and never kept (issue 18)
    const extra = await py.line("extra arguments");
    for (const key of ["replies", "errors", "messages"]) {
      const lists = extra[key] as unknown[][];
      expect(lists.length, key).toBeGreaterThan(1);
      for (const list of lists) expect(list, key).toEqual(recovery && key !== "errors" ? [expect.any(String)] : []);
    }

    // disconnect: the admin namespace hears bob leave; alice's disconnect handler runs
    await py.line("done");
    expect(one("admin heard", 1)).toMatchObject({ event: "user left", data: { sid: bobSid, user: bobName } });
    expect(one("disconnect")["alice"]).toBe(true);
    expect(await py.exited, py.stderr).toBe(0);
    expect(py.all("unparsed")).toEqual([]);
    expect(py.all("watchdog")).toEqual([]);
  });
});

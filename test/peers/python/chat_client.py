"""A python-socketio client against the generated chat server, written the way the tutorial writes clients.

    /usr/bin/python3 chat_client.py URL ADMIN_TOKEN

It walks through every row of the design's table and prints one JSON object per line: {"step": ..., ...}.
It reports what it observed; the vitest suite (test/peers/python-client.test.ts) decides what is right.
Events sent without an ack may carry one extra argument (the connection-state-recovery offset, when the server
has recovery on), so every handler takes `*extra`.

Midway it prints {"step": "waiting", ...} and waits for the server to ask "are you there" and then to send the
`message` "finish": the test drives that part from the server side.
"""
import json
import os
import sys
import threading

import socketio

URL = sys.argv[1]
ADMIN_TOKEN = sys.argv[2]
WAIT = 5.0  # seconds, for any one expected event


def out(step, **fields):
    print(json.dumps({"step": step, **fields}), flush=True)


def watchdog():
    out("watchdog", error="the script ran for 60 s: giving up")
    os._exit(3)


timer = threading.Timer(60.0, watchdog)
timer.daemon = True
timer.start()

# Every handler records what it got; the main thread waits on the condition.
seen = {}
cond = threading.Condition()


def record(who, event, value, extra):
    with cond:
        seen.setdefault((who, event), []).append({"value": value, "extra": list(extra)})
        cond.notify_all()


def values(who, event):
    with cond:
        return [entry["value"] for entry in seen.get((who, event), [])]


def extras(who, event):
    with cond:
        return [entry["extra"] for entry in seen.get((who, event), [])]


def wait_for(who, event, predicate=lambda value: True):
    """The first value of `event` seen by `who` that matches, waiting up to WAIT seconds; None if none came."""
    def found():
        for entry in seen.get((who, event), []):
            if predicate(entry["value"]):
                return entry
        return None

    with cond:
        cond.wait_for(lambda: found() is not None, timeout=WAIT)
        entry = found()
        return None if entry is None else entry["value"]


def make_chat_client(who):
    """socketio.Client() with the tutorial's handlers, for one user."""
    sio = socketio.Client(reconnection=False)

    @sio.event
    def connect():
        record(who, "connect", sio.get_sid(), ())

    @sio.event
    def disconnect():
        record(who, "disconnect", True, ())

    @sio.on("my reply")
    def on_reply(data, *extra):
        record(who, "my reply", data, extra)

    @sio.on("message")
    def on_message(data, *extra):
        record(who, "message", data, extra)

    @sio.on("iocontract:error")
    def on_error(err, *extra):
        # A fire-and-forget event was rejected: err names the event.
        record(who, "iocontract:error", err, extra)

    @sio.on("are you there")
    def are_you_there(data):
        record(who, "are you there", data, ())
        if who == "bob":
            return {"at": data["at"]}  # not an envelope: the server must call that a contract mismatch
        return {"ok": True, "data": {"at": data["at"]}}  # answers are envelopes

    return sio


def error_for(who, event):
    return wait_for(who, "iocontract:error", lambda err: err.get("event") == event)


# --- connect (with auth, websocket only) -------------------------------------------------------------------
alice = make_chat_client("alice")
alice.connect(URL, auth={"name": "alice-py"}, transports=["websocket"], wait_timeout=WAIT)
out("connect", who="alice", sid=alice.get_sid(), connected=alice.connected, transport=alice.transport(),
    event=wait_for("alice", "connect"))

# --- the second namespace, /admin: it hears who joins and leaves --------------------------------------------
admin = socketio.Client(reconnection=False)


@admin.on("user joined", namespace="/admin")
def user_joined(data, *extra):
    record("admin", "user joined", data, extra)


@admin.on("user left", namespace="/admin")
def user_left(data, *extra):
    record("admin", "user left", data, extra)


admin.connect(URL, namespaces=["/admin"], auth={"token": ADMIN_TOKEN}, transports=["websocket"], wait_timeout=WAIT)
out("admin connect", namespaces=sorted(admin.namespaces.keys()))

# --- bob connects exactly as the tutorial does: no auth, default transports (polling, then upgrade) ---------
bob = make_chat_client("bob")
bob.connect(URL, wait_timeout=WAIT)  # wait_timeout: the default 1 s is short on a loaded machine
out("connect", who="bob", sid=bob.get_sid(), connected=bob.connected, event=wait_for("bob", "connect"))
out("admin heard", event="user joined", data=wait_for("admin", "user joined", lambda d: d.get("sid") == bob.get_sid()))

# --- my custom event: the server answers the sender with `my reply` ----------------------------------------
alice.emit("my custom event", {"data": "hello"})
out("my custom event", reply=wait_for("alice", "my reply", lambda r: r.get("from") == "server"))

# --- chat (join chat_users), acks through the envelope ------------------------------------------------------
alice.emit("chat")
bob.emit("chat")
out("my rooms", who="alice", answer=alice.call("my rooms", timeout=WAIT))
out("my rooms", who="bob", answer=bob.call("my rooms", timeout=WAIT))

# --- my message -> my reply to the others only --------------------------------------------------------------
answer = alice.call("my message", {"data": "hi bob"}, timeout=WAIT)
out("my message", who="alice", answer=answer, bob_got=wait_for("bob", "my reply", lambda r: r.get("data") == "hi bob"))
# Barrier: bob answers; once alice has that, her own line would have come before it if it were sent to her.
answer = bob.call("my message", {"data": "hi alice"}, timeout=WAIT)
alice_got = wait_for("alice", "my reply", lambda r: r.get("data") == "hi alice")
alice.call("my rooms", timeout=WAIT)  # one more round trip for the handler threads to run
out("my message", who="bob", answer=answer, alice_got=alice_got,
    alice_replies=[r.get("data") for r in values("alice", "my reply")],
    bob_replies=[r.get("data") for r in values("bob", "my reply")])

# --- exit_chat: bob leaves and stops receiving --------------------------------------------------------------
bob.emit("exit_chat")
out("exit_chat", rooms=bob.call("my rooms", timeout=WAIT))
answer = alice.call("my message", {"data": "after bob left"}, timeout=WAIT)
# Barrier on bob's connection: his own custom event is answered after anything sent to him before it.
bob.emit("my custom event", {"data": "barrier"})
barrier = wait_for("bob", "my reply", lambda r: r.get("data") == "you said: barrier")
bob.call("my rooms", timeout=WAIT)
out("after exit_chat", answer=answer, barrier=barrier, bob_replies=[r.get("data") for r in values("bob", "my reply")])
# Leaving again: the handler throws the contract's NOT_IN_ROOM, which comes back through iocontract:error.
bob.emit("exit_chat")
out("exit_chat again", error=error_for("bob", "exit_chat"))
# And through the envelope when there is a callback.
out("my message outside the room", answer=bob.call("my message", {"data": "anyone?"}, timeout=WAIT))

# --- validation errors: iocontract:error for fire-and-forget, error envelopes for calls ----------------------
alice.emit("my custom event", {"data": ""})
out("invalid event", error=error_for("alice", "my custom event"))
alice.emit("my custom event", ({"data": "a"}, {"data": "b"}))  # a tuple is two arguments
out("two arguments", error=wait_for("alice", "iocontract:error",
                                    lambda e: e.get("event") == "my custom event" and "argument" in e.get("message", "")))
alice.emit("no such event", {"data": "x"})
out("unknown event", error=error_for("alice", "no such event"))
out("invalid call", answer=alice.call("my message", {"data": 42}, timeout=WAIT))
out("invalid call, missing field", answer=alice.call("my message", {"text": "x"}, timeout=WAIT))

# --- send / message: the server's send() reaches everyone; a client's send() is not in the contract ----------
out("announce", answer=admin.call("announce", {"text": "hello all"}, namespace="/admin", timeout=WAIT))
out("message", alice=wait_for("alice", "message"), bob=wait_for("bob", "message"))
alice.send({"data": "hi"})
out("client send", error=error_for("alice", "message"))
out("stats", answer=admin.call("stats", namespace="/admin", timeout=WAIT))

# --- refusal ------------------------------------------------------------------------------------------------
def refused(who, namespaces, auth):
    sio = socketio.Client(reconnection=False)
    errors = []
    got_error = threading.Event()

    for namespace in namespaces:
        @sio.on("connect_error", namespace=namespace)
        def connect_error(data, *extra):
            errors.append(data)
            got_error.set()

    try:
        # connect() gives up after wait_timeout (1 s) without the namespace; the refusal may be reported later.
        sio.connect(URL, namespaces=namespaces, auth=auth, transports=["websocket"])
        raised = None
    except socketio.exceptions.ConnectionError as error:
        raised = str(error)
    got_error.wait(WAIT)
    connected = sio.connected
    sio.disconnect()
    out("refused", who=who, raised=raised, connected=connected, errors=errors)


refused("wrong admin token", ["/admin"], {"token": "wrong"})
refused("name taken", ["/"], {"name": "alice-py"})
refused("invalid name", ["/"], {"name": "!!"})

# --- the server asks (server -> client acks); the test drives it ----------------------------------------------
out("waiting", alice=alice.get_sid(), bob=bob.get_sid())
out("are you there", alice=wait_for("alice", "are you there"), bob=wait_for("bob", "are you there"))
out("finish", got=wait_for("alice", "message", lambda m: m.get("data") == "finish"))

# --- extra arguments (the recovery offset) seen by handlers of events sent without an ack -------------------
out("extra arguments", replies=extras("alice", "my reply"), errors=extras("alice", "iocontract:error"),
    messages=extras("alice", "message"))

# --- disconnect ---------------------------------------------------------------------------------------------
bob.disconnect()
out("admin heard", event="user left", data=wait_for("admin", "user left", lambda d: d.get("user", "").startswith("guest-")))
alice.disconnect()
admin.disconnect()
out("disconnect", alice=wait_for("alice", "disconnect"))
out("done")
timer.cancel()

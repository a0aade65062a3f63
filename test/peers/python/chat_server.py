"""The chat contract served by python-socketio (aiohttp), written the tutorial's way and following docs/protocol.md.

    /usr/bin/python3 chat_server.py PORT ADMIN_TOKEN      (PORT 0: any free port)

Binds 127.0.0.1 and prints JSON lines: {"step": "listening", "port": N} once it accepts connections, then one
line per thing the test wants to see from the server side (answers to "are you there"). Stops on SIGTERM, or by
itself after 120 s.

What docs/protocol.md asks of a server, done by hand here (a generated server does it for you):
- acked events ("my message", "my rooms", /admin's "stats" and "announce") answer with an envelope,
  {"ok": True, "data": ...} or {"ok": False, "error": {"code", "message", "details"?}};
- a fire-and-forget event that is rejected is answered with "iocontract:error" naming the event (a
  python-socketio handler cannot tell whether the sender passed a callback, so the contract decides);
- an idempotency key after the payload of an acked event is taken off; a repeated key gets the first answer;
- a refused connection raises ConnectionRefusedError with TWO arguments, "CODE: message" and the data
  {"code", "message", "details"?}: with one argument python-socketio sends no data.
"""
import asyncio
import json
import re
import signal
import sys
import time

import socketio
from aiohttp import web
from socketio.exceptions import ConnectionRefusedError  # not Python's builtin of the same name

PORT = int(sys.argv[1])
ADMIN_TOKEN = sys.argv[2]
ROOM = "chat_users"
NAME = re.compile(r"^[\w .-]+$")


def out(step, **fields):
    print(json.dumps({"step": step, **fields}), flush=True)


sio = socketio.AsyncServer(async_mode="aiohttp")
app = web.Application()
sio.attach(app)

names = {}  # sid -> user name


# --- the contract's checks, by hand --------------------------------------------------------------------------
def wire_error(code, message, details=None):
    error = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return error


def invalid(event, path, message):
    label = f'chat / "{event}"' if " " in event else f"chat / {event}"
    return wire_error("REQUEST_INVALID", f"{label}: {'.'.join(path) or '(payload)'}: {message}",
                      {"issues": [{"path": path, "message": message}]})


def check_message(event, args):
    """The payload of a Message event: exactly one argument, {"data": str of 1..2000 characters}."""
    if len(args) != 1:
        return invalid(event, [], f"expected 1 payload argument, got {len(args)}")
    payload = args[0]
    if not isinstance(payload, dict):
        return invalid(event, [], "Invalid input: expected object")
    data = payload.get("data")
    if not isinstance(data, str):
        return invalid(event, ["data"], "Invalid input: expected string")
    if not 1 <= len(data) <= 2000:
        return invalid(event, ["data"], "Too small: expected string to have >=1 characters" if not data
                       else "Too big: expected string to have <=2000 characters")
    return None


def ok(data):
    return {"ok": True, "data": data}


def fail(error):
    return {"ok": False, "error": error}


async def reject(sid, event, error, namespace="/"):
    """A fire-and-forget event was rejected: tell the sender, naming the event."""
    await sio.emit("iocontract:error", {"event": event, **error}, to=sid, namespace=namespace)


# Generated clients send an idempotency key with every acked event, one more argument after the payload:
# {"iocontract:key": "..."}. The server runs the handler once per key and answers a repeated key (a retry after
# a reconnect) with the first answer.
KEY = "iocontract:key"
first_answers = {}  # (namespace, event, key) -> the first run's task; bounded, oldest dropped first


def once_per_key(event, namespace="/"):
    def wrap(handler):
        async def run(sid, *args):
            key = None
            if args and isinstance(args[-1], dict) and list(args[-1]) == [KEY] and isinstance(args[-1][KEY], str):
                args, key = args[:-1], args[-1][KEY]
            if key is None:
                return await handler(sid, *args)
            slot = (namespace, event, key)
            if slot not in first_answers:
                first_answers[slot] = asyncio.ensure_future(handler(sid, *args))
                while len(first_answers) > 10_000:
                    del first_answers[next(iter(first_answers))]
            return await asyncio.shield(first_answers[slot])
        run.__name__ = handler.__name__
        return run
    return wrap


async def user(sid):
    session = await sio.get_session(sid)
    return session.get("user", sid)


# --- "/" ---------------------------------------------------------------------------------------------------
@sio.event
async def connect(sid, environ, auth=None):
    name = (auth if isinstance(auth, dict) else {}).get("name")
    if name is None:
        name = f"guest-{sid[:5]}"
    elif not isinstance(name, str) or not 1 <= len(name.strip()) <= 32 or not NAME.match(name.strip()):
        message = "chat /: handshake auth invalid: name: letters, digits, spaces, _ . - only"
        raise ConnectionRefusedError(f"UNAUTHORIZED: {message}", wire_error(
            "UNAUTHORIZED", message, {"issues": [{"path": ["name"], "message": "letters, digits, spaces, _ . - only"}]}))
    name = name.strip()
    if name.lower() in (taken.lower() for taken in names.values()):
        message = f'the name "{name}" is taken'
        raise ConnectionRefusedError(f"NAME_TAKEN: {message}", wire_error("NAME_TAKEN", message, {"name": name}))
    names[sid] = name
    await sio.save_session(sid, {"user": name, "joinedAt": int(time.time() * 1000)})
    await sio.emit("user joined", {"sid": sid, "user": name}, namespace="/admin")


@sio.event
async def disconnect(sid):
    name = names.pop(sid, None)
    if name is not None:
        await sio.emit("user left", {"sid": sid, "user": name}, namespace="/admin")


@sio.on("my custom event")
async def my_custom_event(sid, *args):
    error = check_message("my custom event", args)
    if error:
        return await reject(sid, "my custom event", error)
    await sio.emit("my reply", {"data": f"you said: {args[0]['data']}", "from": "server", "at": int(time.time() * 1000)}, room=sid)


@sio.on("chat")
async def begin_chat(sid, *args):
    if args:
        return await reject(sid, "chat", invalid("chat", [], "expected no payload"))
    sio.enter_room(sid, ROOM)
    # The server asks the client (server -> client ack); the client answers with an envelope.
    try:
        answer = await sio.call("are you there", {"at": 42}, to=sid, timeout=5)
    except socketio.exceptions.TimeoutError:
        answer = "timeout"
    out("are you there", sid=sid, answer=answer)


@sio.on("exit_chat")
async def exit_chat(sid, *args):
    if ROOM not in sio.rooms(sid):
        return await reject(sid, "exit_chat", wire_error("NOT_IN_ROOM", "you are not in chat_users", {"room": ROOM}))
    sio.leave_room(sid, ROOM)


@sio.on("my message")
@once_per_key("my message")
async def my_message(sid, *args):
    error = check_message("my message", args)
    if error:
        return fail(error)
    if ROOM not in sio.rooms(sid):
        return fail(wire_error("NOT_IN_ROOM", "join chat_users first", {"room": ROOM}))
    reply = {"data": args[0]["data"], "from": await user(sid), "at": int(time.time() * 1000)}
    await sio.emit("my reply", reply, room=ROOM, skip_sid=sid)
    members = [s for s, _ in sio.manager.get_participants("/", ROOM)]
    return ok({"delivered": len([s for s in members if s != sid])})


@sio.on("my rooms")
@once_per_key("my rooms")
async def my_rooms(sid, *args):
    return ok({"rooms": sio.rooms(sid)})


@sio.on("*")
async def any_event(event, sid, *args):
    error = wire_error("UNKNOWN_EVENT", f'chat /: unknown event "{event}"')
    await reject(sid, event, error)
    return fail(error)


# --- "/admin" ----------------------------------------------------------------------------------------------
@sio.event(namespace="/admin")
async def connect(sid, environ, auth=None):  # noqa: F811 (one handler per namespace, as the tutorial names them)
    token = (auth if isinstance(auth, dict) else {}).get("token")
    if token is None:
        # The tutorial's one-argument form: python-socketio then sends no data, only the message.
        raise ConnectionRefusedError("authentication failed")
    if token != ADMIN_TOKEN:
        raise ConnectionRefusedError("UNAUTHORIZED: wrong admin token", wire_error("UNAUTHORIZED", "wrong admin token"))


@sio.on("stats", namespace="/admin")
@once_per_key("stats", namespace="/admin")
async def stats(sid, *args):
    chat_users = [s for s, _ in sio.manager.get_participants("/", ROOM)]
    return ok({"connected": len(names), "chatUsers": len(chat_users)})


@sio.on("announce", namespace="/admin")
@once_per_key("announce", namespace="/admin")
async def announce(sid, *args):
    payload = args[0] if len(args) == 1 else None
    text = payload.get("text") if isinstance(payload, dict) else None
    if not isinstance(text, str) or not 1 <= len(text) <= 500:
        return fail(invalid("announce", ["text"], "Invalid input: expected a string of 1 to 500 characters"))
    await sio.send({"data": f"[announcement] {text}"})  # the `message` event, to everyone on "/"
    return ok({"recipients": len(names)})


# --- run ---------------------------------------------------------------------------------------------------
async def main():
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", PORT, shutdown_timeout=1)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    out("listening", port=port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), timeout=120)
    except asyncio.TimeoutError:
        out("timeout", error="ran for 120 s: stopping")
    await runner.cleanup()
    out("stopped")


asyncio.run(main())

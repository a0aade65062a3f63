"""The generated Python client (packages/python-client/chat_client) against the generated TypeScript chat server.

    /usr/bin/python3 generated_client.py sync|async URL ADMIN_TOKEN

Walks every event of the chat with ChatClient/ChatAdminClient (sync) or AsyncChatClient/AsyncChatAdminClient
(asyncio) and prints one JSON object per line: {"step": ..., ...}. It reports what it observed; the vitest suite
(test/peers/python-generated.test.ts) decides what is right. The walk is written once, as a coroutine: with the
sync clients each call simply blocks (their handlers run on python-socketio's threads).

Midway it prints {"step": "waiting", ...} and waits for the server to ask "are you there" and then to send the
`message` "finish": the test drives that part from the server side.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../../packages/python-client"))

import chat_client as gen  # noqa: E402

MODE, URL, ADMIN_TOKEN = sys.argv[1], sys.argv[2], sys.argv[3]
SYNC = MODE == "sync"
WAIT = 5.0


def out(step: str, **fields: Any) -> None:
    print(json.dumps({"step": step, **fields}), flush=True)


def watchdog() -> None:
    out("watchdog", error="the script ran for 60 s: giving up")
    os._exit(3)


timer = threading.Timer(60.0, watchdog)
timer.daemon = True
timer.start()

lock = threading.Lock()
seen: dict[tuple[str, str], list[Any]] = {}


def record(who: str, event: str, value: Any) -> None:
    with lock:
        seen.setdefault((who, event), []).append(value)


def values(who: str, event: str) -> list[Any]:
    with lock:
        return list(seen.get((who, event), []))


async def wait_for(who: str, event: str, predicate: Any = lambda value: True) -> Any:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        for value in values(who, event):
            if predicate(value):
                return value
        await asyncio.sleep(0.02)
    return None


async def run(value: Any) -> Any:
    """Awaits what the async clients return; the sync clients' results are already there."""
    return await value if asyncio.iscoroutine(value) else value


def error_fields(error: gen.IocontractError) -> dict[str, Any]:
    return {"code": error.code, "message": error.message, "details": error.details, "event": error.event}


async def attempt(call: Any) -> dict[str, Any]:
    """`call()`'s result or the error it raises (a sync client raises at once, an async one when awaited)."""
    try:
        return {"ok": True, "data": await run(call())}
    except gen.IocontractError as error:
        return {"ok": False, "error": error_fields(error), "type": type(error).__name__}


def chat_client(who: str, auth: gen.Auth | None) -> Any:
    client: Any = gen.ChatClient(auth, reconnection=False) if SYNC else gen.AsyncChatClient(auth, reconnection=False)
    client.on_my_reply(lambda reply: record(who, "my reply", reply))
    client.on_message(lambda message: record(who, "message", message))
    client.on_event_error(lambda error: record(who, "event error", error_fields(error)))
    client.on_connect(lambda: record(who, "connect", True))
    client.on_disconnect(lambda: record(who, "disconnect", True))
    return client


async def main() -> None:
    alice = chat_client("alice", {"name": "alice-gen"})
    bob = chat_client("bob", None)

    def alice_answers(payload: gen.AreYouTherePayload) -> gen.AreYouThereAck:
        record("alice", "are you there", payload)
        return {"at": payload["at"]}

    def bob_refuses(payload: gen.AreYouTherePayload) -> gen.AreYouThereAck:
        record("bob", "are you there", payload)
        raise gen.ChatError("NOT_IN_ROOM", "bob is busy", {"room": "busy"})

    alice.on_are_you_there(alice_answers)
    bob.on_are_you_there(bob_refuses)
    admin: Any = gen.ChatAdminClient({"token": ADMIN_TOKEN}) if SYNC else gen.AsyncChatAdminClient({"token": ADMIN_TOKEN})
    admin.on_user_joined(lambda p: record("admin", "user joined", p))
    admin.on_user_left(lambda p: record("admin", "user left", p))

    await run(admin.connect(URL, transports=["websocket"]))
    await run(alice.connect(URL, transports=["websocket"]))
    await run(bob.connect(URL))
    out("connect", alice=alice.sid, bob=bob.sid, admin=admin.connected, hooks=[values("alice", "connect"), values("bob", "connect")])
    out("admin heard", joined=await wait_for("admin", "user joined", lambda p: p["sid"] == bob.sid))

    # my custom event -> my reply to the sender
    await run(alice.my_custom_event({"data": "hello"}))
    out("my custom event", reply=await wait_for("alice", "my reply"))

    # chat: both join; acks come back unwrapped
    await run(alice.chat())
    await run(bob.chat())
    out("my rooms", alice=await run(alice.my_rooms()), bob=await run(bob.my_rooms()))

    # my message -> my reply to the others only
    delivered = await run(alice.my_message({"data": "hi bob"}))
    out("my message", answer=delivered, bob_got=await wait_for("bob", "my reply", lambda r: r["data"] == "hi bob"))

    # exit_chat, then the contract's own error: raised from a call, and reported for a fire-and-forget event
    await run(bob.exit_chat())
    out("not in room", result=await attempt(lambda: bob.my_message({"data": "anyone?"})))
    await run(bob.exit_chat())
    out("event error", error=await wait_for("bob", "event error"))

    # invalid payloads never leave: raised here, before sending
    bad: Any = {"data": ""}
    out("invalid call", result=await attempt(lambda: alice.my_message(bad)))
    wrong_type: Any = {"data": 5}
    out("invalid event", result=await attempt(lambda: alice.my_custom_event(wrong_type)))
    out("after invalid", event_errors=values("alice", "event error"))

    # /admin
    out("stats", answer=await run(admin.stats()))
    out("announce", answer=await run(admin.announce({"text": "hello all"})))
    out(
        "message",
        alice=await wait_for("alice", "message"),
        bob=await wait_for("bob", "message"),
    )

    # refusals: the server's typed refusal, and auth checked before connecting
    refusals: dict[str, Any] = {}
    for who, make in [
        ("wrong admin token", lambda: gen.ChatAdminClient({"token": "wrong"}) if SYNC else gen.AsyncChatAdminClient({"token": "wrong"})),
        ("name taken", lambda: gen.ChatClient({"name": "alice-gen"}) if SYNC else gen.AsyncChatClient({"name": "alice-gen"})),
        ("invalid name", lambda: gen.ChatClient({"name": ""}) if SYNC else gen.AsyncChatClient({"name": ""})),
    ]:
        client: Any = make()
        hooked: list[Any] = []
        client.on_connect_error(lambda error, hooked=hooked: hooked.append(error_fields(error)))
        result = await attempt(lambda: client.connect(URL, transports=["websocket"]))
        refusals[who] = {"result": result, "hooked": hooked, "connected": client.connected}
    out("refused", **refusals)

    # the server asks (the test drives it), then says "finish"
    out("waiting", alice=alice.sid, bob=bob.sid)
    finish = await wait_for("alice", "message", lambda m: m["data"] == "finish")
    deadline = time.monotonic() + 20
    while finish is None and time.monotonic() < deadline:
        finish = await wait_for("alice", "message", lambda m: m["data"] == "finish")
    out("finish", got=finish, asked={"alice": values("alice", "are you there"), "bob": values("bob", "are you there")})

    # every handler got the payload alone (the recovery offset, when there is one, is dropped)
    out("replies", alice=values("alice", "my reply"), bob=values("bob", "my reply"))

    bob_sid = bob.sid
    await run(bob.disconnect())
    out("admin heard leaving", left=await wait_for("admin", "user left", lambda p: p["sid"] == bob_sid))
    await run(alice.disconnect())
    await run(admin.disconnect())
    out("done", disconnect_hooks=[values("alice", "disconnect"), values("bob", "disconnect")])


asyncio.run(main())
timer.cancel()
os._exit(0)

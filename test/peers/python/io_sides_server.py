"""The io-sides fixture's generated Python server interface (test/fixtures/io-sides/expected/python_server) on
python-socketio's AsyncServer and aiohttp, for test/peers/python-io-sides.test.ts: each handler prints what it was
given as a JSON line ({"step": "given", "event", "value"}) and answers in the wire form.

    /usr/bin/python3 io_sides_server.py

Binds 127.0.0.1 on a free port and prints {"step": "listening", "port": N}; stops on SIGTERM, or by itself after
60 s.
"""
from __future__ import annotations

import asyncio
import importlib
import json
import os
import signal
import sys
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../fixtures/io-sides/expected"))

from python_server import (  # noqa: E402
    Auth,
    IoSidesContext,
    IoSidesEmitter,
    OrderAckInput,
    OrderPayload,
    SaveAckInput,
    ScheduleAckInput,
    SchedulePayload,
    Settings,
    CountPayload,
    ShoutPayload,
    attach_io_sides,
)

socketio: Any = importlib.import_module("socketio")
web: Any = importlib.import_module("aiohttp.web")


def given(event: str, value: object) -> None:
    print(json.dumps({"step": "given", "event": event, "value": value}), flush=True)


class Sides:
    def __init__(self) -> None:
        self.emitter: IoSidesEmitter | None = None

    async def connect(self, ctx: IoSidesContext, auth: Auth) -> None:
        given("connect", auth)

    async def disconnect(self, ctx: IoSidesContext) -> None:
        pass

    async def save(self, payload: Settings, ctx: IoSidesContext) -> SaveAckInput:
        given("save", payload)
        assert self.emitter is not None
        # a request to the client: its answer comes back with the defaults filled in
        answer = await self.emitter.request_tick(ctx.sid, {"at": "2026-01-02T03:04:05Z"})
        given("tick answer", answer)
        await self.emitter.settings({}, to=ctx.sid)
        return {"saved": {"volume": payload["volume"] + 1}}  # the rest is left to the receiver's defaults

    async def order(self, payload: OrderPayload, ctx: IoSidesContext) -> OrderAckInput:
        given("order", payload)
        return {"total": sum(item["qty"] for item in payload["items"])}

    async def schedule(self, payload: SchedulePayload, ctx: IoSidesContext) -> ScheduleAckInput:
        given("schedule", payload)
        return {"at": payload["at"]}  # a codec's wire form: the TypeScript client decodes it

    async def count(self, payload: CountPayload, ctx: IoSidesContext) -> None:
        given("count", payload)

    async def shout(self, payload: ShoutPayload, ctx: IoSidesContext) -> None:
        given("shout", payload)


async def main() -> None:
    sio = socketio.AsyncServer(async_mode="aiohttp")
    app = web.Application()
    sio.attach(app)
    sides = Sides()
    sides.emitter = attach_io_sides(sio, sides)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, shutdown_timeout=1)
    await site.start()
    print(json.dumps({"step": "listening", "port": site._server.sockets[0].getsockname()[1]}), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), timeout=60)
    except asyncio.TimeoutError:
        pass
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())

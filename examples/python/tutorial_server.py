"""The chat served from Python: the generated server interface (packages/python-server/chat_server) on
python-socketio's AsyncServer and aiohttp. The web page, the TypeScript CLI and the generated clients work against it.

    PYTHONPATH=packages/python-server /usr/bin/python3 examples/python/tutorial_server.py [PORT] [ADMIN_TOKEN] [WEB_ROOT]

Binds 127.0.0.1 (PORT 0: any free port) and prints one JSON line, {"step": "listening", "port": N}, once it accepts
connections; stops on SIGTERM or SIGINT (or by itself after `IOCONTRACT_PY_SERVER_SECONDS`, when set).

WEB_ROOT (the example's built page, examples/chat/dist/web after `npm run build`): served as the TypeScript chat
server serves it, `/` and `/index.html`, `/app.js`, and the contract's reference at `/docs`, so the page, which
connects to the server it was loaded from, chats through this server.
"""
from __future__ import annotations

import asyncio
import importlib
import json
import os
import signal
import sys
import time
from typing import Any

from chat_server import (
    AdminAnnounceAck,
    AdminAnnouncePayload,
    AdminAuth,
    AdminStatsAck,
    Auth,
    ChatAdminContext,
    ChatAdminEmitter,
    ChatAdminError,
    ChatContext,
    ChatEmitter,
    ChatError,
    Message,
    MyMessageAck,
    MyRoomsAck,
    attach_chat,
    attach_chat_admin,
)

socketio: Any = importlib.import_module("socketio")
web: Any = importlib.import_module("aiohttp.web")

ROOM = "chat_users"


# The page's files, as the TypeScript chat server serves them (examples/chat/src/server/app.ts).
STATIC = {
    "/": ("index.html", "text/html"),
    "/index.html": ("index.html", "text/html"),
    "/app.js": ("app.js", "text/javascript"),
    "/docs": ("docs.html", "text/html"),
}


def serve_page(app: Any, web_root: str) -> None:
    """Routes the page's files (GET only; anything else is aiohttp's 404 or 405; /socket.io/ stays the server's)."""
    for route, (file, content_type) in STATIC.items():
        path = os.path.join(web_root, file)

        async def page(_request: Any, path: str = path, content_type: str = content_type) -> Any:
            if not os.path.isfile(path):
                return web.Response(status=500, text=f"missing {os.path.basename(path)}: run npm run build")
            with open(path, "rb") as f:
                body = f.read()
            return web.Response(body=body, content_type=content_type, charset="utf-8", headers={"cache-control": "no-store"})

        app.router.add_get(route, page)

    async def no_icon(_request: Any) -> Any:
        return web.Response(status=204)

    app.router.add_get("/favicon.ico", no_icon)


class Chat:
    """Namespace "/": implements ChatHandlers (pyright checks every method against the contract)."""

    def __init__(self, admin: ChatAdminEmitter) -> None:
        self.admin = admin
        self.names: dict[str, str] = {}

    async def connect(self, ctx: ChatContext, auth: Auth) -> None:
        name = auth.get("name", f"guest-{ctx.sid[:5]}").strip()
        if name.lower() in (taken.lower() for taken in self.names.values()):
            raise ChatError("NAME_TAKEN", f"the name {json.dumps(name)} is taken", {"name": name})
        self.names[ctx.sid] = name
        await ctx.save_session({"user": name, "joinedAt": int(time.time() * 1000)})
        await self.admin.user_joined({"sid": ctx.sid, "user": name})

    async def disconnect(self, ctx: ChatContext) -> None:
        name = self.names.pop(ctx.sid, None)
        if name is not None:
            await self.admin.user_left({"sid": ctx.sid, "user": name})

    async def my_custom_event(self, payload: Message, ctx: ChatContext) -> None:
        await ctx.emit.my_reply({"data": f"you said: {payload['data']}", "from": "server", "at": int(time.time() * 1000)}, to=ctx.sid)

    async def chat(self, ctx: ChatContext) -> None:
        ctx.enter_room(ROOM)
        # The server asks the newcomer (a server→client request): the answer comes back typed, or an error raised.
        try:
            answer: object = await ctx.emit.request_are_you_there(ctx.sid, {"at": 42})
        except ChatError as error:
            answer = {"code": error.code}
        print(json.dumps({"step": "are you there", "sid": ctx.sid, "answer": answer}), flush=True)

    async def exit_chat(self, ctx: ChatContext) -> None:
        if ROOM not in ctx.rooms():
            raise ChatError("NOT_IN_ROOM", "you are not in chat_users", {"room": ROOM})
        ctx.leave_room(ROOM)

    async def my_message(self, payload: Message, ctx: ChatContext) -> MyMessageAck:
        if ROOM not in ctx.rooms():
            raise ChatError("NOT_IN_ROOM", "join chat_users first", {"room": ROOM})
        user = str((await ctx.get_session()).get("user", ctx.sid))
        await ctx.emit.my_reply({"data": payload["data"], "from": user, "at": int(time.time() * 1000)}, to=ROOM, skip_sid=ctx.sid)
        return {"delivered": len([sid for sid in ctx.emit.sids(ROOM) if sid != ctx.sid])}

    async def my_rooms(self, ctx: ChatContext) -> MyRoomsAck:
        return {"rooms": ctx.rooms()}


class Admin:
    """Namespace "/admin": implements ChatAdminHandlers."""

    def __init__(self, token: str, chat: Chat) -> None:
        self.token = token
        self.chat = chat
        self.chat_emitter: ChatEmitter | None = None

    async def connect(self, ctx: ChatAdminContext, auth: AdminAuth) -> None:
        if auth["token"] != self.token:
            raise ChatAdminError("UNAUTHORIZED", "wrong admin token")

    async def disconnect(self, ctx: ChatAdminContext) -> None:
        pass

    async def stats(self, ctx: ChatAdminContext) -> AdminStatsAck:
        assert self.chat_emitter is not None
        return {"connected": len(self.chat_emitter.sids()), "chatUsers": len(self.chat_emitter.sids(ROOM))}

    async def announce(self, payload: AdminAnnouncePayload, ctx: ChatAdminContext) -> AdminAnnounceAck:
        assert self.chat_emitter is not None
        await self.chat_emitter.message({"data": f"[announcement] {payload['text']}"})  # python-socketio's send()
        return {"recipients": len(self.chat_emitter.sids())}


async def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    token = sys.argv[2] if len(sys.argv) > 2 else "admin"
    web_root = sys.argv[3] if len(sys.argv) > 3 else None
    sio = socketio.AsyncServer(async_mode="aiohttp")
    app = web.Application()
    sio.attach(app)
    if web_root is not None:
        serve_page(app, web_root)
    admin_emitter = ChatAdminEmitter(sio)
    chat = Chat(admin_emitter)
    admin = Admin(token, chat)
    admin.chat_emitter = attach_chat(sio, chat)
    attach_chat_admin(sio, admin)

    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port, shutdown_timeout=1)
    await site.start()
    print(json.dumps({"step": "listening", "port": site._server.sockets[0].getsockname()[1]}), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    limit = os.environ.get("IOCONTRACT_PY_SERVER_SECONDS")
    try:
        await asyncio.wait_for(stop.wait(), timeout=float(limit) if limit else None)
    except asyncio.TimeoutError:
        pass
    await runner.cleanup()
    print(json.dumps({"step": "stopped"}), flush=True)


if __name__ == "__main__":
    asyncio.run(main())

// A piece of one Python line of the module below (the issues of a payload sent with the wrong number of arguments),
// named so that the TypeScript line stays short; the printed Python line is whole.
const ARITY_ISSUES =
  '[{"path": [], "message": f"expected 1 payload argument, got {len(args)}" if args else "a payload is required"}]';

/** The server half of the Python runtime (`_runtime_server.py`), printed into python-server packages as it is. */
export const RUNTIME_SERVER_PY = String.raw`"""The server half of the runtime: attaches a namespace's handlers to a python-socketio AsyncServer, validating
inbound payloads, wrapping answers in the ack envelope, mapping raised errors, answering invalid and unknown events
as the TypeScript server does (docs/protocol.md). Generated with the package; do not edit."""
from __future__ import annotations

import asyncio
import importlib
import inspect
from typing import Any, Callable

from ._runtime import ERROR_EVENT, IDEMPOTENCY_KEY, EventSpec, IocontractError, NamespaceSpec, from_envelope, invalid

_sio_errors: Any = importlib.import_module("socketio.exceptions")

MAX_KEYS = 50_000


class Context:
    """One connection, as a handler sees it: its sid, rooms and session."""

    def __init__(self, sio: Any, spec: NamespaceSpec, sid: str) -> None:
        self.sio = sio
        self.sid = sid
        self._spec = spec

    def enter_room(self, room: str) -> None:
        self.sio.enter_room(self.sid, room, namespace=self._spec.path)

    def leave_room(self, room: str) -> None:
        self.sio.leave_room(self.sid, room, namespace=self._spec.path)

    def rooms(self) -> list[str]:
        return list(self.sio.rooms(self.sid, namespace=self._spec.path))

    async def get_session(self) -> dict[str, Any]:
        return await self.sio.get_session(self.sid, namespace=self._spec.path)

    async def save_session(self, session: dict[str, Any]) -> None:
        await self.sio.save_session(self.sid, session, namespace=self._spec.path)


class Emitter:
    """Typed sends of one namespace: validated before they leave."""

    def __init__(self, sio: Any, spec: NamespaceSpec) -> None:
        self.sio = sio
        self._spec = spec

    def sids(self, room: str | None = None) -> list[str]:
        """The sids connected to this namespace, or in one of its rooms (this server process)."""
        if self._spec.path not in self.sio.manager.rooms:
            return []
        return [sid for sid, _ in self.sio.manager.get_participants(self._spec.path, room)]

    async def _emit(self, wire: str, payload: object, to: str | None, skip_sid: str | None) -> None:
        ev = self._spec.server_to_client[wire]
        if ev.payload is not None:
            issues = ev.payload.issues(payload)
            if issues:
                raise invalid("REQUEST_INVALID", self._spec, wire, "", issues)
        args: Any = () if ev.payload is None else payload
        await self.sio.emit(wire, args, to=to, skip_sid=skip_sid, namespace=self._spec.path)

    async def _request(self, wire: str, sid: str, payload: object, timeout_ms: int | None) -> Any:
        ev = self._spec.server_to_client[wire]
        if ev.payload is not None:
            issues = ev.payload.issues(payload)
            if issues:
                raise invalid("REQUEST_INVALID", self._spec, wire, "", issues)
        timeout = (ev.timeout_ms if timeout_ms is None else timeout_ms) / 1000
        try:
            answer = await self.sio.call(wire, payload, to=sid, namespace=self._spec.path, timeout=timeout)
        except _sio_errors.TimeoutError:
            raise self._spec.error("TIMEOUT", f"{self._spec.where(wire)}: no answer within {round(timeout * 1000)} ms", None, wire) from None
        except _sio_errors.DisconnectedError:
            raise self._spec.error("DISCONNECTED", f"{self._spec.where(wire)}: the client is not connected", None, wire) from None
        return from_envelope(self._spec, ev, answer, True)


def _wire(error: IocontractError) -> dict[str, object]:
    return error.to_wire()


class Attachment:
    def __init__(self, sio: Any, spec: NamespaceSpec, handlers: Any, methods: dict[str, str], context: Callable[[str], Context]) -> None:
        self.sio = sio
        self.spec = spec
        self.handlers = handlers
        self.methods = methods
        self.context = context
        self.first_answers: dict[tuple[str, str], asyncio.Future[Any]] = {}
        ns = spec.path
        sio.on("connect", self._connect, namespace=ns)
        sio.on("disconnect", self._disconnect, namespace=ns)
        for wire in spec.client_to_server:
            sio.on(wire, self._event(wire), namespace=ns)
        sio.on("*", self._unknown, namespace=ns)

    async def _connect(self, sid: str, environ: Any, auth: Any = None) -> None:
        value: object = {} if auth is None else auth
        if self.spec.auth is not None:
            issues = self.spec.auth.issues(value)
            if issues:
                error = invalid("UNAUTHORIZED", self.spec, None, "handshake auth invalid: ", issues)
                raise _sio_errors.ConnectionRefusedError(f"{error.code}: {error.message}", _wire(error))
            value = self.spec.auth.received(value)
        connect = getattr(self.handlers, "connect", None)
        if connect is None:
            return
        try:
            await _maybe(connect(self.context(sid), value))
        except IocontractError as error:
            raise _sio_errors.ConnectionRefusedError(f"{error.code}: {error.message}", _wire(error)) from None

    async def _disconnect(self, sid: str) -> None:
        disconnect = getattr(self.handlers, "disconnect", None)
        if disconnect is not None:
            await _maybe(disconnect(self.context(sid)))

    def _event(self, wire: str) -> Callable[..., Any]:
        ev = self.spec.client_to_server[wire]
        method = getattr(self.handlers, self.methods[wire])

        async def run(sid: str, *args: Any) -> Any:
            key: str | None = None
            if ev.ack is not None and args and _is_key(args[-1]):
                args, key = args[:-1], args[-1][IDEMPOTENCY_KEY]
            if key is None:
                return await self._run(ev, method, sid, args)
            slot = (wire, key)
            if slot not in self.first_answers:
                self.first_answers[slot] = asyncio.ensure_future(self._run(ev, method, sid, args))
                while len(self.first_answers) > MAX_KEYS:
                    del self.first_answers[next(iter(self.first_answers))]
            return await asyncio.shield(self.first_answers[slot])

        return run

    async def _run(self, ev: EventSpec, method: Callable[..., Any], sid: str, args: tuple[Any, ...]) -> Any:
        try:
            if ev.payload is not None:
                if len(args) != 1:
                    raise invalid("REQUEST_INVALID", self.spec, ev.wire, "", ${ARITY_ISSUES})
                issues = ev.payload.issues(args[0])
                if issues:
                    raise invalid("REQUEST_INVALID", self.spec, ev.wire, "", issues)
                result = await _maybe(method(ev.payload.received(args[0]), self.context(sid)))
            else:
                if args:
                    raise invalid("REQUEST_INVALID", self.spec, ev.wire, "", [{"path": [], "message": "expected no payload"}])
                result = await _maybe(method(self.context(sid)))
        except IocontractError as error:
            return await self._fail(ev, sid, _wire(error))
        except Exception:  # noqa: BLE001 - nothing internal is revealed
            return await self._fail(ev, sid, {"code": "HANDLER_FAILED", "message": f"{self.spec.where(ev.wire)}: the handler failed"})
        if ev.ack is None:
            return None
        issues = ev.ack.issues(result)
        if issues:
            return {"ok": False, "error": {"code": "RESPONSE_INVALID", "message": f"{self.spec.where(ev.wire)}: the server's answer is invalid"}}
        return {"ok": True, "data": result}

    async def _fail(self, ev: EventSpec, sid: str, error: dict[str, object]) -> Any:
        if ev.ack is not None:
            return {"ok": False, "error": error}
        await self.sio.emit(ERROR_EVENT, {"event": ev.wire, **error}, to=sid, namespace=self.spec.path)
        return None

    async def _unknown(self, event: str, sid: str, *args: Any) -> Any:
        error: dict[str, object] = {"code": "UNKNOWN_EVENT", "message": f"{self.spec.where()}: unknown event {_quote(event)}"}
        await self.sio.emit(ERROR_EVENT, {"event": event, **error}, to=sid, namespace=self.spec.path)
        return {"ok": False, "error": error}


def _is_key(arg: Any) -> bool:
    if not isinstance(arg, dict):
        return False
    entries: dict[str, Any] = arg  # pyright: ignore[reportUnknownVariableType]
    key = entries.get(IDEMPOTENCY_KEY)
    return list(entries) == [IDEMPOTENCY_KEY] and isinstance(key, str) and 0 < len(key) <= 128


def _quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


async def _maybe(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value
`;

// A piece of two Python lines of the module below (the event an iocontract:error envelope names, or None), named so
// that the TypeScript lines stay short; the printed Python lines are whole.
const WIRE_EVENT = "event if isinstance(event, str) and event else None";

/** The runtime module every generated Python package carries (`_runtime.py`): printed as it is. */
export const RUNTIME_PY = String.raw`"""The runtime the generated modules of this package call: validation, the ack envelope, errors, calls with
timeouts and retries, over python-socketio's Client and AsyncClient. Generated with the package; do not edit."""
from __future__ import annotations

import asyncio
import copy
import inspect
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Literal, Mapping, Union, cast

import importlib

# python-socketio and jsonschema ship no types: the runtime treats them as Any, and types what it passes on.
socketio: Any = importlib.import_module("socketio")
_sio_errors: Any = importlib.import_module("socketio.exceptions")
jsonschema: Any = importlib.import_module("jsonschema")

ERROR_EVENT = "iocontract:error"
IDEMPOTENCY_KEY = "iocontract:key"
PREFAULT = "x-iocontract-prefault"
DEFAULT_RETRIES = 2

BuiltinErrorCode = Literal[
    "REQUEST_INVALID",
    "RESPONSE_INVALID",
    "HANDLER_FAILED",
    "UNKNOWN_EVENT",
    "TIMEOUT",
    "RATE_LIMITED",
    "PAYLOAD_TOO_LARGE",
    "SHUTTING_DOWN",
    "UNAUTHORIZED",
    "CONTRACT_MISMATCH",
    "DISCONNECTED",
    "CONNECTION_FAILED",
]

class IocontractError(Exception):
    """An error envelope, a refusal, a timeout or a disconnect: code, a one-line message, optional details.
    Each namespace has its subclass (ChatError...) whose code is typed with the namespace's codes."""

    def __init__(self, code: str, message: str, details: object = None, event: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self._code = code
        self.message = message
        self.details = details
        self.event = event

    @property
    def code(self) -> str:
        return self._code

    def to_wire(self) -> dict[str, object]:
        wire: dict[str, object] = {"code": self.code, "message": self.message}
        if self.details is not None:
            wire["details"] = self.details
        return wire


def _issue_path(error: Any) -> list[str | int]:
    path: list[str | int] = [p for p in error.absolute_path]
    if error.validator == "required":
        instance: Any = error.instance
        missing: list[str] = [str(k) for k in error.validator_value if isinstance(instance, dict) and k not in instance]
        if missing:
            path.append(missing[0])
    return path


_TYPE_NAMES = {"string": "string", "number": "number", "integer": "integer", "boolean": "boolean", "object": "object", "array": "array", "null": "null"}


def _issue_message(error: Any) -> str:
    """One line that never echoes the value (as the TypeScript side's issues)."""
    kind = error.validator
    rule = error.validator_value
    if kind == "type":
        names: list[str] = [str(n) for n in cast(list[object], rule)] if isinstance(rule, list) else [str(rule)]
        return "Invalid input: expected " + " | ".join(_TYPE_NAMES.get(n, n) for n in names)
    if kind == "required":
        return "Invalid input: a required key is missing"
    if kind in ("minLength", "minItems", "minProperties"):
        return f"Too small: expected at least {rule} {'characters' if kind == 'minLength' else 'items'}"
    if kind in ("maxLength", "maxItems", "maxProperties"):
        return f"Too big: expected at most {rule} {'characters' if kind == 'maxLength' else 'items'}"
    if kind == "minimum":
        return f"Too small: expected >={rule}"
    if kind == "exclusiveMinimum":
        return f"Too small: expected >{rule}"
    if kind == "maximum":
        return f"Too big: expected <={rule}"
    if kind == "exclusiveMaximum":
        return f"Too big: expected <{rule}"
    if kind in ("const", "enum"):
        return "Invalid option: expected one of the values the contract lists"
    if kind == "pattern":
        return "Invalid string: must match the pattern the contract gives"
    if kind == "additionalProperties":
        return "Unrecognized key"
    if kind in ("anyOf", "oneOf"):
        return "Invalid input: matches none of the options"
    return f"Invalid input ({kind})"


class Validator:
    """The JSON Schemas (draft 2020-12) of one auth, payload or ack, checked with jsonschema. The input side is what
    travels: a sender checks it before sending, a receiver on receipt (zod's parse accepts exactly its input side).
    The output side is what zod's parse gives a TypeScript receiver (embedded where it cannot be derived, else
    derived_output() of the input side);
    a Python receiver gets the value it received with the defaults zod fills in (see received())."""

    def __init__(self, schema: Mapping[str, Any], output: Mapping[str, Any] | None = None) -> None:
        self.schema = schema
        # Given where the generator found zod's output side to be other than derived_output() says.
        self.output: Mapping[str, Any] = derived_output(schema) if output is None else output
        self._validator: Any = jsonschema.Draft202012Validator(schema)
        self._output: Any = None
        self._reshapes = _reshapes(schema)
        self._options: dict[int, Any] = {}

    def issues(self, value: object) -> list[dict[str, object]]:
        """What is wrong with a value on the input side (what travels); [] when it is valid."""
        return _issues(self._validator, value)

    def output_issues(self, value: object) -> list[dict[str, object]]:
        """What is wrong with a value on the output side (what a TypeScript receiver holds); [] when it is valid."""
        if self._output is None:
            self._output = jsonschema.Draft202012Validator(self.output)
        return _issues(self._output, value)

    def received(self, value: object) -> object:
        """A received value as a receiver holds it, as zod's parse shapes it where JSON can say how: a missing key
        whose schema has a default gets that default (a copy), and an object drops the keys its schema does not
        list (unless it allows more: a loose object, a catchall); anything else is as it travelled (codecs are not
        decoded, transforms not run). The value given is not changed."""
        return _fill(self._accepts, self.schema, self.schema, value) if self._reshapes else value

    def _accepts(self, option: Mapping[str, Any], value: object) -> bool:
        """Whether a union's option accepts a value (its validator made once, references resolved in the whole schema)."""
        key = id(option)
        checker = self._options.get(key)
        if checker is None:
            checker = self._options[key] = self._validator.evolve(schema=option)
        return bool(checker.is_valid(value))


def _issues(validator: Any, value: object) -> list[dict[str, object]]:
    errors: list[Any] = sorted(validator.iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path])
    return [{"path": _issue_path(e), "message": _issue_message(e)} for e in errors]


def derived_output(node: Any) -> Any:
    """zod's output side from its input side, where nothing but defaults and objects make them differ (the generator
    checks that it is so, and embeds the output side where it is not): a plain object (properties, nothing said of
    other keys) refuses other keys, a key with a default is required, a prefault's value is no part of it."""
    if isinstance(node, list):
        return [derived_output(v) for v in cast(list[Any], node)]
    if not isinstance(node, dict):
        return node
    source = cast(dict[str, Any], node)
    out: dict[str, Any] = {}
    for key, value in source.items():
        if key == PREFAULT or (key == "default" and source.get(PREFAULT) is True):
            continue
        out[key] = value if key in ("default", "const", "enum") else derived_output(value)
    properties = source.get("properties")
    if isinstance(properties, dict):
        props = cast(dict[str, Any], properties)
        required: list[str] = list(source.get("required", []))
        defaulted = [k for k, v in props.items() if isinstance(v, dict) and "default" in v]
        every = required + [k for k in defaulted if k not in required]
        if every:
            out["required"] = [k for k in props if k in every] + [k for k in required if k not in props]
        if "additionalProperties" not in source:
            out["additionalProperties"] = False
    return out


def _reshapes(node: object) -> bool:
    """True when received() can change a value: a default, or an object that drops the keys it does not list."""
    if isinstance(node, dict):
        entries = cast(dict[str, object], node)
        if "default" in entries or ("properties" in entries and "additionalProperties" not in entries):
            return True
        return any(_reshapes(v) for v in entries.values())
    if isinstance(node, list):
        return any(_reshapes(v) for v in cast(list[object], node))
    return False


def _resolve(root: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = node.get("$ref")
    if ref == "#":
        return root
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        defs: Any = root.get("$defs", {})
        target: Any = defs.get(ref[len("#/$defs/"):])
        if isinstance(target, dict):
            return _resolve(root, cast(Mapping[str, Any], target))
    return node


def _fill(accepts: Callable[[Mapping[str, Any], object], bool], root: Mapping[str, Any], node: Mapping[str, Any], value: object, strip: bool = True) -> object:
    """What zod's parse does to a valid value that JSON can say: a missing key gets its default (from the JSON
    Schema's "default" keyword), unparsed as zod leaves a .default() (a .prefault() is shaped too); an object whose schema lists its
    keys and says nothing of others (a plain z.object: zod strips the others) drops the others; present values are
    shaped in the same way, by the union option that accepts them, the first (as zod picks it)."""
    node = _resolve(root, node)
    if isinstance(value, dict):
        filled: dict[str, object] = dict(cast(dict[str, object], value))
        properties: Any = node.get("properties")
        known: set[str] = set()
        if strip and isinstance(properties, dict) and "additionalProperties" not in node:
            filled = {k: v for k, v in filled.items() if k in properties}
        if isinstance(properties, dict):
            for key, sub in cast(dict[str, Any], properties).items():
                known.add(key)
                target = _resolve(root, sub)
                if key in filled:
                    filled[key] = _fill(accepts, root, target, filled[key])
                elif "default" in sub or "default" in target:
                    given = copy.deepcopy(sub["default"] if "default" in sub else target["default"])
                    # zod parses a .prefault() value (marked so by the generator) as if it had been sent.
                    filled[key] = _fill(accepts, root, target, given) if PREFAULT in sub or PREFAULT in target else given
        extra: Any = node.get("additionalProperties")
        if isinstance(extra, dict):
            for key in filled:
                if key not in known:
                    filled[key] = _fill(accepts, root, cast(Mapping[str, Any], extra), filled[key])
        value = filled
    elif isinstance(value, list):
        prefix: Any = node.get("prefixItems")
        items: Any = node.get("items")
        heads: list[Any] = cast(list[Any], prefix) if isinstance(prefix, list) else []
        out: list[object] = []
        for i, item in enumerate(cast(list[object], value)):
            sub_node: Any = heads[i] if i < len(heads) else items
            out.append(_fill(accepts, root, cast(Mapping[str, Any], sub_node), item) if isinstance(sub_node, dict) else item)
        value = out
    parts: Any = node.get("allOf")
    if isinstance(parts, list):
        for part in cast(list[Any], parts):
            # One part of an intersection does not list the other's keys: none drops any.
            value = _fill(accepts, root, part, value, strip=False)
    for key in ("anyOf", "oneOf"):
        options: Any = node.get(key)
        if isinstance(options, list):
            for option in cast(list[Any], options):
                if accepts(option, value):
                    return _fill(accepts, root, option, value)
    return value


@dataclass(frozen=True)
class EventSpec:
    wire: str
    payload: Validator | None
    ack: Validator | None
    timeout_ms: int


@dataclass(frozen=True)
class NamespaceSpec:
    contract: str
    version: str
    path: str
    auth: Validator | None
    error: type[IocontractError]
    client_to_server: dict[str, EventSpec] = field(default_factory=lambda: {})
    server_to_client: dict[str, EventSpec] = field(default_factory=lambda: {})

    def where(self, event: str | None = None) -> str:
        return f"{self.contract} {self.path}" + ("" if event is None else f" {_quote(event)}")


def _quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _describe(issues: list[dict[str, object]]) -> str:
    parts: list[str] = []
    for issue in issues[:5]:
        path = cast(list[object], issue["path"])
        where = ".".join(str(p) for p in path)
        parts.append(f"{where or '(value)'}: {issue['message']}")
    if len(issues) > 5:
        parts.append(f"and {len(issues) - 5} more")
    return "; ".join(parts)


def invalid(code: str, spec: NamespaceSpec, event: str | None, prefix: str, issues: list[dict[str, object]]) -> IocontractError:
    return spec.error(code, f"{spec.where(event)}: {prefix}{_describe(issues)}", {"issues": issues}, event)


def checked_auth(spec: NamespaceSpec, auth: object) -> object:
    """The handshake auth, checked before anything is sent (none is checked as {})."""
    if spec.auth is None:
        return auth
    value: object = {} if auth is None else auth
    issues = spec.auth.issues(value)
    if issues:
        raise invalid("REQUEST_INVALID", spec, None, "handshake auth invalid: ", issues)
    return value


def check_outgoing(spec: NamespaceSpec, ev: EventSpec, payload: object) -> None:
    """An invalid payload never leaves: raises REQUEST_INVALID naming the event and the fields."""
    if ev.payload is not None:
        issues = ev.payload.issues(payload)
        if issues:
            raise invalid("REQUEST_INVALID", spec, ev.wire, "", issues)


def from_envelope(spec: NamespaceSpec, ev: EventSpec, answer: object, validate: bool) -> object:
    """The ack inside an envelope, or the error it carries, raised."""
    if not isinstance(answer, dict) or "ok" not in answer:
        raise spec.error("CONTRACT_MISMATCH", f"{spec.where(ev.wire)}: the server's answer is not an ack envelope ({{ ok, data | error }})", None, ev.wire)
    envelope = cast(dict[str, Any], answer)
    if envelope["ok"] is True:
        data = envelope.get("data")
        if validate and ev.ack is not None:
            issues = ev.ack.issues(data)
            if issues:
                raise invalid("RESPONSE_INVALID", spec, ev.wire, "the server's answer is invalid: ", issues)
        return data if ev.ack is None else ev.ack.received(data)
    error = envelope.get("error")
    if isinstance(error, dict) and isinstance(cast(dict[str, Any], error).get("code"), str):
        wire = cast(dict[str, Any], error)
        raise spec.error(wire["code"], str(wire.get("message", "")), wire.get("details"), ev.wire)
    raise spec.error("CONTRACT_MISMATCH", f"{spec.where(ev.wire)}: the server's answer is not an ack envelope ({{ ok, data | error }})", None, ev.wire)


def refusal(spec: NamespaceSpec, data: object) -> IocontractError:
    """The server's typed refusal, from python-socketio's connect_error argument."""
    if isinstance(data, dict):
        outer = cast(dict[str, Any], data)
        inner = outer.get("data")
        if isinstance(inner, dict) and isinstance(cast(dict[str, Any], inner).get("code"), str):
            wire = cast(dict[str, Any], inner)
            return spec.error(wire["code"], str(wire.get("message", "")), wire.get("details"))
        if isinstance(outer.get("message"), str):
            return spec.error("UNAUTHORIZED", str(outer["message"]))
    if isinstance(data, str) and data:
        return spec.error("CONNECTION_FAILED", data)
    return spec.error("UNAUTHORIZED", f"{spec.where()}: the server refused the connection")


def incoming_payload(spec: NamespaceSpec, ev: EventSpec, args: tuple[Any, ...], validate: bool) -> tuple[object, IocontractError | None]:
    """The payload of an incoming event (a trailing recovery offset ignored), or why it is refused."""
    if ev.payload is None:
        return None, None
    payload: object = args[0] if args else None
    if validate:
        issues = ev.payload.issues(payload)
        if issues:
            return None, invalid("CONTRACT_MISMATCH", spec, ev.wire, "the server sent an invalid payload: ", issues)
    return ev.payload.received(payload), None


def answer_envelope(spec: NamespaceSpec, ev: EventSpec, answer: object, validate: bool) -> dict[str, object]:
    if validate and ev.ack is not None:
        issues = ev.ack.issues(answer)
        if issues:
            error = invalid("RESPONSE_INVALID", spec, ev.wire, "the answer is invalid: ", issues)
            return {"ok": False, "error": error.to_wire()}
    return {"ok": True, "data": answer}


def error_envelope(spec: NamespaceSpec, ev: EventSpec, error: BaseException) -> dict[str, object]:
    if isinstance(error, IocontractError):
        return {"ok": False, "error": error.to_wire()}
    return {"ok": False, "error": {"code": "HANDLER_FAILED", "message": f"{spec.where(ev.wire)}: the handler failed"}}


class _Keys:
    def __init__(self) -> None:
        self._id = secrets.token_hex(6)
        self._next = 0
        self._lock = threading.Lock()

    def next(self) -> dict[str, str]:
        with self._lock:
            self._next += 1
            return {IDEMPOTENCY_KEY: f"{self._id}.{self._next:x}"}


Handler = Callable[..., Any]


class _Hooks:
    def __init__(self) -> None:
        self.connect: list[Callable[[], Any]] = []
        self.disconnect: list[Callable[[], Any]] = []
        self.connect_error: list[Callable[[IocontractError], Any]] = []
        self.event_error: list[Callable[[IocontractError], Any]] = []


class SyncNamespaceClient:
    """One namespace over a python-socketio Client (its own connection)."""

    def __init__(self, spec: NamespaceSpec, auth: object, retries: int, validate_incoming: bool, reconnection: bool, **client_options: Any) -> None:
        self._spec = spec
        self._auth = auth
        self._retries = retries
        self._validate = validate_incoming
        self._keys = _Keys()
        self._hooks = _Hooks()
        self._refusal: IocontractError | None = None
        self._state = threading.Condition()
        self._pending: set[_SyncWaiter] = set()
        self.sio: Any = socketio.Client(reconnection=reconnection, **client_options)
        ns = spec.path
        self.sio.on("connect", self._on_connect, namespace=ns)
        self.sio.on("disconnect", self._on_disconnect, namespace=ns)
        self.sio.on("connect_error", self._on_connect_error, namespace=ns)
        self.sio.on(ERROR_EVENT, self._on_error_event, namespace=ns)

    # ---- lifecycle ----
    def connect(self, url: str, *, transports: list[str] | None = None, headers: dict[str, str] | None = None, wait_timeout: float = 5) -> None:
        """Connects this namespace; raises the server's refusal as IocontractError (or REQUEST_INVALID for invalid auth)."""
        auth = checked_auth(self._spec, self._auth)
        self._refusal = None
        try:
            # wait=False: python-socketio 5.7 would wait out wait_timeout after a refusal; this waits for either.
            self.sio.connect(url, auth=auth, transports=transports, headers=headers or {}, namespaces=[self._spec.path], wait=False)
        except _sio_errors.ConnectionError as exc:
            raise (self._refusal or self._spec.error("CONNECTION_FAILED", f"{self._spec.where()}: {exc}")) from None
        with self._state:
            self._state.wait_for(lambda: self.connected or self._refusal is not None, wait_timeout)
        if not self.connected:
            refused = self._refusal
            self.sio.disconnect()
            raise refused or self._spec.error("CONNECTION_FAILED", f"{self._spec.where()}: not connected within {wait_timeout} s")

    def disconnect(self) -> None:
        self.sio.disconnect()

    @property
    def connected(self) -> bool:
        return self._spec.path in self.sio.namespaces

    @property
    def sid(self) -> str | None:
        """The Socket.IO sid of this namespace (the one rooms use)."""
        return self.sio.get_sid(self._spec.path)

    def on_connect(self, hook: Callable[[], None]) -> None:
        self._hooks.connect.append(hook)

    def on_disconnect(self, hook: Callable[[], None]) -> None:
        self._hooks.disconnect.append(hook)

    def on_connect_error(self, hook: Callable[[IocontractError], None]) -> None:
        """The server's typed refusal (code, message, details)."""
        self._hooks.connect_error.append(hook)

    def on_event_error(self, hook: Callable[[IocontractError], None]) -> None:
        """A fire-and-forget event was rejected by the server, or the server sent something the contract forbids."""
        self._hooks.event_error.append(hook)

    def _on_connect(self) -> None:
        with self._state:
            self._state.notify_all()
        for hook in self._hooks.connect:
            hook()

    def _on_disconnect(self) -> None:
        with self._state:
            for waiter in list(self._pending):
                waiter.set(None, disconnected=True)
            self._state.notify_all()
        for hook in self._hooks.disconnect:
            hook()

    def _on_connect_error(self, data: Any = None) -> None:
        with self._state:
            self._refusal = refusal(self._spec, data)
            self._state.notify_all()
        for hook in self._hooks.connect_error:
            hook(self._refusal)

    def _on_error_event(self, payload: Any = None, *_offset: Any) -> None:
        if isinstance(payload, dict) and isinstance(cast(dict[str, Any], payload).get("code"), str):
            wire = cast(dict[str, Any], payload)
            event = wire.get("event")
            self._report(self._spec.error(wire["code"], str(wire.get("message", "")), wire.get("details"), ${WIRE_EVENT}))

    def _report(self, error: IocontractError) -> None:
        for hook in self._hooks.event_error:
            hook(error)

    # ---- events ----
    def _emit(self, wire: str, payload: object = None) -> None:
        ev = self._spec.client_to_server[wire]
        check_outgoing(self._spec, ev, payload)
        args = () if ev.payload is None else (payload,)
        try:
            self.sio.emit(wire, args, namespace=self._spec.path)
        except _sio_errors.BadNamespaceError:
            raise self._spec.error("DISCONNECTED", f"{self._spec.where(wire)}: not connected", None, wire) from None

    def _call(self, wire: str, payload: object = None, timeout_ms: int | None = None, retries: int | None = None) -> Any:
        ev = self._spec.client_to_server[wire]
        check_outgoing(self._spec, ev, payload)
        timeout = (ev.timeout_ms if timeout_ms is None else timeout_ms) / 1000
        tries = self._retries if retries is None else retries
        args: list[object] = [] if ev.payload is None else [payload]
        if tries > 0:
            args.append(self._keys.next())
        attempts = 0
        while True:
            attempts += 1
            waiter = _SyncWaiter()
            with self._state:
                self._pending.add(waiter)
            try:
                self.sio.emit(wire, tuple(args), namespace=self._spec.path, callback=waiter.answer)
                waiter.wait(timeout)
            except _sio_errors.BadNamespaceError:
                waiter.set(None, disconnected=True)
            finally:
                with self._state:
                    self._pending.discard(waiter)
            can_retry = attempts <= tries and self.sio.reconnection
            if waiter.done and not waiter.disconnected:
                try:
                    return from_envelope(self._spec, ev, waiter.value, self._validate)
                except IocontractError as error:
                    if error.code == "SHUTTING_DOWN" and can_retry:
                        self._wait_reconnect(timeout, after_disconnect=True)
                        continue
                    raise
            if can_retry and (waiter.disconnected or not waiter.done):
                if waiter.disconnected:
                    self._wait_reconnect(timeout)
                continue
            if waiter.disconnected:
                raise self._spec.error("DISCONNECTED", f"{self._spec.where(wire)}: the connection closed before the answer", None, wire)
            more = f" ({attempts} attempts)" if attempts > 1 else ""
            raise self._spec.error("TIMEOUT", f"{self._spec.where(wire)}: no answer within {round(timeout * 1000)} ms{more}", None, wire)

    def _wait_reconnect(self, timeout: float, after_disconnect: bool = False) -> None:
        with self._state:
            if after_disconnect:
                self._state.wait_for(lambda: not self.connected, timeout)
            self._state.wait_for(lambda: self.connected, timeout)

    def _on(self, wire: str, handler: Callable[..., Any]) -> None:
        ev = self._spec.server_to_client[wire]

        def receive(*args: Any) -> Any:
            payload, error = incoming_payload(self._spec, ev, args, self._validate)
            if error is not None:
                self._report(error)
                if ev.ack is not None:
                    return {"ok": False, "error": {"code": "REQUEST_INVALID", "message": error.message, "details": error.details}}
                return None
            try:
                answer = handler(payload) if ev.payload is not None else handler()
            except BaseException as exc:  # noqa: BLE001 - every failure becomes an envelope
                return error_envelope(self._spec, ev, exc) if ev.ack is not None else None
            return answer_envelope(self._spec, ev, answer, self._validate) if ev.ack is not None else None

        self.sio.on(wire, receive, namespace=self._spec.path)


class _SyncWaiter:
    def __init__(self) -> None:
        self._event = threading.Event()
        self.value: object = None
        self.done = False
        self.disconnected = False

    def answer(self, *args: Any) -> None:
        self.set(args[0] if args else None)

    def set(self, value: object, disconnected: bool = False) -> None:
        if self.done:
            return
        self.value = value
        self.disconnected = disconnected
        self.done = True
        self._event.set()

    def wait(self, timeout: float) -> None:
        self._event.wait(timeout)


Awaitable_ = Union[Awaitable[Any], Any]


class AsyncNamespaceClient:
    """One namespace over a python-socketio AsyncClient (its own connection)."""

    def __init__(self, spec: NamespaceSpec, auth: object, retries: int, validate_incoming: bool, reconnection: bool, **client_options: Any) -> None:
        self._spec = spec
        self._auth = auth
        self._retries = retries
        self._validate = validate_incoming
        self._keys = _Keys()
        self._hooks = _Hooks()
        self._refusal: IocontractError | None = None
        self._pending: set[asyncio.Future[tuple[object, bool]]] = set()
        self._connected_event: asyncio.Event | None = None
        self._settled = asyncio.Event()
        self.sio: Any = socketio.AsyncClient(reconnection=reconnection, **client_options)
        ns = spec.path
        self.sio.on("connect", self._on_connect, namespace=ns)
        self.sio.on("disconnect", self._on_disconnect, namespace=ns)
        self.sio.on("connect_error", self._on_connect_error, namespace=ns)
        self.sio.on(ERROR_EVENT, self._on_error_event, namespace=ns)

    async def connect(self, url: str, *, transports: list[str] | None = None, headers: dict[str, str] | None = None, wait_timeout: float = 5) -> None:
        """Connects this namespace; raises the server's refusal as IocontractError (or REQUEST_INVALID for invalid auth)."""
        auth = checked_auth(self._spec, self._auth)
        self._refusal = None
        self._settled = asyncio.Event()
        try:
            # wait=False: python-socketio 5.7 would wait out wait_timeout after a refusal; this waits for either.
            await self.sio.connect(url, auth=auth, transports=transports, headers=headers or {}, namespaces=[self._spec.path], wait=False)
        except _sio_errors.ConnectionError as exc:
            raise (self._refusal or self._spec.error("CONNECTION_FAILED", f"{self._spec.where()}: {exc}")) from None
        try:
            await asyncio.wait_for(self._settled.wait(), wait_timeout)
        except asyncio.TimeoutError:
            pass
        if not self.connected:
            refused = self._refusal
            await self.sio.disconnect()
            raise refused or self._spec.error("CONNECTION_FAILED", f"{self._spec.where()}: not connected within {wait_timeout} s")

    async def disconnect(self) -> None:
        await self.sio.disconnect()

    @property
    def connected(self) -> bool:
        return self._spec.path in self.sio.namespaces

    @property
    def sid(self) -> str | None:
        """The Socket.IO sid of this namespace (the one rooms use)."""
        return self.sio.get_sid(self._spec.path)

    def on_connect(self, hook: Callable[[], Awaitable_]) -> None:
        self._hooks.connect.append(hook)

    def on_disconnect(self, hook: Callable[[], Awaitable_]) -> None:
        self._hooks.disconnect.append(hook)

    def on_connect_error(self, hook: Callable[[IocontractError], Awaitable_]) -> None:
        """The server's typed refusal (code, message, details)."""
        self._hooks.connect_error.append(hook)

    def on_event_error(self, hook: Callable[[IocontractError], Awaitable_]) -> None:
        """A fire-and-forget event was rejected by the server, or the server sent something the contract forbids."""
        self._hooks.event_error.append(hook)

    def _event(self) -> asyncio.Event:
        if self._connected_event is None:
            self._connected_event = asyncio.Event()
        return self._connected_event

    async def _on_connect(self) -> None:
        self._event().set()
        self._settled.set()
        for hook in self._hooks.connect:
            await _maybe(hook())

    async def _on_disconnect(self) -> None:
        self._event().clear()
        for future in list(self._pending):
            if not future.done():
                future.set_result((None, True))
        for hook in self._hooks.disconnect:
            await _maybe(hook())

    async def _on_connect_error(self, data: Any = None) -> None:
        self._refusal = refusal(self._spec, data)
        self._settled.set()
        for hook in self._hooks.connect_error:
            await _maybe(hook(self._refusal))

    async def _on_error_event(self, payload: Any = None, *_offset: Any) -> None:
        if isinstance(payload, dict) and isinstance(cast(dict[str, Any], payload).get("code"), str):
            wire = cast(dict[str, Any], payload)
            event = wire.get("event")
            await self._report(self._spec.error(wire["code"], str(wire.get("message", "")), wire.get("details"), ${WIRE_EVENT}))

    async def _report(self, error: IocontractError) -> None:
        for hook in self._hooks.event_error:
            await _maybe(hook(error))

    async def _emit(self, wire: str, payload: object = None) -> None:
        ev = self._spec.client_to_server[wire]
        check_outgoing(self._spec, ev, payload)
        args = () if ev.payload is None else (payload,)
        try:
            await self.sio.emit(wire, args, namespace=self._spec.path)
        except _sio_errors.BadNamespaceError:
            raise self._spec.error("DISCONNECTED", f"{self._spec.where(wire)}: not connected", None, wire) from None

    async def _call(self, wire: str, payload: object = None, timeout_ms: int | None = None, retries: int | None = None) -> Any:
        ev = self._spec.client_to_server[wire]
        check_outgoing(self._spec, ev, payload)
        timeout = (ev.timeout_ms if timeout_ms is None else timeout_ms) / 1000
        tries = self._retries if retries is None else retries
        args: list[object] = [] if ev.payload is None else [payload]
        if tries > 0:
            args.append(self._keys.next())
        attempts = 0
        loop = asyncio.get_running_loop()
        while True:
            attempts += 1
            future: asyncio.Future[tuple[object, bool]] = loop.create_future()
            self._pending.add(future)

            def answer(*got: Any, future: asyncio.Future[tuple[object, bool]] = future) -> None:
                if not future.done():
                    future.set_result((got[0] if got else None, False))

            timed_out = False
            try:
                await self.sio.emit(wire, tuple(args), namespace=self._spec.path, callback=answer)
                value, disconnected = await asyncio.wait_for(asyncio.shield(future), timeout)
            except _sio_errors.BadNamespaceError:
                value, disconnected = None, True
            except asyncio.TimeoutError:
                value, disconnected, timed_out = None, False, True
            finally:
                self._pending.discard(future)
            can_retry = attempts <= tries and self.sio.reconnection
            if not timed_out and not disconnected:
                try:
                    return from_envelope(self._spec, ev, value, self._validate)
                except IocontractError as error:
                    if error.code == "SHUTTING_DOWN" and can_retry:
                        await self._wait_reconnect(timeout)
                        continue
                    raise
            if can_retry:
                if disconnected:
                    await self._wait_reconnect(timeout)
                continue
            if disconnected:
                raise self._spec.error("DISCONNECTED", f"{self._spec.where(wire)}: the connection closed before the answer", None, wire)
            more = f" ({attempts} attempts)" if attempts > 1 else ""
            raise self._spec.error("TIMEOUT", f"{self._spec.where(wire)}: no answer within {round(timeout * 1000)} ms{more}", None, wire)

    async def _wait_reconnect(self, timeout: float) -> None:
        try:
            await asyncio.wait_for(self._event().wait(), timeout)
        except asyncio.TimeoutError:
            pass

    def _on(self, wire: str, handler: Callable[..., Any]) -> None:
        ev = self._spec.server_to_client[wire]

        async def receive(*args: Any) -> Any:
            payload, error = incoming_payload(self._spec, ev, args, self._validate)
            if error is not None:
                await self._report(error)
                if ev.ack is not None:
                    return {"ok": False, "error": {"code": "REQUEST_INVALID", "message": error.message, "details": error.details}}
                return None
            try:
                answer = await _maybe(handler(payload) if ev.payload is not None else handler())
            except BaseException as exc:  # noqa: BLE001 - every failure becomes an envelope
                return error_envelope(self._spec, ev, exc) if ev.ack is not None else None
            return answer_envelope(self._spec, ev, answer, self._validate) if ev.ack is not None else None

        self.sio.on(wire, receive, namespace=self._spec.path)


async def _maybe(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value
`;

"""The generated Python client's runtime, over a fake python-socketio client: retries with one idempotency key,
timeouts, disconnects, error envelopes, the recovery offset. Run by test/codegen/python-runtime.test.ts.

    /usr/bin/python3 test/codegen/python_runtime_test.py
"""
import asyncio
import os
import sys
import threading
import unittest
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../packages/python-client"))

import chat_client as gen  # noqa: E402

# The io-sides fixture's packages: schemas whose input and output sides differ (defaults, a codec).
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../fixtures/io-sides/expected"))
import python_client as sides  # noqa: E402
import python_server as sides_server  # noqa: E402


class FakeSio:
    """Records emits; `answers` says what each attempt gets: an envelope, or None for no answer."""

    def __init__(self, answers: list[Any], reconnection: bool = True) -> None:
        self.answers = list(answers)
        self.emits: list[tuple[str, tuple[Any, ...]]] = []
        self.handlers: dict[str, Any] = {}
        self.namespaces = {"/": "sid"}
        self.reconnection = reconnection
        self.loop: asyncio.AbstractEventLoop | None = None

    def _answer(self, callback: Any) -> None:
        answer = self.answers.pop(0) if self.answers else None
        if answer is not None and callback is not None:
            callback(answer)

    def emit(self, event: str, data: tuple[Any, ...], namespace: str = "/", callback: Any = None) -> Any:
        self.emits.append((event, data))
        threading.Timer(0.01, self._answer, (callback,)).start()

    def on(self, event: str, handler: Any, namespace: str = "/") -> None:
        self.handlers[event] = handler


class AsyncFakeSio(FakeSio):
    async def emit(self, event: str, data: tuple[Any, ...], namespace: str = "/", callback: Any = None) -> Any:  # type: ignore[override]
        self.emits.append((event, data))
        asyncio.get_running_loop().call_later(0.01, self._answer, callback)


OK = {"ok": True, "data": {"delivered": 3}}


def keys(fake: FakeSio) -> list[Any]:
    return [data[1] if len(data) > 1 else None for _, data in fake.emits]


class SyncClientTest(unittest.TestCase):
    def client(self, answers: list[Any], **options: Any) -> tuple[gen.ChatClient, FakeSio]:
        client = gen.ChatClient(**options)
        fake = FakeSio(answers, options.get("reconnection", True))
        client.sio = fake
        return client, fake

    def test_retry_after_timeout_sends_the_same_key(self) -> None:
        client, fake = self.client([None, OK])
        self.assertEqual(client.my_message({"data": "hi"}, timeout_ms=100), {"delivered": 3})
        self.assertEqual(len(fake.emits), 2)
        self.assertEqual(keys(fake)[0], keys(fake)[1])
        self.assertRegex(keys(fake)[0]["iocontract:key"], r"^[0-9a-f]{12}\.[0-9a-f]+$")

    def test_every_attempt_times_out(self) -> None:
        client, fake = self.client([None, None, None])
        with self.assertRaises(gen.ChatError) as raised:
            client.my_message({"data": "hi"}, timeout_ms=50)
        self.assertEqual(raised.exception.code, "TIMEOUT")
        self.assertEqual(raised.exception.message, 'chat / "my message": no answer within 50 ms (3 attempts)')
        self.assertEqual(len(fake.emits), 3)

    def test_no_retries_sends_no_key(self) -> None:
        client, fake = self.client([None])
        with self.assertRaises(gen.ChatError) as raised:
            client.my_message({"data": "hi"}, timeout_ms=50, retries=0)
        self.assertEqual(raised.exception.code, "TIMEOUT")
        self.assertEqual(fake.emits, [("my message", ({"data": "hi"},))])

    def test_error_envelope(self) -> None:
        client, _ = self.client([{"ok": False, "error": {"code": "NOT_IN_ROOM", "message": "join first", "details": {"room": "chat_users"}}}])
        with self.assertRaises(gen.ChatError) as raised:
            client.my_message({"data": "hi"})
        self.assertEqual((raised.exception.code, raised.exception.details, raised.exception.event), ("NOT_IN_ROOM", {"room": "chat_users"}, "my message"))

    def test_invalid_ack_and_not_an_envelope(self) -> None:
        client, _ = self.client([{"ok": True, "data": {"delivered": "three"}}, {"delivered": 3}])
        with self.assertRaises(gen.ChatError) as raised:
            client.my_message({"data": "hi"})
        self.assertEqual(raised.exception.code, "RESPONSE_INVALID")
        with self.assertRaises(gen.ChatError) as raised:
            client.my_message({"data": "hi"})
        self.assertEqual(raised.exception.code, "CONTRACT_MISMATCH")

    def test_disconnect_without_reconnection(self) -> None:
        client, fake = self.client([None], reconnection=False)
        threading.Timer(0.05, client._on_disconnect).start()  # pyright: ignore[reportPrivateUsage]
        with self.assertRaises(gen.ChatError) as raised:
            client.my_message({"data": "hi"}, timeout_ms=5000)
        self.assertEqual(raised.exception.code, "DISCONNECTED")
        self.assertEqual(len(fake.emits), 1)

    def test_recovery_offset_and_invalid_incoming(self) -> None:
        client, fake = self.client([])
        got: list[Any] = []
        errors: list[gen.IocontractError] = []
        client.on_my_reply(got.append)
        client.on_event_error(errors.append)
        fake.handlers["my reply"]({"data": "x", "from": "a", "at": 1}, "offset-17")
        fake.handlers["my reply"]({"data": 5, "from": "a", "at": 1})
        self.assertEqual(got, [{"data": "x", "from": "a", "at": 1}])
        self.assertEqual([(e.code, e.details) for e in errors], [("CONTRACT_MISMATCH", {"issues": [{"path": ["data"], "message": "Invalid input: expected string"}]})])

    def test_request_answers(self) -> None:
        client, fake = self.client([])

        def answer(ask: gen.AreYouTherePayload) -> gen.AreYouThereAck:
            if ask["at"] == 1:
                raise gen.ChatError("NOT_IN_ROOM", "no", {"room": "r"})
            if ask["at"] == 2:
                raise ValueError("internal detail")
            return {"at": ask["at"]} if ask["at"] != 3 else {"at": "three"}  # type: ignore[typeddict-item]

        client.on_are_you_there(answer)
        handler = fake.handlers["are you there"]
        self.assertEqual(handler({"at": 7}), {"ok": True, "data": {"at": 7}})
        self.assertEqual(handler({"at": 1}), {"ok": False, "error": {"code": "NOT_IN_ROOM", "message": "no", "details": {"room": "r"}}})
        self.assertEqual(handler({"at": 2}), {"ok": False, "error": {"code": "HANDLER_FAILED", "message": 'chat / "are you there": the handler failed'}})
        self.assertEqual(handler({"at": 3})["error"]["code"], "RESPONSE_INVALID")
        self.assertEqual(handler({"at": "x"})["error"]["code"], "REQUEST_INVALID")


class AsyncClientTest(unittest.IsolatedAsyncioTestCase):
    def client(self, answers: list[Any]) -> tuple[gen.AsyncChatClient, AsyncFakeSio]:
        client = gen.AsyncChatClient()
        fake = AsyncFakeSio(answers)
        client.sio = fake
        return client, fake

    async def test_retry_after_timeout_sends_the_same_key(self) -> None:
        client, fake = self.client([None, OK])
        self.assertEqual(await client.my_message({"data": "hi"}, timeout_ms=100), {"delivered": 3})
        self.assertEqual(len(fake.emits), 2)
        self.assertEqual(keys(fake)[0], keys(fake)[1])

    async def test_every_attempt_times_out(self) -> None:
        client, fake = self.client([None, None, None])
        with self.assertRaises(gen.ChatError) as raised:
            await client.my_message({"data": "hi"}, timeout_ms=50)
        self.assertEqual(raised.exception.message, 'chat / "my message": no answer within 50 ms (3 attempts)')
        self.assertEqual(len(fake.emits), 3)

    async def test_shutting_down_is_sent_again_after_the_reconnect(self) -> None:
        client, fake = self.client([{"ok": False, "error": {"code": "SHUTTING_DOWN", "message": "bye"}}, OK])
        loop = asyncio.get_running_loop()
        loop.call_later(0.05, lambda: asyncio.ensure_future(client._on_connect()))  # pyright: ignore[reportPrivateUsage]
        self.assertEqual(await client.my_message({"data": "hi"}, timeout_ms=1000), {"delivered": 3})
        self.assertEqual(len(fake.emits), 2)
        self.assertEqual(keys(fake)[0], keys(fake)[1])

    async def test_local_validation_sends_nothing(self) -> None:
        client, fake = self.client([OK])
        bad: Any = {"data": ""}
        with self.assertRaises(gen.ChatError) as raised:
            await client.my_message(bad)
        self.assertEqual(raised.exception.code, "REQUEST_INVALID")
        self.assertEqual(fake.emits, [])


class DefaultsTest(unittest.IsolatedAsyncioTestCase):
    """A receiver is given the defaults zod's parse fills in; a sender sends the value as written."""

    def test_client_receives_events_and_acks_with_defaults(self) -> None:
        client = sides.IoSidesClient({"user": "ada"})
        fake = FakeSio([{"ok": True, "data": {"saved": {}}}])
        client.sio = fake
        got: list[Any] = []
        client.on_settings(got.append)
        fake.handlers["settings"]({"tags": ["a"], "screen": {"depth": 3}, "unknown": 1})
        # nested defaults filled, unknown keys dropped (zod strips them); an object default is given as it is (zod
        # does not parse a default either)
        self.assertEqual(got, [{"tags": ["a"], "screen": {"width": 800}, "volume": 5, "theme": "light", "display": {"zoom": 100}}])
        fake.handlers["settings"]({})
        # a prefault is shaped as if it had been sent: its own default applies
        self.assertEqual(got[1], {"volume": 5, "theme": "light", "tags": [], "screen": {"width": 640}, "display": {"zoom": 100}})
        sent: Any = {"volume": 3}
        ack = client.save(sent, retries=0)
        self.assertEqual(fake.emits, [("save", ({"volume": 3},))])  # sent as written: no default added
        self.assertEqual(sent, {"volume": 3})  # nor added to the caller's dict
        self.assertEqual(ack, {"saved": {"volume": 5, "theme": "light", "tags": [], "screen": {"width": 640}, "display": {"zoom": 100}}, "revision": 0})

    def test_client_answers_a_request_given_the_defaults(self) -> None:
        client = sides.IoSidesClient({"user": "ada"})
        fake = FakeSio([])
        client.sio = fake
        seen: list[Any] = []

        def tick(payload: sides.TickPayload) -> sides.TickAckInput:
            seen.append(payload)
            return {}

        client.on_tick(tick)
        # a codec travels as its wire value: the Python handler gets the ISO string
        self.assertEqual(fake.handlers["tick"]({"at": "2026-01-02T03:04:05Z"}), {"ok": True, "data": {}})
        self.assertEqual(seen, [{"at": "2026-01-02T03:04:05Z", "seq": 0}])

    def test_unknown_keys(self) -> None:
        from chat_client._runtime import Validator  # pyright: ignore[reportPrivateUsage]

        plain = Validator({"type": "object", "properties": {"a": {"type": "string"}}})
        loose = Validator({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {}})
        catchall = Validator({"type": "object", "properties": {}, "additionalProperties": {"type": "object", "properties": {"n": {"type": "integer", "default": 1}}}})
        self.assertEqual(plain.received({"a": "x", "b": 1}), {"a": "x"})  # a plain z.object: zod strips b
        self.assertEqual(loose.received({"a": "x", "b": 1}), {"a": "x", "b": 1})  # z.looseObject keeps it
        self.assertEqual(catchall.received({"k": {}}), {"k": {"n": 1}})  # a catchall's values are shaped too
        self.assertEqual(plain.output_issues({"a": "x", "b": 1})[0]["message"], "Unrecognized key")

    async def test_server_handlers_get_payloads_and_auth_with_defaults(self) -> None:
        calls: list[Any] = []

        class Handlers:
            async def connect(self, ctx: Any, auth: Any) -> None:
                calls.append(("connect", auth))

            async def disconnect(self, ctx: Any) -> None: ...

            async def order(self, payload: Any, ctx: Any) -> Any:
                calls.append(("order", payload))
                return {"total": 1}

            async def save(self, payload: Any, ctx: Any) -> Any: ...
            async def schedule(self, payload: Any, ctx: Any) -> Any: ...
            async def count(self, payload: Any, ctx: Any) -> None: ...
            async def shout(self, payload: Any, ctx: Any) -> None: ...

        class FakeServer:
            def __init__(self) -> None:
                self.handlers: dict[str, Any] = {}

            def on(self, event: str, handler: Any, namespace: str = "/") -> None:
                self.handlers[event] = handler

        fake = FakeServer()
        sides_server.attach_io_sides(fake, Handlers())
        await fake.handlers["connect"]("sid1", {}, {"user": "ada"})
        answer = await fake.handlers["order"]("sid1", {"items": [{"name": "tea"}], "pick": {"kind": "one"}})
        self.assertEqual(calls[0], ("connect", {"user": "ada", "lang": "en"}))
        self.assertEqual(calls[1], ("order", {"items": [{"name": "tea", "qty": 1}], "pick": {"kind": "one", "count": 1}, "extras": {}}))
        # the ack goes back as the handler wrote it (the TypeScript client fills the default itself)
        self.assertEqual(answer, {"ok": True, "data": {"total": 1}})


if __name__ == "__main__":
    unittest.main()

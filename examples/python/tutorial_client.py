"""The python-socketio tutorial's chat client, on the generated Python client (packages/python-client/chat_client).

    PYTHONPATH=packages/python-client /usr/bin/python3 examples/python/tutorial_client.py [URL] [NAME]

Start the chat first (`npm start`, http://127.0.0.1:8000). Type a line to say it in `chat_users`; `/custom <text>`,
`/rooms`, `/leave`, `/quit`. Every payload is typed (pyright knows each event and field) and checked against the
contract before it is sent.
"""
from __future__ import annotations

import sys

from chat_client import AreYouThereAck, AreYouTherePayload, ChatClient, ChatError, IocontractError, Message, Reply


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    name = sys.argv[2] if len(sys.argv) > 2 else None
    client = ChatClient({"name": name} if name else None)

    @client.on_my_reply
    def my_reply(reply: Reply) -> None:  # pyright: ignore[reportUnusedFunction]
        print(f"{reply['from']}: {reply['data']}")

    @client.on_message
    def message(message: Message) -> None:  # pyright: ignore[reportUnusedFunction]
        print(f"* {message['data']}")

    @client.on_are_you_there
    def are_you_there(ask: AreYouTherePayload) -> AreYouThereAck:  # pyright: ignore[reportUnusedFunction]
        return {"at": ask["at"]}

    client.on_event_error(lambda error: print(f"! {error.code}: {error.message}"))

    try:
        client.connect(url, transports=["websocket"])
    except ChatError as refused:
        print(f"refused: {refused.code}: {refused.message}")
        return
    client.chat()
    print(f"connected as {client.sid}; in rooms {client.my_rooms()['rooms']}")
    for line in sys.stdin:
        text = line.strip()
        try:
            if text == "/quit":
                break
            if text == "/rooms":
                print(client.my_rooms()["rooms"])
            elif text == "/leave":
                client.exit_chat()
            elif text.startswith("/custom "):
                client.my_custom_event({"data": text[len("/custom "):]})
            elif text:
                print(f"(delivered to {client.my_message({'data': text})['delivered']})")
        except ChatError as error:
            if error.code == "NOT_IN_ROOM":
                print("join chat_users first (reconnect)")
            else:
                print(f"! {error.code}: {error.message}")
        except IocontractError as error:
            print(f"! {error}")
    client.disconnect()


if __name__ == "__main__":
    main()

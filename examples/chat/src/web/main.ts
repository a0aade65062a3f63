/** The chat page: the generated client SDK in a browser. */
import { type ChatClient, IocontractError, createChatClient } from "@iocontract/chat-client-sdk";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const log = $("log");
const status = $("status");
const buttons = ["join", "leave", "rooms", "send", "custom"].map((id) => $<HTMLButtonElement>(id));

function say(kind: "reply" | "error" | "info", text: string): void {
  const li = document.createElement("li");
  li.className = kind;
  li.textContent = text;
  log.append(li);
  log.scrollTop = log.scrollHeight;
}

function describe(error: unknown): string {
  return error instanceof IocontractError ? error.message : String(error);
}

let chat: ChatClient | undefined;

function connect(): void {
  chat?.disconnect();
  status.textContent = "connecting…";
  const name = $<HTMLInputElement>("name").value.trim();
  try {
    chat = createChatClient(undefined, name ? { auth: { name } } : {});
  } catch (error) {
    say("error", describe(error)); // the auth is validated before anything is sent
    return;
  }
  const client = chat;
  client.on.connect(() => {
    status.textContent = `connected as ${client.id}`;
    for (const b of buttons) b.disabled = false;
  });
  client.on.disconnect((reason) => {
    status.textContent = `disconnected (${reason})`;
    for (const b of buttons) b.disabled = true;
  });
  client.on.connectError((error) => {
    status.textContent = "refused";
    say("error", `connection refused: ${error.message}`);
    client.disconnect();
  });
  client.on.myReply((reply) => say("reply", `${reply.from}: ${reply.data}`));
  client.on.message((msg) => say("info", msg.data));
  client.on.eventError((error) => say("error", error.message));
  client.handle.areYouThere(({ at }) => ({ at }));
}

$("connect").addEventListener("click", connect);
$("join").addEventListener("click", () => {
  chat?.emit.chat(); // fire-and-forget: a refusal would arrive through on.eventError
  say("info", "→ chat (join chat_users)");
});
$("leave").addEventListener("click", () => {
  chat?.emit.exitChat();
  say("info", "→ exit_chat (leave chat_users)");
});
$("rooms").addEventListener("click", () => {
  chat?.emit.myRooms().then(
    ({ rooms }) => say("info", `my rooms: ${rooms.join(", ")}`),
    (e: unknown) => say("error", describe(e)),
  );
});
$("say").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>("text");
  const data = input.value;
  chat?.emit.myMessage({ data }).then(
    ({ delivered }) => {
      say("info", `me: ${data} (delivered to ${delivered})`);
      input.value = "";
    },
    (error: unknown) => say("error", describe(error)),
  );
});
$("custom").addEventListener("click", () => {
  try {
    chat?.emit.myCustomEvent({ data: $<HTMLInputElement>("text").value });
  } catch (error) {
    say("error", describe(error));
  }
});

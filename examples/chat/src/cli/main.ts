/**
 * A command-line chat client on the generated SDK (the tutorial's `socketio.Client()`, typed).
 *
 *   node dist/cli/main.js [--url http://127.0.0.1:8000] [--name alice]
 *
 * Type a line to say it in chat_users; /join, /leave, /rooms, /custom <text>, /quit.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { IocontractError, createChatClient } from "@iocontract/chat-client-sdk";

const { values } = parseArgs({
  strict: true,
  options: {
    url: { type: "string", default: "http://127.0.0.1:8000" },
    name: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(
    "usage: chat-cli [--url http://127.0.0.1:8000] [--name alice]\nthen: text to say, /join, /leave, /rooms, /custom <text>, /quit",
  );
  process.exit(0);
}

const describe = (error: unknown) => (error instanceof IocontractError ? error.message : String(error));
let chat: ReturnType<typeof createChatClient>;
try {
  chat = createChatClient(values.url, values.name === undefined ? {} : { auth: { name: values.name } });
} catch (error) {
  console.error(`chat-cli: ${describe(error)}`);
  process.exit(1);
}
const client = chat;
client.on.myReply((reply) => console.log(`${reply.from}: ${reply.data}`));
client.on.message((msg) => console.log(`* ${msg.data}`));
client.on.eventError((error) => console.log(`! ${error.message}`));
client.on.disconnect((reason) => console.log(`* disconnected (${reason})`));
client.handle.areYouThere(({ at }) => ({ at }));

try {
  await client.ready();
} catch (error) {
  const refused = error instanceof IocontractError && error.code !== "CONNECTION_FAILED";
  console.error(
    refused
      ? `chat-cli: ${describe(error)}`
      : `chat-cli: cannot connect to ${values.url} (${describe(error)}); is the server running? (--url to change)`,
  );
  process.exit(1);
}
console.log(`* connected as ${client.id}; /join to enter chat_users, /quit to leave`);

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  const [command, ...rest] = line.trim().split(" ");
  try {
    if (command === "/quit") break;
    else if (command === "/join") client.emit.chat();
    else if (command === "/leave") client.emit.exitChat();
    else if (command === "/rooms") console.log(`* rooms: ${(await client.emit.myRooms()).rooms.join(", ")}`);
    else if (command === "/custom") client.emit.myCustomEvent({ data: rest.join(" ") });
    else if (line.length > 0) console.log(`* delivered to ${(await client.emit.myMessage({ data: line })).delivered}`);
  } catch (error) {
    console.log(`! ${describe(error)}`);
  }
}
client.disconnect();
rl.close();

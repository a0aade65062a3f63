/** The example's command-line client (built, as a user runs it) against the chat server. */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChatClient } from "@iocontract/chat-client-sdk";
import { type RunningChat, startChat } from "../support/example-chat";
import { next } from "../support/events";

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../examples/chat/dist/cli/main.js");
let chat: RunningChat;

beforeAll(async () => {
  chat = await startChat();
});
afterAll(async () => {
  await chat.close();
});

/** Resolves when the CLI's output contains `text`. */
function waitFor(output: { text: string }, text: string, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (output.text.includes(text)) return resolve();
      if (Date.now() - started > ms)
        return reject(new Error(`no ${JSON.stringify(text)} in CLI output:\n${output.text}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

describe("examples/chat CLI client", () => {
  it("joins, receives replies from others, says something, lists rooms, shows errors, quits", async () => {
    const cli = spawn(process.execPath, [CLI, "--url", chat.url, "--name", "carl"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    const output = { text: "" };
    cli.stdout.on("data", (chunk: Buffer) => (output.text += chunk.toString()));
    cli.stderr.on("data", (chunk: Buffer) => (output.text += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => cli.on("exit", resolve));

    await waitFor(output, "* connected as");
    cli.stdin.write("/join\n/rooms\n");
    await waitFor(output, ", chat_users"); // "* rooms: <sid>, chat_users": the join is done
    const alice = createChatClient(chat.url, { auth: { name: "alice" }, socket: { transports: ["websocket"] } });
    await alice.ready();
    alice.emit.chat();
    await alice.emit.myRooms();
    expect(await alice.emit.myMessage({ data: "hi carl" })).toEqual({ delivered: 1 });
    await waitFor(output, "alice: hi carl");

    const heard = next(alice.on.myReply);
    cli.stdin.write("hello alice\n");
    expect(await heard).toMatchObject({ data: "hello alice", from: "carl" });
    await waitFor(output, "* delivered to 1");

    cli.stdin.write(`${"x".repeat(2001)}\n`);
    await waitFor(output, '! REQUEST_INVALID: chat / "my message": data: Too big');
    cli.stdin.write("/leave\n/leave\n");
    await waitFor(output, "! NOT_IN_ROOM: you are not in chat_users");
    cli.stdin.write("/quit\n");
    expect(await exited).toBe(0);
    alice.disconnect();
  });

  it("a refused connection is one line and exit 1", async () => {
    const taken = createChatClient(chat.url, { auth: { name: "dave" }, socket: { transports: ["websocket"] } });
    await taken.ready();
    const cli = spawn(process.execPath, [CLI, "--url", chat.url, "--name", "dave"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    cli.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => cli.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toBe('chat-cli: NAME_TAKEN: the name "dave" is taken\n');
    taken.disconnect();
  });
});

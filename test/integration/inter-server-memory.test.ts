/**
 * Inter-server events on one node (socket.io's in-memory adapter): there is nobody to tell, so sending does
 * nothing (and socket.io's "this adapter does not support serverSideEmit" warning never shows), but an invalid
 * payload still throws, as it would on a cluster. The cluster behaviour is in redis-cluster.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { IocontractError } from "@iocontract/chat-server-sdk";
import { type RunningChat, startChat } from "../helpers";

let chat: RunningChat;
beforeAll(async () => {
  chat = await startChat();
});
afterAll(async () => {
  await chat.close();
});

describe("serverSideEmit with the in-memory adapter", () => {
  it("sends nothing and warns about nothing", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sent = vi.spyOn(chat.app.server.io.of("/"), "serverSideEmit");
    try {
      chat.app.server.serverSideEmit.nameClaimed({ sid: "s1", name: "alice" });
      chat.app.server.serverSideEmit.nameReleased({ sid: "s1" });
      expect(sent).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
      // And it does not come back to this node's own handlers.
      expect(chat.app.directory.remote.size).toBe(0);
    } finally {
      warn.mockRestore();
      sent.mockRestore();
    }
  });

  it("still refuses an invalid payload, naming contract, namespace, event and field", () => {
    let thrown: unknown;
    try {
      chat.app.server.serverSideEmit.nameClaimed({ sid: "s1", name: "no/slashes" });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IocontractError);
    expect(thrown).toMatchObject({ code: "REQUEST_INVALID", event: "name claimed" });
    expect((thrown as Error).message).toMatch(/^REQUEST_INVALID: chat \/ "name claimed": cannot send: name: letters, digits/);
  });

  it("an inter-server event that reaches the namespace invalid is reported and never handled", async () => {
    // What an adapter delivers from another node: socket.io emits it on the namespace.
    const nsp = chat.app.server.io.of("/") as unknown as { _onServerSideEmit(args: unknown[]): void };
    nsp._onServerSideEmit(["name claimed", { sid: "s2" }]);
    nsp._onServerSideEmit(["name claimed", { sid: "s3", name: "bob" }]);
    expect(chat.errors.map((e) => [e.info.event, (e.error as IocontractError).code])).toEqual([["name claimed", "REQUEST_INVALID"]]);
    expect([...chat.app.directory.remote]).toEqual([["s3", "bob"]]);
  });
});

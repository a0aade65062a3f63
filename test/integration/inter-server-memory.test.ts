/**
 * Inter-server events on one node (socket.io's in-memory adapter): there is nobody to tell, so sending does
 * nothing (and socket.io's "this adapter does not support serverSideEmit" warning never shows), but an invalid
 * payload still throws, as it would on a cluster. The cluster behaviour is in redis-cluster.test.ts.
 *
 * On the "inter-server" golden case's generated server (contract "cluster"), with handlers that record what
 * reaches them.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type ErrorInfo, IocontractError } from "@iocontract/runtime/v1/server";
import { type ClusterServer, createClusterServer } from "../fixtures/inter-server/expected/server/server.gen";

const handled: Array<{ event: string; payload: unknown }> = [];
const errors: Array<{ error: unknown; info: ErrorInfo }> = [];
let server: ClusterServer;

beforeAll(async () => {
  server = createClusterServer({
    handlers: {
      "/": {
        hello: () => {},
        userCount: (payload) => void handled.push({ event: "user count", payload }),
        cacheFlush: () => void handled.push({ event: "cache:flush", payload: undefined }),
      },
      "/jobs": { watch: () => {}, jobFinished: (payload) => void handled.push({ event: "job done", payload }) },
      "/quiet": { poke: () => {} },
    },
    onError: (error, info) => errors.push({ error, info }),
  });
  await server.listen(0, "127.0.0.1");
});
afterAll(async () => {
  await server.close();
});

describe("serverSideEmit with the in-memory adapter", () => {
  it("sends nothing and warns about nothing", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sent = vi.spyOn(server.io.of("/"), "serverSideEmit");
    try {
      server.serverSideEmit.userCount({ node: "a", count: 2 });
      server.serverSideEmit.cacheFlush();
      server.namespaces["/jobs"].serverSideEmit.jobFinished({ id: "j1" });
      expect(sent).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
      // And it does not come back to this node's own handlers.
      expect(handled).toEqual([]);
    } finally {
      warn.mockRestore();
      sent.mockRestore();
    }
  });

  it("still refuses an invalid payload, naming contract, namespace, event and field", () => {
    let thrown: unknown;
    try {
      server.serverSideEmit.userCount({ node: "a", count: -1 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IocontractError);
    expect(thrown).toMatchObject({ code: "REQUEST_INVALID", event: "user count" });
    expect((thrown as Error).message).toMatch(/^REQUEST_INVALID: cluster \/ "user count": cannot send: count: /);
  });

  it("an inter-server event that reaches the namespace invalid is reported and never handled", () => {
    // What an adapter delivers from another node: socket.io emits it on the namespace.
    const nsp = server.io.of("/") as unknown as { _onServerSideEmit(args: unknown[]): void };
    nsp._onServerSideEmit(["user count", { node: "b" }]);
    nsp._onServerSideEmit(["user count", { node: "c", count: 3 }]);
    expect(errors.map((e) => [e.info.event, (e.error as IocontractError).code])).toEqual([
      ["user count", "REQUEST_INVALID"],
    ]);
    // Parsed: the default fills `at`.
    expect(handled).toEqual([{ event: "user count", payload: { node: "c", count: 3, at: 0 } }]);
  });
});

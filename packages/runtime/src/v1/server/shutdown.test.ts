/** Unit tests of ./shutdown.ts: draining, the count of running handlers and the deadline, on fake timers. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Socket } from "socket.io";
import { Shutdown, type ShutdownHost } from "./shutdown";

/** A socket as shutdown sees it: it records what it was sent and whether it was disconnected. */
function fakeSocket(sent: unknown[][]) {
  const conn = {
    readyState: "open",
    once: (_: string, f: () => void) => void (conn.onClose = f),
    close: () => conn.onClose?.(),
    onClose: undefined as (() => void) | undefined,
  };
  return {
    nsp: { name: "/" },
    conn,
    disconnected: false,
    packet(packet: { data: unknown[] }) {
      sent.push(packet.data);
    },
    disconnect() {
      this.disconnected = true;
    },
  };
}

function setup(attached = false) {
  const log: string[] = [];
  const sent: unknown[][] = [];
  const sockets = [fakeSocket(sent)];
  const host: ShutdownHost = {
    contractName: "chat",
    attached,
    sockets: () => sockets as unknown as Socket[],
    stopListening: () => void log.push("stop listening"),
    closeServer: async () => void log.push("close server"),
  };
  return { shutdown: new Shutdown(host), log, sent, sockets };
}

/** A handler's work that ends when told to. */
function work(): { promise: Promise<void>; finish: () => void } {
  let finish!: () => void;
  const promise = new Promise<void>((resolve) => (finish = resolve));
  return { promise, finish };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("Shutdown", () => {
  it("counts running handlers until they settle", async () => {
    const { shutdown } = setup();
    const a = work();
    const b = work();
    shutdown.track(a.promise);
    shutdown.track(b.promise);
    expect(shutdown.running).toBe(2);
    a.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(shutdown.running).toBe(1);
  });

  it("drains at once, waits for running handlers, then tells every client and closes", async () => {
    const { shutdown, log, sent } = setup();
    const handler = work();
    shutdown.track(handler.promise);
    let closed = false;
    const closing = shutdown.close(10_000).then(() => (closed = true));
    expect(shutdown.draining).toBe(true);
    expect(log).toEqual(["stop listening"]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect([closed, sent]).toEqual([false, []]); // the handler is still running: nobody is told yet
    handler.finish();
    await closing;
    expect(sent).toEqual([
      [
        "iocontract:error",
        { event: "", code: "SHUTTING_DOWN", message: "chat /: the server is shutting down; reconnecting" },
      ],
    ]);
    expect(log).toEqual(["stop listening", "close server"]);
  });

  it("closes at the deadline when a handler never finishes", async () => {
    const { shutdown, log } = setup();
    shutdown.track(new Promise<void>(() => {}));
    let closed = false;
    void shutdown.close(1_000).then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(closed).toBe(true);
    expect(log).toEqual(["stop listening", "close server"]);
  });

  it("closes at once when nothing runs; a second close() is the same shutdown", async () => {
    const { shutdown, log } = setup();
    const first = shutdown.close(1_000);
    expect(shutdown.close(5)).toBe(first);
    await first;
    expect(log).toEqual(["stop listening", "close server"]);
  });

  it("attached to the application's Server: disconnects the contract's sockets, leaves the server up", async () => {
    const { shutdown, log, sent, sockets } = setup(true);
    await shutdown.close(1_000);
    expect(sent).toEqual([
      ["iocontract:error", { event: "", code: "SHUTTING_DOWN", message: "chat /: the server is shutting down" }],
    ]);
    expect(sockets[0]!.disconnected).toBe(true);
    expect(log).toEqual([]);
  });
});

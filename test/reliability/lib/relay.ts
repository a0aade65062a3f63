/**
 * The "relay" server (test/fixtures/reliability) with handlers that count what reaches them, for the delivery,
 * limit, shutdown and security tests. Also run as its own process by relay-main.ts.
 */
import type { ErrorInfo } from "@iocontract/runtime/v1/server";
import {
  type RelayHandlers,
  type RelayServer,
  type RelayServerOptions,
  createRelayServer,
} from "../../fixtures/reliability/expected/server/server.gen";
import { sleep } from "../../support/events";

export interface Relay {
  readonly server: RelayServer;
  /** Handler runs per `stream:seq` of `append`. */
  readonly runs: Map<string, number>;
  /** Handler calls per event. */
  readonly calls: Record<string, number>;
  /** Payloads `settings` and `anything` received. */
  readonly received: unknown[];
  readonly errors: Array<{ error: unknown; info: ErrorInfo }>;
  /** Async handlers running now. */
  readonly running: () => number;
}

export function createRelay(
  options: Omit<RelayServerOptions, "handlers"> & { appendDelayMs?: number; onAppend?: (key: string) => void } = {},
): Relay {
  const runs = new Map<string, number>();
  const calls: Record<string, number> = {
    append: 0,
    slow: 0,
    limited: 0,
    shout: 0,
    blob: 0,
    settings: 0,
    anything: 0,
    subscribe: 0,
  };
  const received: unknown[] = [];
  const errors: Array<{ error: unknown; info: ErrorInfo }> = [];
  let running = 0;
  const { appendDelayMs = 0, onAppend, ...serverOptions } = options;
  const handlers: RelayHandlers = {
    async append({ stream, seq }) {
      calls["append"]!++;
      const key = `${stream}:${seq}`;
      const n = (runs.get(key) ?? 0) + 1;
      runs.set(key, n);
      onAppend?.(key);
      if (appendDelayMs > 0) {
        running++;
        await sleep(appendDelayMs);
        running--;
      }
      return { seq, runs: n };
    },
    async slow({ ms }) {
      calls["slow"]!++;
      running++;
      await sleep(ms);
      running--;
      return { waited: ms };
    },
    limited({ n }) {
      calls["limited"]!++;
      return { n };
    },
    shout({ text }, ctx) {
      calls["shout"]!++;
      ctx.emit.heard({ text });
    },
    blob() {
      calls["blob"]!++;
    },
    settings(payload) {
      calls["settings"]!++;
      received.push(payload);
      return { keys: Object.keys(payload) };
    },
    anything(payload) {
      calls["anything"]!++;
      received.push(payload);
      return { type: typeof payload };
    },
    subscribe({ room }, ctx) {
      calls["subscribe"]!++;
      ctx.join(room);
    },
  };
  const server = createRelayServer({
    handlers: { "/": handlers },
    onError: (error, info) => errors.push({ error, info }),
    ...serverOptions,
  });
  return { server, runs, calls, received, errors, running: () => running };
}

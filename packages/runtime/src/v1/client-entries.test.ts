/**
 * Both client entries against the runtime's server: the browsers' one (./client.ts, zod's `safeParse`) and
 * Node's (./client-node.ts, compiled validators) must answer alike. Everything under test/ runs in Node and so
 * exercises Node's; this keeps the browsers' entry tested end to end too.
 */
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { defineContract } from "../contract";
import { createClient as createBrowserClient, type IocontractError, type RuntimeClient } from "./client";
import { createClient as createNodeClient } from "./client-node";
import { type RuntimeServer, createServer } from "./server";
import type { RuntimeSpec } from "./spec";

const contract = defineContract({
  name: "entries",
  version: "1.0.0",
  namespaces: {
    "/": {
      clientToServer: {
        echo: { payload: z.object({ text: z.string().min(1) }), ack: z.object({ text: z.string() }) },
        slow: { payload: z.object({ ms: z.number() }), ack: z.object({ done: z.boolean() }), timeoutMs: 80 },
      },
    },
  },
});
const spec: RuntimeSpec = {
  contract,
  namespaces: { "/": { clientToServer: { echo: "echo", slow: "slow" }, serverToClient: {} } },
};

let server: RuntimeServer | undefined;
const clients: RuntimeClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await server?.close({ deadlineMs: 0 });
  server = undefined;
});

type Emit = Record<string, (payload: unknown, options?: { retries?: number; timeoutMs?: number }) => Promise<unknown>>;

describe.each([
  ["browsers' entry (client.ts)", createBrowserClient],
  ["Node's entry (client-node.ts)", createNodeClient],
] as const)("%s", (_name, create) => {
  async function start(): Promise<{ emit: Emit; client: RuntimeClient; runs: number[] }> {
    const runs: number[] = [];
    server = createServer(spec, {
      handlers: {
        "/": {
          echo: ({ text }: { text: string }) => ({ text }),
          slow: async ({ ms }: { ms: number }) => {
            runs.push(ms);
            await new Promise((resolve) => setTimeout(resolve, ms));
            return { done: true };
          },
        },
      },
      onError: () => undefined,
    });
    const { port } = await server.listen();
    const client = create(spec, "/", `http://127.0.0.1:${port}`, {
      socket: { transports: ["websocket"], forceNew: true },
    });
    clients.push(client);
    await client.ready();
    return { emit: client.emit as Emit, client, runs };
  }

  it("answers, and refuses an invalid payload before sending it", async () => {
    const { emit } = await start();
    expect(await emit["echo"]!({ text: "hi" })).toEqual({ text: "hi" });
    await expect(emit["echo"]!({ text: "" })).rejects.toMatchObject({ code: "REQUEST_INVALID" });
  });

  it("times out with TIMEOUT naming the event and the attempts; the retry joins the first run", async () => {
    const { emit, runs } = await start();
    const error = (await emit["slow"]!({ ms: 400 }, { retries: 1 }).catch((e: unknown) => e)) as IocontractError;
    expect(error.message).toBe('TIMEOUT: entries / "slow": no answer within 80 ms (2 attempts)');
    expect(runs).toEqual([400]);
  });

  it("a call waiting for its answer when the client disconnects rejects with DISCONNECTED", async () => {
    const { emit, client } = await start();
    const waiting = emit["slow"]!({ ms: 300 }, { retries: 0, timeoutMs: 5000 }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.disconnect();
    expect(((await waiting) as IocontractError).message).toBe(
      'DISCONNECTED: entries / "slow": the connection closed before the answer',
    );
  });

  it("many calls in flight each get their own answer", async () => {
    const { emit } = await start();
    const texts = Array.from({ length: 200 }, (_, i) => `m${i}`);
    expect(await Promise.all(texts.map((text) => emit["echo"]!({ text })))).toEqual(texts.map((text) => ({ text })));
  });
});

/**
 * Input and output sides across the languages, over real Socket.IO on 127.0.0.1: the io-sides fixture's generated
 * TypeScript client against its generated Python server interface (test/peers/python/io_sides_server.py). The
 * TypeScript client sends what a sender writes (defaults left out, a Date encoded); the Python handlers are given
 * the defaults filled in and the codec's wire value, and answer in the wire form, which the TypeScript client
 * decodes and fills in the same way. The Python server's request is answered by the TypeScript client and comes
 * back to Python with its default filled in.
 */
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type IoSidesClient, createIoSidesClient } from "../fixtures/io-sides/expected/client/client.gen";
import { next } from "../support/events";
import { REPO } from "../support/paths";
import { peer } from "../support/peers";
import { type JsonLinesProcess, startPythonServer } from "./lib/peer-chat";

const python = peer("python-socketio");
const SCRIPT = path.join(REPO, "test/peers/python/io_sides_server.py");
const STAMP = new Date("2026-01-02T03:04:05.000Z");

describe.skipIf(!python.available)(
  "io-sides: the generated TypeScript client against the generated Python server",
  () => {
    let server: JsonLinesProcess;
    let url: string;
    const clients: IoSidesClient[] = [];

    beforeAll(async () => {
      ({ server, url } = await startPythonServer(python.path, [SCRIPT], { timeoutMs: 75_000 }));
    }, 30_000);
    afterEach(() => {
      for (const client of clients.splice(0)) client.disconnect();
    });
    afterAll(async () => {
      expect(await server.stop(), server.stderr).toBe(0);
    });

    const given = async (event: string) => {
      await server.line("listening");
      for (let i = 0; i < 250; i++) {
        const found = server.all("given").find((l) => l["event"] === event);
        if (found !== undefined) return found["value"];
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`the Python server was given no ${event}; stderr:\n${server.stderr}`);
    };

    it("defaults: left out by the sender, filled in for the receiver, both ways; unknown keys dropped", {
      timeout: 20_000,
    }, async () => {
      const client = createIoSidesClient(url, {
        auth: { user: "ada" },
        socket: { transports: ["websocket"], reconnection: false },
      });
      clients.push(client);
      const ticks: unknown[] = [];
      client.handle.tick((payload) => {
        ticks.push(payload);
        return {}; // seen: left to its default
      });
      const settings = next(client.on.settings);
      await client.ready();
      expect(await given("connect")).toEqual({ user: "ada", lang: "en" });

      const ack = await client.emit.save({ tags: ["x"] });
      expect(await given("save")).toEqual({
        volume: 5,
        theme: "light",
        tags: ["x"],
        screen: { width: 640 },
        display: { zoom: 100 },
      });
      // The Python handler answered {"saved": {"volume": 6}}: the TypeScript client fills in the rest.
      expect(ack).toEqual({
        saved: { volume: 6, theme: "light", tags: [], screen: { width: 640 }, display: { zoom: 100 } },
        revision: 0,
      });
      // The server's request: the TypeScript handler got the date decoded and seq filled; Python got seen filled.
      expect(ticks).toEqual([{ at: new Date("2026-01-02T03:04:05Z"), seq: 0 }]);
      expect(await given("tick answer")).toEqual({ seen: true });
      expect(await settings).toEqual({
        volume: 5,
        theme: "light",
        tags: [],
        screen: { width: 640 },
        display: { zoom: 100 },
      });

      // A raw emit with a key the contract does not list: the Python handler never sees it (zod would strip it too).
      const raw = client.socket as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
      expect(
        await raw.emitWithAck("order", {
          items: [
            { name: "tea", extra: 1 },
            { name: "cake", qty: 2 },
          ],
          pick: { kind: "one" },
          extra: true,
        }),
      ).toEqual({ ok: true, data: { total: 3 } });
      expect(await given("order")).toEqual({
        items: [
          { name: "tea", qty: 1 },
          { name: "cake", qty: 2 },
        ],
        pick: { kind: "one", count: 1 },
        extras: {},
      });
    });

    it("a codec: the TypeScript client encodes the Date, Python holds the ISO string and answers with it, the client decodes it", {
      timeout: 20_000,
    }, async () => {
      const client = createIoSidesClient(url, {
        auth: { user: "bea", lang: "fr" },
        socket: { transports: ["websocket"], reconnection: false },
      });
      clients.push(client);
      await client.ready();
      // A TypeScript sender of a payload holding a codec writes zod's output (encoded, not parsed): label is required.
      const ack = await client.emit.schedule({ at: STAMP, label: "standup" });
      expect(await given("schedule")).toEqual({ at: "2026-01-02T03:04:05.000Z", label: "standup" });
      // The Python handler answered {"at": "<iso>"}, late left out: the client decoded the date and filled late in.
      expect(ack).toEqual({ at: STAMP, late: false });
      expect(ack.at).toBeInstanceOf(Date);
    });
  },
);

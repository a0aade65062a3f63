/**
 * Hand-picked malformed frames, one by one, with the exact answer each must get (the fuzz suite sends these
 * families at random; this file pins the ones that once went wrong). Same child-process server as the fuzzer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawConnection, type ServerEvent } from "./lib/raw-client";
import { startChild } from "./lib/runner";

let child: Awaited<ReturnType<typeof startChild>>;
let url: string;
beforeAll(async () => {
  child = await startChild();
  url = `http://127.0.0.1:${child.ports["namespaces-acks"]}`;
}, 60_000);
afterAll(async () => {
  await child.stop();
  expect(child.problems).toEqual([]);
});

async function connect(): Promise<{ conn: RawConnection; events: ServerEvent[] }> {
  const conn = new RawConnection(url);
  await conn.open();
  await conn.connect("/");
  await conn.connect("/game", { player: "p" });
  const events: ServerEvent[] = [];
  conn.onEvent((e) => events.push(e));
  return { conn, events };
}

describe("an EVENT packet with an ack id but no data (socket.io hands over the ack callback in the event name's place)", () => {
  it.each([
    ["in /", "427", "/", 7],
    ["in /game", "42/game,9", "/game", 9],
  ])(
    "%s: answered through its ack, as an unknown event, revealing nothing of socket.io's internals",
    async (_name, frame, nsp, id) => {
      const { conn, events } = await connect();
      const ack = conn.waitAck(nsp, id, 3000);
      conn.send(frame);
      const answer = await ack;
      conn.close();
      expect(answer).not.toBe("timeout");
      expect((answer as { data: unknown[] }).data).toEqual([
        { ok: false, error: { code: "UNKNOWN_EVENT", message: expect.stringMatching(/unknown event/) } },
      ]);
      expect(JSON.stringify(answer)).not.toMatch(/function|callbacks/);
      expect(events).toEqual([]);
    },
  );
});

describe("other odd event packets", () => {
  it("no data and no ack id: iocontract:error, unknown event", async () => {
    const { conn, events } = await connect();
    conn.send("42");
    const barrier = conn.waitAck("/", 1, 3000);
    conn.send('421["fuzz:barrier"]');
    await barrier;
    conn.close();
    // With connection-state recovery (on by default) socket.io appends the packet's offset, a string.
    expect(events).toEqual([
      {
        nsp: "/",
        event: "iocontract:error",
        args: [
          expect.objectContaining({ code: "UNKNOWN_EVENT" }),
          ...(events[0]?.args.length === 2 ? [expect.any(String)] : []),
        ],
      },
    ]);
  });

  it("a number as the event name: unknown event named by the number", async () => {
    const { conn } = await connect();
    const ack = conn.waitAck("/", 5, 3000);
    conn.send("425[42]");
    const answer = await ack;
    conn.close();
    expect((answer as { data: unknown[] }).data).toEqual([
      { ok: false, error: { code: "UNKNOWN_EVENT", message: 'game /: unknown event "42"' } },
    ]);
  });
});

/** Unit tests of ./packet-limit.ts: reading an event's name, measuring a packet, and the limit on a connection. */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { type PacketLimitHost, eventNameOf, packetSize, watchPackets } from "./packet-limit";
import type { EngineSocket } from "./notice";

describe("eventNameOf", () => {
  it("reads the name of EVENT and BINARY_EVENT packets, with a namespace and an ack id", () => {
    expect(eventNameOf('2["my message",{"data":"x"}]')).toBe("my message");
    expect(eventNameOf('2/admin,12["stats"]')).toBe("stats");
    expect(eventNameOf('51-/admin,3["upload",{"_placeholder":true,"num":0}]')).toBe("upload");
    expect(eventNameOf('2["with \\"quotes\\""]')).toBe('with "quotes"');
  });

  it("gives '' for anything else, and never more than 200 characters of name", () => {
    expect(eventNameOf("0")).toBe("");
    expect(eventNameOf("2[42]")).toBe("");
    expect(eventNameOf(`2["${"x".repeat(201)}"]`)).toBe("");
    expect(eventNameOf(`2["${"x".repeat(200)}"]`)).toHaveLength(200);
    expect(eventNameOf('2["bad \\u12"]')).toBe("");
  });
});

describe("packetSize", () => {
  it("counts characters while a string cannot be over, bytes when it might", () => {
    expect(packetSize("é".repeat(10), 30)).toBe(10); // 10 * 3 <= 30: characters are enough
    expect(packetSize("é".repeat(10), 29)).toBe(20); // might be over: UTF-8 bytes
    expect(packetSize(new Uint8Array(7), 1)).toBe(7);
    expect(packetSize(undefined, 1)).toBe(0);
  });
});

describe("watchPackets", () => {
  const setup = (limit = 1024) => {
    const conn = new EventEmitter() as EventEmitter & { close(): void };
    const closed: Array<{ event: string; code: string; what: string; details: unknown }> = [];
    const host: PacketLimitHost = {
      maxPayloadBytes: limit,
      attachmentTimeoutMs: 5000,
      closeWith: (_conn, event, code, what, details) => void closed.push({ event, code, what, details }),
    };
    watchPackets(host, conn as unknown as EngineSocket);
    const send = (data: unknown) => {
      const packet = { type: "message", data };
      conn.emit("packet", packet);
      return packet;
    };
    return { closed, send };
  };

  it("lets a packet at the limit through, untouched", () => {
    const { closed, send } = setup();
    const data = `2["ok","${"x".repeat(1024 - 10)}"]`;
    expect(data).toHaveLength(1024);
    expect(send(data)).toEqual({ type: "message", data });
    expect(closed).toEqual([]);
  });

  it("drops a packet over the limit and closes the connection with PAYLOAD_TOO_LARGE, naming the event", () => {
    const { closed, send } = setup();
    const data = `2["big","${"x".repeat(1024)}"]`;
    expect(data).toHaveLength(1035);
    const packet = send(data);
    expect(packet).toEqual({ type: "noop", data: undefined });
    expect(closed).toEqual([
      {
        event: "big",
        code: "PAYLOAD_TOO_LARGE",
        what: 'event "big" of 1035 bytes is over the limit of 1024 bytes; disconnecting',
        details: { limitBytes: 1024, sizeBytes: 1035 },
      },
    ]);
  });

  it("counts an event's binary attachments with its packet", () => {
    const { closed, send } = setup();
    expect(send('51-["upload",{"_placeholder":true,"num":0}]').type).toBe("message");
    const attachment = send(new Uint8Array(1024));
    expect(attachment.type).toBe("noop");
    expect(closed.map((c) => [c.event, c.code])).toEqual([["upload", "PAYLOAD_TOO_LARGE"]]);
  });
});

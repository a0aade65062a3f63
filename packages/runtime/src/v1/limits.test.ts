/** Unit tests of ./limits.ts: short answers, the refusal budget, attachment watching, the recovery buffer's bound. */
import { describe, expect, it, vi } from "vitest";
import {
  AttachmentWatch,
  MAX_ECHOED_NAME,
  RECOVERY_PACKET_OVERHEAD,
  REFUSAL_BYTES_PER_TOKEN,
  boundIssues,
  boundRecoveryBuffer,
  notePacketBytes,
  recoveryBufferSize,
  refusalCost,
  takeRefusal,
  truncateName,
} from "./limits";

describe("error answers never outgrow the request", () => {
  it("cuts an echoed event name at 64 characters", () => {
    expect(truncateName("short")).toBe("short");
    const long = truncateName("x".repeat(999_000));
    expect(long).toBe(`${"x".repeat(MAX_ECHOED_NAME)}…`);
  });

  it("cuts long issue messages and path keys; returns the same object when nothing is long", () => {
    const small = { issues: [{ path: ["a", 0], message: "bad" }], total: 1 };
    expect(boundIssues(small)).toBe(small);
    const big = boundIssues({
      issues: [{ path: ["k".repeat(10_000), 1], message: `Unrecognized key: "${"k".repeat(10_000)}"` }],
      total: 1,
    });
    expect(JSON.stringify(big).length).toBeLessThan(500);
    expect(big.issues[0]!.path[1]).toBe(1);
  });
});

describe("the refusal budget", () => {
  it("allows the burst, refuses the next, and refills at perSecond", () => {
    const socket = {};
    const budget = { burst: 3, perSecond: 10 };
    expect([0, 0, 0, 0].map(() => takeRefusal(socket, budget, 1, 0))).toEqual([true, true, true, false]);
    expect(takeRefusal(socket, budget, 1, 50)).toBe(false); // half a token back
    expect(takeRefusal(socket, budget, 1, 150)).toBe(true); // 1 token back (the refusal above emptied it)
    expect(takeRefusal({}, budget, 1, 150)).toBe(true); // another socket has its own
  });

  it("charges a refusal by the size of its packet: one token plus one per 16 KiB", () => {
    const conn = {};
    expect(refusalCost(conn)).toBe(1);
    notePacketBytes(conn, 100);
    expect(refusalCost(conn)).toBe(1);
    notePacketBytes(conn, 100_000);
    expect(refusalCost(conn)).toBe(1 + Math.floor(100_000 / REFUSAL_BYTES_PER_TOKEN));
    const socket = {};
    const budget = { burst: 100, perSecond: 10 };
    let taken = 0;
    while (takeRefusal(socket, budget, refusalCost(conn), 0)) taken++;
    expect(taken).toBe(14); // 100 tokens / 7 per 100 kB event
  });
});

describe("attachments of one event", () => {
  const name = () => "up";
  it("count with their packet against the limit: over it, a violation and the packet is dropped", () => {
    const violations: unknown[] = [];
    const watch = new AttachmentWatch(1000, 5000, (...v) => violations.push(v));
    expect(
      watch.admit(
        { type: "message", data: '52-["up",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]' },
        70,
        name,
      ),
    ).toBe(true);
    expect(watch.admit({ type: "message", data: Buffer.alloc(600) }, 600, name)).toBe(true);
    expect(watch.admit({ type: "message", data: Buffer.alloc(600) }, 600, name)).toBe(false);
    expect(violations).toEqual([["size", "up", 1270]]);
    watch.clear();
  });

  it("that arrive in time are fine; late ones are a timeout violation", () => {
    vi.useFakeTimers();
    try {
      const violations: unknown[] = [];
      const watch = new AttachmentWatch(10_000, 100, (...v) => violations.push(v));
      watch.admit({ type: "message", data: '51-["up",{"_placeholder":true,"num":0}]' }, 40, name);
      watch.admit({ type: "message", data: Buffer.alloc(10) }, 10, name);
      vi.advanceTimersByTime(1000);
      expect(violations).toEqual([]);
      watch.admit(
        { type: "message", data: '52-["up",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]' },
        60,
        name,
      );
      watch.admit({ type: "message", data: Buffer.alloc(10) }, 10, name);
      vi.advanceTimersByTime(99);
      expect(violations).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(violations).toEqual([["timeout", "up", 70]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("plain packets are not watched", () => {
    const watch = new AttachmentWatch(10, 100, () => {
      throw new Error("no violation expected");
    });
    expect(watch.admit({ type: "message", data: '2["x"]' }, 6, name)).toBe(true);
    expect(watch.admit({ type: "message", data: Buffer.alloc(100) }, 100, name)).toBe(true); // socket.io refuses stray binary itself
  });
});

describe("the recovery buffer's byte bound", () => {
  /** The parts of socket.io-adapter's SessionAwareAdapter the bound relies on. */
  function fakeAdapter() {
    return {
      packets: [] as Array<{ id: number; data: unknown; bytes?: number }>,
      sessions: new Map(),
      n: 0,
      _encode(packet: { data: unknown }) {
        return [JSON.stringify(packet.data)];
      },
      broadcast(packet: { data: unknown; id?: number }) {
        if (packet.id === undefined) this.packets.push({ id: this.n++, data: packet.data });
        this._encode(packet);
      },
    };
  }

  it("drops the oldest packets first once over maxBytes, counting encoded length plus overhead", () => {
    const adapter = fakeAdapter();
    expect(boundRecoveryBuffer(adapter, 10_000)).toBe(true);
    for (let i = 0; i < 100; i++) adapter.broadcast({ data: ["ev", "x".repeat(100)] });
    const size = recoveryBufferSize(adapter)!;
    expect(size.bytes).toBeLessThanOrEqual(10_000);
    expect(size.bytes).toBeGreaterThan(10_000 * 0.5);
    expect(size.packets * (RECOVERY_PACKET_OVERHEAD + 109)).toBe(size.bytes);
    expect(adapter.packets.at(-1)!.id).toBe(99); // the newest are kept
    expect(adapter.packets[0]!.id).toBeGreaterThan(0);
  });

  it("counts again after socket.io's own timer dropped expired packets", () => {
    const adapter = fakeAdapter();
    boundRecoveryBuffer(adapter, 10_000);
    for (let i = 0; i < 20; i++) adapter.broadcast({ data: ["ev", "x".repeat(100)] });
    adapter.packets.splice(0, 15); // what the adapter's sweep does
    for (let i = 0; i < 20; i++) adapter.broadcast({ data: ["ev", "x".repeat(100)] });
    expect(adapter.packets.length).toBe(25); // 25 × 365 B fits: nothing dropped for the swept ones
  });

  it("control: without the bound the buffer grows with every packet", () => {
    const adapter = fakeAdapter();
    for (let i = 0; i < 100; i++) adapter.broadcast({ data: ["ev", "x".repeat(100)] });
    expect(adapter.packets.length).toBe(100);
  });

  it("leaves other adapters alone", () => {
    expect(boundRecoveryBuffer({ broadcast() {} }, 1000)).toBe(false);
  });
});

/**
 * Issue 18: the recovery buffer has a byte bound. socket.io's in-memory adapter keeps every packet sent without
 * an ack for the recovery window; the runtime bounds what it keeps (connectionStateRecovery.maxBytes, default
 * 32 MiB counted as encoded length + 256 per packet), dropping the oldest first.
 */
import { describe, expect, it } from "vitest";
import { MB, startServer } from "./lib/attacks";

describe("the recovery buffer's byte bound", () => {
  it("defaults: 25,000 broadcasts of 2,000 characters (≈ 56 MB counted) keep at most 32 MiB, the newest", async () => {
    const server = await startServer();
    try {
      await server.broadcast(25_000, 2000);
      const heap = await server.heap();
      console.log(
        `attacks/recovery: ${heap.recoveryPackets} packets, ${(heap.recoveryBytes / MB).toFixed(1)} MB ` +
          `counted kept; heap ${(heap.heapUsed / MB).toFixed(1)} MB`,
      );
      expect(heap.recoveryBytes).toBeLessThanOrEqual(32 * MB);
      expect(heap.recoveryPackets).toBeLessThan(25_000);
      expect(heap.recoveryPackets).toBeGreaterThan(10_000);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it("control: without a bound (maxBytes Infinity) every packet is kept", async () => {
    const server = await startServer({ serverOptions: { connectionStateRecovery: { maxBytes: Infinity } } });
    try {
      await server.broadcast(25_000, 2000);
      const heap = await server.heap();
      expect(heap.recoveryPackets).toBe(25_000);
      expect(heap.recoveryBytes).toBeGreaterThan(32 * MB);
    } finally {
      await server.stop();
    }
  }, 60_000);
});

/**
 * Issue 18, attack 2: binary attachments. An event's size is its packet plus every attachment, bounded by
 * maxPayloadBytes (a 9.99 MB event of ten 999,000-byte attachments used to reach the handler: each packet was
 * under 1 MB); attachments announced and never sent are dropped with the connection after attachmentTimeoutMs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttackServer, MB, Raw, binaryEvent, sleep, startServer } from "./lib/attacks";

describe("a 9.99 MB binary event (10 attachments of 999,000 bytes)", () => {
  let server: AttackServer;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(() => server.stop());

  it("is refused PAYLOAD_TOO_LARGE (the event's total, not each packet), and the connection closed", async () => {
    const raw = await binaryEvent(server.url, 10, 999_000);
    await raw.closed;
    const [notice] = raw.errorEvents();
    expect(notice).toMatchObject({
      event: "my custom event",
      code: "PAYLOAD_TOO_LARGE",
      details: { limitBytes: 1_000_000 },
    });
    expect((notice!.details as { sizeBytes: number }).sizeBytes).toBeGreaterThan(1_000_000);
    expect(server.alive()).toBe(true);
  }, 30_000);

  it("control: with maxPayloadBytes over the total, the same event is decoded and judged by the contract", async () => {
    const roomy = await startServer({ serverOptions: { maxPayloadBytes: 11_000_000 } });
    try {
      const raw = await binaryEvent(roomy.url, 10, 999_000);
      await sleep(1500);
      expect(raw.errorEvents().map((e) => e.code)).toEqual(["REQUEST_INVALID"]); // not refused for its size
      raw.close();
    } finally {
      await roomy.stop();
    }
  }, 30_000);
});

describe("attachments announced and never all sent (40 connections, 9 of 10 × 90,000 bytes each)", () => {
  const park = async (url: string) => Promise.all(Array.from({ length: 40 }, () => binaryEvent(url, 10, 90_000, 9)));

  it("are freed with the defaults: ATTACHMENTS_INCOMPLETE after 5 s, connections closed, memory back", async () => {
    const server = await startServer();
    try {
      const before = await server.heap();
      const conns = await park(server.url);
      await Promise.all(conns.map((c) => c.closed));
      const after = await server.heap();
      console.log(
        `attacks/binary: parked then freed: arrayBuffers ${(before.arrayBuffers / MB).toFixed(1)} → ` +
          `${(after.arrayBuffers / MB).toFixed(1)} MB, heap ${(after.heapUsed / MB).toFixed(1)} MB`,
      );
      for (const c of conns) expect(c.errorEvents().map((e) => e.code)).toEqual(["ATTACHMENTS_INCOMPLETE"]);
      expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(8 * MB); // 40 × 810 kB = 32 MB were parked
      expect(after.connections).toBe(0);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it("control: with no timeout to speak of, they stay parked and the connections open", async () => {
    const server = await startServer({ serverOptions: { attachmentTimeoutMs: 600_000 } });
    try {
      const before = await server.heap();
      const conns = await park(server.url);
      await sleep(2500);
      const held = await server.heap();
      console.log(
        `attacks/binary control: parked: arrayBuffers ${(before.arrayBuffers / MB).toFixed(1)} → ${(held.arrayBuffers / MB).toFixed(1)} MB`,
      );
      expect(conns.filter((c) => c.isClosed)).toHaveLength(0);
      expect(held.arrayBuffers - before.arrayBuffers).toBeGreaterThan(24 * MB);
      for (const c of conns) c.close();
    } finally {
      await server.stop();
    }
  }, 60_000);

  it("a bystander's own binary-free events pass meanwhile (a Raw client on the same server)", async () => {
    const server = await startServer({ serverOptions: { attachmentTimeoutMs: 1500 } });
    try {
      const conns = await park(server.url);
      const by = new Raw(server.url, { auth: { name: "bystander" } });
      await by.opened;
      await by.ready;
      expect(await by.ask(1, "my rooms", [])).toMatchObject({ ok: true });
      by.close();
      for (const c of conns) c.close();
    } finally {
      await server.stop();
    }
  }, 60_000);
});

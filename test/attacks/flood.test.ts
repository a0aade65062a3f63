/**
 * Issue 18, attack 1: floods of unknown and invalid events, against a real server process on the built packages
 * (lib/server.ts), with the defaults. The memory bound: the server's heap after a full GC stays under
 * HEAP_BOUND (docs/security.md states it); answers are small and not kept for recovery; every attacker is
 * disconnected with a typed notice; a bystander keeps getting answers. The minutes-long version at full speed
 * is bench/attacks.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttackServer, MB, bystanderProcess, floodInvalid, startServer } from "./lib/attacks";

/** docs/security.md: the server's heap after a full GC during and after these floods. */
const HEAP_BOUND = 32 * MB;
const SECONDS = 4;

describe("floods of unknown and invalid events (defaults)", () => {
  let server: AttackServer;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(() => server.stop());

  for (const [attackers, nameLength] of [
    [4, 100_000],
    [40, 20],
  ] as const) {
    const title =
      `${attackers} attackers (names of ${nameLength} characters, invalid payloads) for ${SECONDS} s: bounded heap, ` +
      "attackers cut with TOO_MANY_INVALID_EVENTS, the bystander answered";
    it(title, async () => {
      const before = await server.heap();
      const watcher = await bystanderProcess(server.url);
      const stats = await floodInvalid(server.url, attackers, SECONDS * 1000, nameLength, 30_000);
      const seen = await watcher.stop();
      const after = await server.heap();
      console.log(
        `attacks/flood ${attackers}×${nameLength}: ${stats.sent} frames (${(stats.sentBytes / MB).toFixed(0)} MB) over ${stats.connections} connections, ` +
          `${stats.notices} notices (${stats.attackersCut} of ${attackers} attackers cut); heap ` +
          `${(before.heapUsed / MB).toFixed(1)} → ${(after.heapUsed / MB).toFixed(1)} MB, rss ` +
          `${(after.rss / MB).toFixed(0)} MB; ` +
          `bystander ${seen.answered} answers, slowest ${seen.slowestMs.toFixed(0)} ms; largest answer ${stats.largestAnswer} B`,
      );
      expect(server.alive()).toBe(true);
      expect(after.heapUsed).toBeLessThan(HEAP_BOUND);
      expect(after.recoveryPackets).toBe(0); // no answer to the attackers was kept for connection-state recovery
      expect(stats.largestAnswer).toBeLessThan(400); // a 100,000-character name is echoed as 64
      expect(stats.attackersCut).toBe(attackers); // each attacker was cut at least once, typed (within 30 s)
      expect(seen.failed).toBe(0);
      expect(seen.answered).toBeGreaterThan(0);
      expect(after.errors).toEqual([]);
    }, 60_000);
  }

  it("the probe sees what recovery keeps: a server broadcast is kept, so the 0 above is a measurement", async () => {
    const before = await server.heap();
    await server.broadcast(10, 100);
    expect((await server.heap()).recoveryPackets).toBe(before.recoveryPackets + 10);
  });
});

describe("control: invalidEventBudget off", () => {
  it("the same flood is never cut: attackers stay connected (the budget is what disconnects them)", async () => {
    const server = await startServer({ serverOptions: { invalidEventBudget: false } });
    try {
      const stats = await floodInvalid(server.url, 4, 2000, 20);
      expect(stats.notices).toBe(0);
      expect(stats.connections).toBe(4); // nobody had to reconnect
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe("control: answers kept for recovery and repeating the name (the runtime before issue 18, put back)", () => {
  it("the same 4-attacker flood of long names, uncut, takes the heap over the bound", async () => {
    const server = await startServer({
      serverOptions: { invalidEventBudget: false },
      env: { ATTACK_CONTROL: "store-answers" },
    });
    try {
      await floodInvalid(server.url, 4, 4000, 100_000);
      const after = await server.heap();
      console.log(
        `attacks/flood control: heap ${(after.heapUsed / MB).toFixed(1)} MB, ${after.recoveryPackets} packets kept for recovery`,
      );
      expect(after.heapUsed).toBeGreaterThan(HEAP_BOUND);
    } finally {
      await server.stop();
    }
  }, 60_000);
});

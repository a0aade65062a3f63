/**
 * Issue 18, attack 5 (names): claims are atomic. Many handshakes claiming one name at once admit exactly one,
 * in memory and on a real Redis shared by two "nodes" (SET NX, Lua compare-and-set). The control is the check the
 * demo used to do (look, await, then write): it admits several. A suite about the example itself: it imports the
 * example's name claims (examples/chat/src/server/names.ts).
 */
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryNameClaims, type NameClaims, RedisNameClaims } from "../../examples/chat/src/server/names";
import { peer } from "../support/peers";
import { type RunningRedis, startRedis } from "../support/redis-server";

/** The demo's old check: is it taken? (an await, as a cross-node look-up is) then take it. */
class LookThenTake implements NameClaims {
  private readonly names = new Map<string, string>();
  async claim(key: string, sid: string): Promise<boolean> {
    const taken = this.names.has(key);
    await new Promise((r) => setImmediate(r));
    if (taken) return false;
    this.names.set(key, sid);
    return true;
  }
  async release(): Promise<void> {}
}

const nobodyLive = async () => false;
const claimAll = (claims: NameClaims[], n: number) =>
  Promise.all(
    Array.from({ length: n }, (_, i) => claims[i % claims.length]!.claim("dup", `sid${i}`, async () => true)),
  );

describe("claiming a name", () => {
  it("in memory: 20 simultaneous claims, one wins", async () => {
    const won = await claimAll([new MemoryNameClaims()], 20);
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  it("control: the old look-then-take check admits them all", async () => {
    const won = await claimAll([new LookThenTake()], 20);
    expect(won.filter(Boolean).length).toBeGreaterThan(1);
  });

  it("a claim whose holder is gone is taken over after the grace; releasing frees it", async () => {
    const claims = new MemoryNameClaims();
    expect(await claims.claim("k", "a", nobodyLive)).toBe(true);
    expect(await claims.claim("k", "a", nobodyLive)).toBe(true); // its own again (a recovered connection)
    expect(await claims.claim("k", "b", async () => true)).toBe(false); // a live holder keeps it
    expect(await claims.claim("k", "b", nobodyLive)).toBe(true); // a gone one loses it (after the 1 s grace)
    await claims.release("k", "a"); // not a's any more: nothing happens
    expect(await claims.claim("k", "c", async () => true)).toBe(false);
    await claims.release("k", "b");
    expect(await claims.claim("k", "c", async () => true)).toBe(true);
  });
});

const redisServer = peer("redis-server");
describe.skipIf(!redisServer.available)("claiming a name on Redis (two nodes)", () => {
  let redis: RunningRedis;
  const clients: Array<{ close(): Promise<void> }> = [];
  beforeAll(async () => {
    redis = await startRedis(redisServer.path);
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await redis?.stop();
  });
  const node = async () => {
    const client = createClient({ url: redis.url });
    await client.connect();
    clients.push(client);
    return new RedisNameClaims({ sendCommand: (args) => client.sendCommand(args) }, "test:name:");
  };

  it("20 simultaneous claims spread over two nodes: one wins; release frees it only for its holder", async () => {
    const [a, b] = [await node(), await node()];
    const won = await claimAll([a, b], 20);
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = `sid${won.indexOf(true)}`;
    await b.release("dup", "someone-else");
    expect(await a.claim("dup", "late", async () => true)).toBe(false);
    await b.release("dup", winner);
    expect(await a.claim("dup", "late", async () => true)).toBe(true);
  }, 20_000);
});

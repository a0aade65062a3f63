/**
 * Issue 18, attack 4: one client evicting another's exactly-once state. A client sends a keyed call; another
 * sends 50,000 keyed calls; the first client's retry (same key, new connection) must not run its handler again.
 * The idempotency store bounds keys per client (maxEntriesPerClient) and, past maxEntries, evicts from the
 * largest holder first.
 */
import { describe, expect, it } from "vitest";
import { Raw, sleep, startServer } from "./lib/attacks";

const KEY = "iocontract:key";
const replies = (raw: Raw) => raw.events.filter((e) => e[0] === "my reply").length;

async function connect(url: string, name: string): Promise<Raw> {
  const raw = new Raw(url, { auth: { name } });
  await raw.opened;
  await raw.ready;
  return raw;
}

/** A keyed `my custom event` (its handler answers the sender with `my reply`): resolves with the ack. */
function keyed(raw: Raw, id: number, key: string, data: string): Promise<unknown> {
  return raw.ask(id, "my custom event", [{ data }, { [KEY]: key }]);
}

async function flood(raw: Raw, n: number, client: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    raw.send(`2${i + 10}${JSON.stringify(["my custom event", { data: "f" }, { [KEY]: `${client}.${i}` }])}`);
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  await expect.poll(() => raw.acks.has(n + 9), { timeout: 60_000, interval: 100 }).toBe(true);
}

describe("exactly-once state no other client can evict (defaults)", () => {
  it("50,000 keyed calls from one client do not make another client's retry run twice; the flooder loses its own keys", async () => {
    const server = await startServer();
    try {
      const victim = await connect(server.url, "victim");
      expect(await keyed(victim, 1, "victim-client.1", "once")).toEqual({ ok: true, data: null });
      await expect.poll(() => replies(victim)).toBe(1);
      victim.close();

      const attacker = await connect(server.url, "attacker");
      await flood(attacker, 50_000, "attacker-client");

      // The victim's retry after a reconnect: answered from the store, its handler not run again.
      const retry = await connect(server.url, "victim");
      expect(await keyed(retry, 1, "victim-client.1", "once")).toEqual({ ok: true, data: null });
      await sleep(300);
      expect(replies(retry)).toBe(0);

      // Control: the flood was big enough to evict: the flooder's own first key runs again.
      const before = replies(attacker);
      expect(await keyed(attacker, 1, "attacker-client.0", "again")).toEqual({ ok: true, data: null });
      await expect.poll(() => replies(attacker)).toBe(before + 1);
      retry.close();
      attacker.close();
      expect((await server.heap()).errors).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

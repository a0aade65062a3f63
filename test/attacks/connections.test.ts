/**
 * Issue 18, attack 6: many connections from one address. ServerOptions.connectionLimits bounds them in total and
 * per address (off by default), refused at the handshake with TOO_MANY_CONNECTIONS.
 */
import { describe, expect, it } from "vitest";
import { Raw, pollingSession, startServer } from "./lib/attacks";

async function open(
  url: string,
  n: number,
  headers: Record<string, string> = {},
): Promise<Array<Raw | { status: number; body: string }>> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const raw = new Raw(url, { headers, auth: { name: `c${i}` } });
      try {
        await raw.opened;
        return raw;
      } catch (error) {
        return error as { status: number; body: string };
      }
    }),
  );
}
const closeAll = (all: Array<Raw | object>) => {
  for (const c of all) if (c instanceof Raw) c.close();
};

describe("connection limits", () => {
  it("perAddress: 10 accepted, the rest refused TOO_MANY_CONNECTIONS (websocket and polling); a closed one frees its place", async () => {
    const server = await startServer({ serverOptions: { connectionLimits: { perAddress: 10 } } });
    try {
      const all = await open(server.url, 30);
      const refused = all.filter((c) => !(c instanceof Raw)) as Array<{ status: number; body: string }>;
      expect(all.length - refused.length).toBe(10);
      expect(refused[0]).toMatchObject({
        status: 400,
        body: "TOO_MANY_CONNECTIONS: 10 connections from this address already (connectionLimits.perAddress)",
      });
      await expect(pollingSession(server.url)).rejects.toMatchObject({
        status: 403,
        body: expect.stringContaining("TOO_MANY_CONNECTIONS"),
      });
      const first = all.find((c) => c instanceof Raw) as Raw;
      first.close();
      await expect.poll(async () => (await server.heap()).connections).toBe(9);
      const again = await open(server.url, 1);
      expect(again[0]).toBeInstanceOf(Raw);
      closeAll([...all, ...again]);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it("a trusted proxy header counts addresses by it", async () => {
    const server = await startServer({
      serverOptions: { connectionLimits: { perAddress: 2, trustProxyHeader: "x-forwarded-for" } },
    });
    try {
      const a = await open(server.url, 3, { "x-forwarded-for": "203.0.113.1" });
      const b = await open(server.url, 2, { "x-forwarded-for": "203.0.113.2" });
      expect(a.filter((c) => c instanceof Raw)).toHaveLength(2);
      expect(b.filter((c) => c instanceof Raw)).toHaveLength(2);
      closeAll([...a, ...b]);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it("control: by default there is no limit (50 from one address all accepted)", async () => {
    const server = await startServer();
    try {
      const all = await open(server.url, 50);
      expect(all.filter((c) => c instanceof Raw)).toHaveLength(50);
      closeAll(all);
    } finally {
      await server.stop();
    }
  }, 60_000);
});

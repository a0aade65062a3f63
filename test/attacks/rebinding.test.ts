/**
 * Issue 18, attack 3: DNS rebinding. A page on evil.example whose name now resolves to 127.0.0.1 sends
 * `Host: evil.example:P` and `Origin: http://evil.example:P`: same-origin by the Origin rule alone. A server on a
 * loopback address refuses host names that are not loopback names (ServerOptions.allowedHosts), on websocket and
 * polling, and logs one line naming the option. Refused origins are logged the same way (issue 10).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttackServer, Raw, rawHttp, startServer } from "./lib/attacks";

async function wsOutcome(
  url: string,
  headers: Record<string, string>,
): Promise<"connected" | { status: number; body: string }> {
  const raw = new Raw(url, { headers, auth: { name: `h${Math.random().toString(36).slice(2, 8)}` } });
  try {
    await raw.opened;
    await raw.ready;
    raw.close();
    return "connected";
  } catch (error) {
    return { status: (error as { status: number }).status, body: (error as { body: string }).body };
  }
}

describe("a loopback-bound server (defaults)", () => {
  let server: AttackServer;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(() => server.stop());

  it("refuses Origin = Host = evil.example on websocket and polling, and logs one line naming allowedHosts", async () => {
    const evil = { host: `evil.example:${server.port}`, origin: `http://evil.example:${server.port}` };
    expect(await wsOutcome(server.url, evil)).toEqual({
      status: 400,
      body: `host evil.example:${server.port} is not allowed (ServerOptions.allowedHosts)`,
    });
    // Raw HTTP for polling: fetch() does not send a Host header of our choosing.
    const polling = await rawHttp(
      server.port,
      `GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: ${evil.host}\r\nOrigin: ${evil.origin}\r\nConnection: close\r\n\r\n`,
    );
    expect(polling.status).toBe(403);
    expect(polling.text).toContain(`host evil.example:${server.port} is not allowed (ServerOptions.allowedHosts)`);
    await expect
      .poll(() => server.logs)
      .toContain(
        `iocontract: chat: refused a connection for Host "evil.example:${server.port}" on loopback address ` +
          `127.0.0.1 (DNS rebinding defence); to allow it, add "evil.example" to ServerOptions.allowedHosts`,
      );
    expect(server.logs.filter((l) => l.includes('Host "evil.example'))).toHaveLength(1); // once a minute per host
  });

  it("accepts 127.0.0.1 and localhost (what browsers and the suites use), with or without a matching Origin", async () => {
    expect(await wsOutcome(server.url, {})).toBe("connected");
    expect(
      await wsOutcome(server.url, { host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` }),
    ).toBe("connected");
    expect(await wsOutcome(server.url, { origin: `http://127.0.0.1:${server.port}` })).toBe("connected");
  });

  it("a cross-origin page is refused and the refusal is logged, naming cors (issue 10: no silent failure)", async () => {
    expect(await wsOutcome(server.url, { origin: "https://app.example" })).toMatchObject({ status: 400 });
    await expect
      .poll(() => server.logs)
      .toContain(
        `iocontract: chat: refused a connection from Origin "https://app.example" (Host ` +
          `"127.0.0.1:${server.port}"); to allow it, add "https://app.example" to ServerOptions.cors`,
      );
  });
});

describe("allowedHosts", () => {
  it("a listed name is accepted", async () => {
    const server = await startServer({ serverOptions: { allowedHosts: ["dev.example"] } });
    try {
      expect(await wsOutcome(server.url, { host: `dev.example:${server.port}` })).toBe("connected");
      expect(await wsOutcome(server.url, { host: `evil.example:${server.port}` })).toMatchObject({ status: 400 });
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('control: "*" (no Host check) lets the rebinding page in', async () => {
    const server = await startServer({ serverOptions: { allowedHosts: "*" } });
    try {
      expect(
        await wsOutcome(server.url, {
          host: `evil.example:${server.port}`,
          origin: `http://evil.example:${server.port}`,
        }),
      ).toBe("connected");
    } finally {
      await server.stop();
    }
  }, 60_000);
});

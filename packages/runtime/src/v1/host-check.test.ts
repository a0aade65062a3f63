/** Unit tests of ./host-check.ts: the Host rule against DNS rebinding, origins, and the refusal log. */
import { describe, expect, it } from "vitest";
import { RefusalLog, accessCheck, hostAllowed, hostName, isLoopbackAddress, originAllowed } from "./host-check";

const on = (localAddress: string, host: string | undefined, origin?: string) =>
  ({ headers: { host, ...(origin === undefined ? {} : { origin }) }, socket: { localAddress } }) as never;

describe("the Host rule", () => {
  it("knows loopback addresses and host names", () => {
    expect(["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"].map(isLoopbackAddress)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["10.0.0.1", "::", "0.0.0.0", undefined].map(isLoopbackAddress)).toEqual([false, false, false, false]);
    expect(hostName("Evil.Example:8000")).toBe("evil.example");
    expect(hostName("[::1]:8000")).toBe("::1");
    expect(hostName(undefined)).toBeUndefined();
  });

  it("a loopback-bound server accepts loopback names and IPs only, unless listed", () => {
    for (const host of [
      "127.0.0.1:8000",
      "localhost:8000",
      "LOCALHOST",
      "app.localhost:1",
      "[::1]:80",
      "10.1.2.3:80",
    ]) {
      expect(hostAllowed(on("127.0.0.1", host), "loopback"), host).toBe(true);
    }
    expect(hostAllowed(on("127.0.0.1", "evil.example:8000"), "loopback")).toBe(false);
    expect(hostAllowed(on("::ffff:127.0.0.1", "evil.example"), "loopback")).toBe(false);
    expect(hostAllowed(on("127.0.0.1", undefined), "loopback")).toBe(false);
    expect(hostAllowed(on("127.0.0.1", "dev.example:8000"), ["dev.example"])).toBe(true);
    expect(hostAllowed(on("127.0.0.1", "evil.example:8000"), "*")).toBe(true); // the control: no check
  });

  it("elsewhere any host, unless a list is given", () => {
    expect(hostAllowed(on("10.0.0.5", "chat.example.com"), "loopback")).toBe(true);
    expect(hostAllowed(on("10.0.0.5", undefined), "loopback")).toBe(false); // no Host at all: refused anywhere
    expect(hostAllowed(on("10.0.0.5", "chat.example.com"), ["chat.example.com"])).toBe(true);
    expect(hostAllowed(on("10.0.0.5", "other.example.com"), ["chat.example.com", /^pr-\d+\.example\.com$/])).toBe(
      false,
    );
    expect(hostAllowed(on("10.0.0.5", "pr-12.example.com"), ["chat.example.com", /^pr-\d+\.example\.com$/])).toBe(true);
  });
});

describe("origins", () => {
  it("same-origin compares Origin with Host; no Origin is not a browser", () => {
    expect(originAllowed(on("127.0.0.1", "127.0.0.1:8000", "http://127.0.0.1:8000"), "same-origin")).toBe(true);
    expect(originAllowed(on("127.0.0.1", "127.0.0.1:8000"), "same-origin")).toBe(true);
    expect(originAllowed(on("127.0.0.1", "127.0.0.1:8000", "http://evil.example"), "same-origin")).toBe(false);
    expect(originAllowed(on("127.0.0.1", "127.0.0.1:8000", "not a url"), "same-origin")).toBe(false);
  });
});

describe("accessCheck and the refusal log", () => {
  it("DNS rebinding: Origin = Host = evil.example is refused on loopback, with one log line naming allowedHosts", () => {
    const lines: string[] = [];
    const check = accessCheck({
      contract: "chat",
      cors: "same-origin",
      allowedHosts: "loopback",
      log: new RefusalLog((l) => lines.push(l)),
    });
    const req = on("127.0.0.1", "evil.example:8000", "http://evil.example:8000");
    expect(check(req)).toBe("host evil.example:8000 is not allowed (ServerOptions.allowedHosts)");
    expect(check(req)).toBeDefined();
    expect(lines).toEqual([
      'iocontract: chat: refused a connection for Host "evil.example:8000" on loopback address 127.0.0.1 ' +
        '(DNS rebinding defence); to allow it, add "evil.example" to ServerOptions.allowedHosts',
    ]);
    // The control: same-origin alone lets it in.
    expect(
      accessCheck({ contract: "chat", cors: "same-origin", allowedHosts: "*", log: undefined })(req),
    ).toBeUndefined();
  });

  it("a refused origin is logged once per minute, naming cors", () => {
    let now = 0;
    const lines: string[] = [];
    const check = accessCheck({
      contract: "chat",
      cors: "same-origin",
      allowedHosts: "loopback",
      log: new RefusalLog(
        (l) => lines.push(l),
        60_000,
        20,
        () => now,
      ),
    });
    const req = on("127.0.0.1", "127.0.0.1:8000", "https://evil.example");
    for (let i = 0; i < 5; i++) check(req);
    expect(lines).toEqual([
      'iocontract: chat: refused a connection from Origin "https://evil.example" (Host "127.0.0.1:8000"); ' +
        'to allow it, add "https://evil.example" to ServerOptions.cors',
    ]);
    now = 60_000;
    check(req);
    expect(lines).toHaveLength(2);
  });

  it("at most maxPerWindow distinct lines a minute, then one line counting the rest", () => {
    let now = 0;
    const lines: string[] = [];
    const log = new RefusalLog(
      (l) => lines.push(l),
      60_000,
      3,
      () => now,
    );
    for (let i = 0; i < 10; i++) log.refused(`k${i}`, `line ${i}`);
    expect(lines).toEqual(["line 0", "line 1", "line 2"]);
    now = 60_000;
    log.refused("k0", "line 0");
    expect(lines.slice(3)).toEqual([
      "iocontract: 7 more refused connection(s) in the last minute were not logged",
      "line 0",
    ]);
  });
});

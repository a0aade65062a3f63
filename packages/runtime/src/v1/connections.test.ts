/** Unit tests of ./connections.ts: totals, per address, the proxy header, reservations. */
import { describe, expect, it } from "vitest";
import { ConnectionCounter, clientAddress } from "./connections";

const req = (remoteAddress: string, headers: Record<string, string> = {}) =>
  ({ headers, socket: { remoteAddress } }) as never;

describe("connection limits", () => {
  it("per address: the limit, then TOO_MANY_CONNECTIONS; a closed connection frees its place", () => {
    const counter = new ConnectionCounter({ perAddress: 2 });
    const a = [req("10.0.0.1"), req("10.0.0.1")];
    expect(a.map((r) => counter.admit(r))).toEqual([undefined, undefined]);
    expect(counter.admit(req("10.0.0.1"))).toMatch(
      /^TOO_MANY_CONNECTIONS: 2 connections from this address already \(connectionLimits.perAddress\)$/,
    );
    expect(counter.admit(req("10.0.0.2"))).toBeUndefined();
    const release = counter.connected(a[0]);
    expect(counter.connected(a[0])).toBeUndefined(); // once
    release!();
    release!(); // idempotent
    expect(counter.admit(req("10.0.0.1"))).toBeUndefined();
  });

  it("in total", () => {
    const counter = new ConnectionCounter({ total: 2 });
    expect(
      [counter.admit(req("a")), counter.admit(req("b")), counter.admit(req("c"))].map((r) => r?.split(":")[0]),
    ).toEqual([undefined, undefined, "TOO_MANY_CONNECTIONS"]);
    expect(counter.count).toBe(2);
  });

  it("counts by the proxy header only when named", () => {
    expect(clientAddress({ "x-forwarded-for": "1.2.3.4, 10.0.0.1" }, "10.0.0.9", "X-Forwarded-For")).toBe("1.2.3.4");
    expect(clientAddress({ "x-forwarded-for": "1.2.3.4" }, "10.0.0.9", undefined)).toBe("10.0.0.9");
    expect(clientAddress({}, "10.0.0.9", "x-forwarded-for")).toBe("10.0.0.9");
    const counter = new ConnectionCounter({ perAddress: 1, trustProxyHeader: "x-forwarded-for" });
    expect(counter.admit(req("10.0.0.9", { "x-forwarded-for": "1.1.1.1" }))).toBeUndefined();
    expect(counter.admit(req("10.0.0.9", { "x-forwarded-for": "2.2.2.2" }))).toBeUndefined();
    expect(counter.admit(req("10.0.0.9", { "x-forwarded-for": "1.1.1.1" }))).toMatch(/^TOO_MANY_CONNECTIONS/);
  });

  it("refuses nonsense limits", () => {
    expect(() => new ConnectionCounter({ total: 0 })).toThrow(
      "iocontract: connectionLimits.total must be an integer >= 1 (got 0)",
    );
  });
});

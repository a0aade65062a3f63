/** Unit tests of ./rate-limit.ts: the per-connection token buckets, on a clock passed in. */
import { describe, expect, it } from "vitest";
import { RateLimiter, rateLimitSlot } from "./rate-limit";

describe("rateLimitSlot", () => {
  it("refills perSecond / 1000 tokens per ms; burst defaults to perSecond, at least 1", () => {
    expect(rateLimitSlot({ perSecond: 5 }, 0)).toEqual({ perMs: 0.005, burst: 5, slot: 0 });
    expect(rateLimitSlot({ perSecond: 0.5 }, 1)).toEqual({ perMs: 0.0005, burst: 1, slot: 1 });
    expect(rateLimitSlot({ perSecond: 2, burst: 10 }, 2)).toEqual({ perMs: 0.002, burst: 10, slot: 2 });
  });
});

describe("RateLimiter", () => {
  it("allows the burst at once, then says how long until the next token", () => {
    const limit = rateLimitSlot({ perSecond: 2, burst: 3 }, 0);
    const limiter = new RateLimiter([limit]);
    expect([0, 0, 0].map(() => limiter.take(limit, 1000))).toEqual([0, 0, 0]);
    expect(limiter.take(limit, 1000)).toBe(500); // 2/s: one token every 500 ms
    expect(limiter.take(limit, 1250)).toBe(250);
    expect(limiter.take(limit, 1500)).toBe(0);
    expect(limiter.take(limit, 1500)).toBe(500);
  });

  it("never holds more than the burst, however long the connection was idle", () => {
    const limit = rateLimitSlot({ perSecond: 10, burst: 2 }, 0);
    const limiter = new RateLimiter([limit]);
    expect(limiter.take(limit, 0)).toBe(0);
    const later = 3_600_000;
    expect([limiter.take(limit, later), limiter.take(limit, later), limiter.take(limit, later)]).toEqual([0, 0, 100]);
  });

  it("keeps one bucket per event", () => {
    const a = rateLimitSlot({ perSecond: 1 }, 0);
    const b = rateLimitSlot({ perSecond: 1 }, 1);
    const limiter = new RateLimiter([a, b]);
    expect(limiter.take(a, 0)).toBe(0);
    expect(limiter.take(a, 0)).toBe(1000);
    expect(limiter.take(b, 0)).toBe(0); // a's limit does not touch b's bucket
  });
});

/**
 * The contract's `rateLimit` of client→server events: one token bucket per event and connection. Pure: the
 * clock is passed in, so the limiter is tested without timers.
 */

/** The rate limit of one event, resolved once per namespace: `slot` is its place in each connection's table. */
export interface RateLimitSlot {
  /** Tokens refilled per ms (the contract's `perSecond` / 1000). */
  readonly perMs: number;
  readonly burst: number;
  readonly slot: number;
}

/** Resolves the contract's `{ perSecond, burst? }` (burst defaults to perSecond, at least 1) into slot `slot`. */
export function rateLimitSlot(
  limit: { readonly perSecond: number; readonly burst?: number | undefined },
  slot: number,
): RateLimitSlot {
  return { perMs: limit.perSecond / 1000, burst: limit.burst ?? Math.max(1, limit.perSecond), slot };
}

/**
 * One connection's buckets, two numbers per rate-limited event (tokens, last refill in ms) in one typed array,
 * made full on the first event that needs one (most connections never hit a limited event).
 */
export class RateLimiter {
  private buckets: Float64Array | undefined;

  /** `slots`: every rate-limited event of the namespace (their `slot`s are 0..n-1). */
  constructor(private readonly slots: readonly RateLimitSlot[]) {}

  /** Takes a token for the event: 0 when allowed, else how many ms until one is free. */
  take(limit: RateLimitSlot, now: number): number {
    const buckets = (this.buckets ??= this.full(now));
    const i = limit.slot * 2;
    const tokens = Math.min(limit.burst, buckets[i]! + (now - buckets[i + 1]!) * limit.perMs);
    buckets[i + 1] = now;
    if (tokens >= 1) {
      buckets[i] = tokens - 1;
      return 0;
    }
    buckets[i] = tokens;
    return Math.ceil((1 - tokens) / limit.perMs);
  }

  private full(now: number): Float64Array {
    const buckets = new Float64Array(this.slots.length * 2);
    for (const limit of this.slots) {
      buckets[limit.slot * 2] = limit.burst;
      buckets[limit.slot * 2 + 1] = now;
    }
    return buckets;
  }
}

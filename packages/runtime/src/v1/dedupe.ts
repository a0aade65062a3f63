/**
 * Idempotency keys, server side: a retried event (same key) runs its handler once, and every retry gets the
 * first answer. In memory, per server process, bounded two ways: entries expire `ttlMs` after they were made,
 * and past `maxEntries` the oldest go first. A Map keeps insertion order, which is also expiry order, so both
 * evictions take entries from the front: O(1) per event, no timers.
 */
import type { AckEnvelope } from "./wire";

export interface IdempotencyOptions {
  /** How long an answer is kept for retries, in ms. Default 120 000 (socket.io's recovery window). */
  readonly ttlMs?: number;
  /** At most this many keys are kept; the oldest are forgotten first. Default 50 000. */
  readonly maxEntries?: number;
}

export const DEFAULT_IDEMPOTENCY_TTL_MS = 120_000;
export const DEFAULT_IDEMPOTENCY_MAX_ENTRIES = 50_000;

type Answer = (envelope: AckEnvelope<unknown>) => void;

export class DedupeEntry {
  /** The first answer, once there is one. */
  answer: AckEnvelope<unknown> | undefined = undefined;
  /** Retries that arrived while the first run was still going. */
  waiters: Answer[] | undefined = undefined;
  constructor(readonly expires: number) {}
}

export class DedupeStore {
  private readonly entries = new Map<string, DedupeEntry>();
  /**
   * Keys in insertion (= expiry) order, consumed from `head`. Evicting through a Map iterator instead would
   * walk over every slot deleted at the front of the Map's table on each call: quadratic under load.
   */
  private order: string[] = [];
  private head = 0;
  readonly ttlMs: number;
  readonly maxEntries: number;

  constructor(options: IdempotencyOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_IDEMPOTENCY_MAX_ENTRIES;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The entry of a key seen before (the caller answers from it), or undefined after recording the key anew:
   * the caller then runs the handler and calls {@link settle} on {@link latest}. No wrapper object per call.
   */
  seen(key: string, now = Date.now()): DedupeEntry | undefined {
    const order = this.order;
    while (this.head < order.length) {
      const oldest = order[this.head]!;
      const entry = this.entries.get(oldest);
      if (entry !== undefined && entry.expires > now && this.entries.size < this.maxEntries) break;
      if (entry !== undefined) this.entries.delete(oldest);
      this.head++;
    }
    if (this.head >= 4096 && this.head * 2 >= order.length) {
      this.order = order.slice(this.head);
      this.head = 0;
    }
    const seen = this.entries.get(key);
    if (seen !== undefined) return seen;
    this.latest = new DedupeEntry(now + this.ttlMs);
    this.entries.set(key, this.latest);
    this.order.push(key);
    return undefined;
  }

  /** The entry the last {@link seen} call recorded. */
  latest: DedupeEntry = new DedupeEntry(0);

  /** Records the first answer and passes it to the retries waiting for it. */
  settle(entry: DedupeEntry, answer: AckEnvelope<unknown>): void {
    entry.answer = answer;
    const waiters = entry.waiters;
    entry.waiters = undefined;
    for (const waiter of waiters ?? []) waiter(answer);
  }

  /** A retry: answered now if the first run has finished, else when it does. */
  join(entry: DedupeEntry, answer: Answer): void {
    if (entry.answer !== undefined) return answer(entry.answer);
    (entry.waiters ??= []).push(answer);
  }
}

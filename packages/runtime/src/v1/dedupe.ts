/**
 * Idempotency keys, server side: a retried event (same key) runs its handler once, and every retry gets the
 * first answer. In memory, per server process, bounded three ways:
 *
 * - entries expire `ttlMs` after they were made;
 * - each client (a *holder*: see {@link DedupeStore.seen}) keeps at most `maxEntriesPerClient` keys, its own
 *   oldest forgotten first: a client that floods keys loses its own old keys;
 * - past `maxEntries` in all, the clients holding the most keys lose their oldest: nobody loses a key while
 *   another client holds more.
 *
 * Entries sit in one queue in insertion (= expiry) order and in one queue per holder. O(1) per event in the
 * steady state, no timers; past `maxEntries` the store frees 5 % of it at once, from the largest holders down
 * (one pass over the holders per batch: see {@link DedupeStore.shrink}).
 */
import {
  DEFAULT_IDEMPOTENCY_MAX_ENTRIES,
  DEFAULT_IDEMPOTENCY_MAX_PER_CLIENT,
  DEFAULT_IDEMPOTENCY_TTL_MS,
} from "./defaults";
import type { AckEnvelope } from "./wire";

export interface IdempotencyOptions {
  /** How long an answer is kept for retries, in ms. Default 120 000 (socket.io's recovery window). */
  readonly ttlMs?: number;
  /** At most this many keys are kept in all; past it the clients holding the most lose their oldest. Default 50 000. */
  readonly maxEntries?: number;
  /** At most this many keys per client; past it that client's oldest is forgotten. Default 10 000. */
  readonly maxEntriesPerClient?: number;
}

type Answer = (envelope: AckEnvelope<unknown>) => void;

class Holder {
  count = 0;
  /** This holder's entries, oldest first, from `head` (dead ones are skipped). */
  queue: DedupeEntry[] = [];
  head = 0;
  constructor(readonly name: string) {}
}

export class DedupeEntry {
  /** The first answer, once there is one. */
  answer: AckEnvelope<unknown> | undefined = undefined;
  /** Retries that arrived while the first run was still going. */
  waiters: Answer[] | undefined = undefined;
  /** False once expired or evicted. */
  live = true;
  constructor(
    readonly expires: number,
    readonly key: string,
    readonly holder: Holder | undefined,
  ) {}
}

export class DedupeStore {
  private readonly entries = new Map<string, DedupeEntry>();
  /**
   * Entries in insertion (= expiry) order, consumed from `head`. Evicting through a Map iterator instead would
   * walk over every slot deleted at the front of the Map's table on each call: quadratic under load.
   */
  private order: DedupeEntry[] = [];
  private head = 0;
  private readonly holders = new Map<string, Holder>();
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly maxEntriesPerClient: number;

  constructor(options: IdempotencyOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_IDEMPOTENCY_MAX_ENTRIES;
    this.maxEntriesPerClient = Math.min(
      this.maxEntries,
      options.maxEntriesPerClient ?? DEFAULT_IDEMPOTENCY_MAX_PER_CLIENT,
    );
    for (const [name, n] of [
      ["maxEntries", this.maxEntries],
      ["maxEntriesPerClient", this.maxEntriesPerClient],
    ] as const) {
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`iocontract: idempotency.${name} must be an integer >= 1 (got ${n})`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** How many keys `holder` holds now. */
  heldBy(holder: string): number {
    return this.holders.get(holder)?.count ?? 0;
  }

  /**
   * The entry of a key seen before (the caller answers from it), or undefined after recording the key anew for
   * `holder` (the client's identity; see server/dispatch.ts): the caller then runs the handler and calls {@link record}
   * on {@link latest}. No wrapper object per call.
   */
  seen(key: string, now = Date.now(), holder = ""): DedupeEntry | undefined {
    const order = this.order;
    while (this.head < order.length) {
      const oldest = order[this.head]!;
      if (oldest.live) {
        if (oldest.expires > now) break;
        this.remove(oldest);
      }
      this.head++;
    }
    if (this.head >= 4096 && this.head * 2 >= order.length) {
      this.order = order.slice(this.head);
      this.head = 0;
    }
    const seen = this.entries.get(key);
    if (seen !== undefined) return seen;
    if (this.entries.size >= this.maxEntries) this.shrink();
    let h = this.holders.get(holder);
    if (h === undefined) {
      h = new Holder(holder);
      this.holders.set(holder, h);
    } else if (h.count >= this.maxEntriesPerClient) {
      this.evictOldestOf(h);
      if (h.count === 0) this.holders.set(holder, h); // (remove() let go of it)
    }
    const entry = new DedupeEntry(now + this.ttlMs, key, h);
    this.latest = entry;
    this.entries.set(key, entry);
    this.order.push(entry);
    h.queue.push(entry);
    h.count++;
    return undefined;
  }

  /** The entry the last {@link seen} call recorded. */
  latest: DedupeEntry = new DedupeEntry(0, "", undefined);

  /** Records the first answer and passes it to the retries waiting for it. */
  record(entry: DedupeEntry, answer: AckEnvelope<unknown>): void {
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

  /**
   * Frees at least 5 % of `maxEntries` (at least one key), taking from the holders with the most keys: finds the
   * level L such that cutting every holder down to L keys frees enough, then does so, oldest keys first. A holder
   * with L keys or fewer loses none, so nobody loses a key while someone holds more.
   */
  private shrink(): void {
    const need = Math.max(1, Math.ceil(this.maxEntries * 0.05), this.entries.size - this.maxEntries + 1);
    const excess = (level: number) => {
      let n = 0;
      for (const h of this.holders.values()) if (h.count > level) n += h.count - level;
      return n;
    };
    // The highest level that frees enough (binary search: excess() falls as the level rises).
    let lo = 0;
    let hi = this.maxEntriesPerClient;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (excess(mid) >= need) lo = mid;
      else hi = mid - 1;
    }
    for (const h of [...this.holders.values()]) while (h.count > lo) this.evictOldestOf(h);
  }

  private evictOldestOf(h: Holder): void {
    while (h.head < h.queue.length) {
      const entry = h.queue[h.head++]!;
      if (entry.live) {
        this.remove(entry);
        break;
      }
    }
    if (h.head >= 1024 && h.head * 2 >= h.queue.length) {
      h.queue = h.queue.slice(h.head);
      h.head = 0;
    }
  }

  private remove(entry: DedupeEntry): void {
    entry.live = false;
    this.entries.delete(entry.key);
    const h = entry.holder!;
    if (--h.count === 0) this.holders.delete(h.name);
  }
}

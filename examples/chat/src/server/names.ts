/**
 * User names: what counts as the same name, and claiming one atomically.
 *
 * The same name: names are compared by a key made of the Unicode NFKC form, case-folded, then mapped through
 * Unicode's confusables table (the `unhomoglyph` package, nodeca's data from Unicode's confusables.txt): "Alice",
 * "ALICE", "Ａｌｉｃｅ" (full-width) and "Аlice" (a Cyrillic А) all have the key "alice". A name whose letters
 * mix scripts (Latin with Cyrillic, Greek...) is refused outright; Japanese (Han, Hiragana, Katakana) and Korean
 * (Han, Hangul) count as one script each.
 *
 * Claiming: a claim is made in one step that cannot interleave with another (a Map in one process, `SET NX` /
 * a compare-and-set script on Redis), so two simultaneous handshakes for one name admit one. A claim whose holder
 * is gone (its connection never completed, or its node died without releasing) is taken over, but only after
 * {@link CLAIM_GRACE_MS}: a holder still in the middle of its own handshake is not yet in any room.
 */
import unhomoglyph from "unhomoglyph";

/** How long a fresh claim counts as held even when its connection is not (yet) visible. */
const CLAIM_GRACE_MS = 1000;

export type NameCheck =
  | { readonly ok: true; readonly display: string; readonly key: string }
  | { readonly ok: false; readonly reason: string };

const SCRIPTS: ReadonlyArray<[string, RegExp]> = [
  ["Latin", /\p{Script=Latin}/u],
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Greek", /\p{Script=Greek}/u],
  ["Armenian", /\p{Script=Armenian}/u],
  ["Georgian", /\p{Script=Georgian}/u],
  ["Cherokee", /\p{Script=Cherokee}/u],
  ["Hebrew", /\p{Script=Hebrew}/u],
  ["Arabic", /\p{Script=Arabic}/u],
  ["Devanagari", /\p{Script=Devanagari}/u],
  ["Thai", /\p{Script=Thai}/u],
  ["CJK", /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u],
];

/** The scripts of the letters of `name` (letters of scripts not listed above count as "Other"). */
function scriptsOf(name: string): Set<string> {
  const found = new Set<string>();
  for (const ch of name) {
    if (!/\p{L}/u.test(ch)) continue;
    found.add(SCRIPTS.find(([, re]) => re.test(ch))?.[0] ?? "Other");
  }
  return found;
}

/** Case folding as far as JavaScript has it: upper then lower ("ß" → "ss", "ǅ" → "ǆ"). */
function fold(text: string): string {
  return text.toUpperCase().toLowerCase();
}

/** The name as shown (NFKC, trimmed) and the key names are compared by; or why it is refused. */
export function checkName(raw: string): NameCheck {
  const display = raw.normalize("NFKC").trim();
  if (display.length === 0) return { ok: false, reason: "the name is empty" };
  const scripts = scriptsOf(display);
  if (scripts.size > 1) return { ok: false, reason: `the name mixes scripts (${[...scripts].sort().join(", ")})` };
  // Unicode's skeleton (UTS #39) of the case-folded name: not folded again after, since prototypes may be capitals.
  const key = unhomoglyph(fold(display)).normalize("NFKC");
  return { ok: true, display, key };
}

/** Where names are claimed: one process (in memory) or every node of a cluster (Redis). */
export interface NameClaims {
  /**
   * Claims `key` for `sid`; true when it is now `sid`'s (also when it already was). `isLive(holder)` tells
   * whether another holder's connection still exists anywhere.
   */
  claim(key: string, sid: string, isLive: (sid: string) => Promise<boolean>): Promise<boolean>;
  /** Frees `key` if `sid` still holds it. */
  release(key: string, sid: string): Promise<void>;
  close?(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The holder of a claim and when it was made, as stored: `<sid> <epoch ms>`. */
function parseClaim(value: string): { sid: string; at: number } {
  const space = value.lastIndexOf(" ");
  return { sid: value.slice(0, space), at: Number(value.slice(space + 1)) };
}

/**
 * The claim protocol over a store with an atomic insert-if-absent and compare-and-set: insert; on conflict,
 * a live holder keeps the name; a holder not seen live keeps it until the grace is over, then it is replaced
 * (compare-and-set, so that of two takers only one wins).
 */
async function claimWith(
  store: {
    insert(key: string, value: string): Promise<boolean>;
    get(key: string): Promise<string | undefined>;
    replace(key: string, old: string, value: string): Promise<boolean>;
  },
  key: string,
  sid: string,
  isLive: (sid: string) => Promise<boolean>,
): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const value = `${sid} ${Date.now()}`;
    if (await store.insert(key, value)) return true;
    const current = await store.get(key);
    if (current === undefined) continue; // released meanwhile: try again
    const holder = parseClaim(current);
    if (holder.sid === sid) return true; // a recovered connection claiming its own name again
    if (await isLive(holder.sid)) return false;
    const age = Date.now() - holder.at;
    if (age < CLAIM_GRACE_MS) {
      await sleep(CLAIM_GRACE_MS - age);
      if (await isLive(holder.sid)) return false;
    }
    if (await store.replace(key, current, value)) return true;
  }
  return false;
}

/** Claims in this process: enough for one node. */
export class MemoryNameClaims implements NameClaims {
  private readonly claims = new Map<string, string>();

  claim(key: string, sid: string, isLive: (sid: string) => Promise<boolean>): Promise<boolean> {
    const claims = this.claims;
    return claimWith(
      {
        insert: async (k, v) => {
          if (claims.has(k)) return false;
          claims.set(k, v);
          return true;
        },
        get: async (k) => claims.get(k),
        replace: async (k, old, v) => {
          if (claims.get(k) !== old) return false;
          claims.set(k, v);
          return true;
        },
      },
      key,
      sid,
      isLive,
    );
  }

  async release(key: string, sid: string): Promise<void> {
    const current = this.claims.get(key);
    if (current !== undefined && parseClaim(current).sid === sid) this.claims.delete(key);
  }
}

/** The part of a node-redis client the Redis claims use. */
export interface RedisCommands {
  sendCommand(args: string[]): Promise<unknown>;
}

const REPLACE_SCRIPT =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 else return 0 end";
const RELEASE_SCRIPT =
  "local v = redis.call('GET', KEYS[1]) if v and string.sub(v, 1, string.len(ARGV[1]) + 1) == ARGV[1] " +
  ".. ' ' then return redis.call('DEL', KEYS[1]) else return 0 end";

/** Claims shared by every node on one Redis: `SET key value NX`, and Lua scripts for compare-and-set/delete. */
export class RedisNameClaims implements NameClaims {
  constructor(
    private readonly redis: RedisCommands,
    private readonly prefix = "chat:name:",
  ) {}

  claim(key: string, sid: string, isLive: (sid: string) => Promise<boolean>): Promise<boolean> {
    const redis = this.redis;
    const k = (name: string) => this.prefix + name;
    return claimWith(
      {
        insert: async (name, v) => (await redis.sendCommand(["SET", k(name), v, "NX"])) === "OK",
        get: async (name) => ((await redis.sendCommand(["GET", k(name)])) as string | null) ?? undefined,
        replace: async (name, old, v) =>
          Number(await redis.sendCommand(["EVAL", REPLACE_SCRIPT, "1", k(name), old, v])) === 1,
      },
      key,
      sid,
      isLive,
    );
  }

  async release(key: string, sid: string): Promise<void> {
    await this.redis.sendCommand(["EVAL", RELEASE_SCRIPT, "1", this.prefix + key, sid]);
  }
}

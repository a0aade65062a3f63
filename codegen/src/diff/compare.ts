/**
 * Two contract snapshots → every change, each with a verdict for each pairing of deployed versions it affects:
 *
 * - `oldClientsNewServer`: clients built from the old contract talk to a server built from the new one;
 * - `newClientsOldServer`: a client deployed before its server (the new client meets the old server);
 * - `serversSideBySide`: a rolling deploy, old and new servers exchanging inter-server events.
 *
 * Who sends decides which way inclusion is checked (inclusion.ts): client→server payloads, their handshake auth
 * and server→client acks are sent by clients; server→client payloads, client→server acks and error details by
 * servers; inter-server payloads by servers to servers.
 */
import { DEFAULT_ACK_TIMEOUT_MS as DEFAULT_TIMEOUT_MS } from "@iocontract/runtime/contract";
import type { JsonSchema } from "../json-schema.js";
import {
  type ContractSnapshot,
  DIRECTIONS,
  type Direction,
  type EventSnapshot,
  type NamespaceSnapshot,
  type Sides,
} from "../snapshot.js";
import { type Inclusion, includes } from "./inclusion.js";

export type Pairing = "oldClientsNewServer" | "newClientsOldServer" | "serversSideBySide";
export const PAIRINGS: readonly Pairing[] = ["oldClientsNewServer", "newClientsOldServer", "serversSideBySide"];
export const PAIRING_LABELS: Readonly<Record<Pairing, string>> = {
  oldClientsNewServer: "old clients, new server",
  newClientsOldServer: "new clients, old server",
  serversSideBySide: "old and new servers side by side",
};

export type VerdictKind = "safe" | "breaking" | "unknown";
export interface Verdict {
  readonly verdict: VerdictKind;
  /** Why (for breaking and unknown), naming the field path. */
  readonly reason?: string;
}

export interface Change {
  readonly namespace: string;
  readonly direction?: Direction;
  readonly event?: string;
  /** payload, ack, auth, errors.CODE, timeoutMs, rateLimit, event, namespace, version */
  readonly part: string;
  /** What changed, one line. */
  readonly summary: string;
  readonly verdicts: Partial<Record<Pairing, Verdict>>;
  /** Set for an added event, namespace or error code: needs a minor version bump at least. */
  readonly addition?: boolean;
}

export interface DiffResult {
  readonly from: { readonly contract: string; readonly version: string };
  readonly to: { readonly contract: string; readonly version: string };
  readonly changes: readonly Change[];
}

const SAFE: Verdict = { verdict: "safe" };

/** The sender side of an absent auth: socket.io sends `{}`. */
const NO_AUTH_SENT: JsonSchema = { type: "object", additionalProperties: false };

type Who = "client" | "server" | "servers";
/** Who sends each schema position. */
function senderOf(direction: Direction | undefined, part: "payload" | "ack" | "auth" | "error"): Who {
  if (part === "auth") return "client";
  if (part === "error") return "server";
  if (direction === "serverToServer") return "servers";
  const clientSends = (direction === "clientToServer") === (part === "payload");
  return clientSends ? "client" : "server";
}

function verdictOf(r: Inclusion, prefix: string): Verdict {
  if (r.verdict === "safe") return SAFE;
  const at = r.path === "" ? "" : ` at \`${r.path}\``;
  return { verdict: r.verdict, reason: `${prefix}${at}: ${r.reason}` };
}

/**
 * One schema position, old vs new. `undefined` sides: absent (no payload, no ack, no auth). A receiver without a
 * schema ignores what it gets; a sender without one sends nothing (auth: `{}`).
 */
function schemaVerdicts(
  who: Who,
  part: string,
  oldSides: Sides | undefined,
  newSides: Sides | undefined,
  label: string,
): Partial<Record<Pairing, Verdict>> {
  const check = (sender: Sides | undefined, receiver: Sides | undefined, prefix: string): Verdict => {
    if (receiver === undefined) return SAFE;
    if (sender === undefined) {
      if (part === "auth") return verdictOf(includes(NO_AUTH_SENT, receiver.input), prefix);
      return { verdict: "breaking", reason: `${prefix}: senders send no ${part}; the receiver requires one` };
    }
    return verdictOf(includes(sender.input, receiver.input), prefix);
  };
  if (who === "servers") {
    const a = check(oldSides, newSides, `old servers send ${label} to new ones`);
    const b = check(newSides, oldSides, `new servers send ${label} to old ones`);
    return {
      serversSideBySide: a.verdict === "breaking" ? a : b.verdict === "breaking" ? b : a.verdict === "unknown" ? a : b,
    };
  }
  if (who === "client") {
    return {
      oldClientsNewServer: check(oldSides, newSides, `old clients send ${label}`),
      newClientsOldServer: check(newSides, oldSides, `new clients send ${label}; the old server checks it`),
    };
  }
  return {
    oldClientsNewServer: check(newSides, oldSides, `the new server sends ${label}; old clients check it`),
    newClientsOldServer: check(oldSides, newSides, `the old server sends ${label}; new clients check it`),
  };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function diffSnapshots(from: ContractSnapshot, to: ContractSnapshot): DiffResult {
  const changes: Change[] = [];
  if (from.contract !== to.contract) {
    changes.push({
      namespace: "",
      part: "contract",
      summary: `contract renamed ${JSON.stringify(from.contract)} → ${JSON.stringify(to.contract)}`,
      verdicts: {
        oldClientsNewServer: {
          verdict: "breaking",
          reason: "the server refuses clients of another contract (CONTRACT_MISMATCH)",
        },
        newClientsOldServer: {
          verdict: "breaking",
          reason: "the server refuses clients of another contract (CONTRACT_MISMATCH)",
        },
      },
    });
  }
  for (const [path, ns] of Object.entries(to.namespaces)) {
    const old = from.namespaces[path];
    if (old === undefined) {
      changes.push({
        namespace: path,
        part: "namespace",
        summary: `namespace ${path} added`,
        addition: true,
        verdicts: {
          oldClientsNewServer: SAFE,
          newClientsOldServer: {
            verdict: "breaking",
            reason: `the old server has no namespace ${path}: new clients cannot connect to it`,
          },
        },
      });
      continue;
    }
    changes.push(...namespaceChanges(path, old, ns));
  }
  for (const path of Object.keys(from.namespaces)) {
    if (to.namespaces[path] !== undefined) continue;
    changes.push({
      namespace: path,
      part: "namespace",
      summary: `namespace ${path} removed`,
      verdicts: {
        oldClientsNewServer: {
          verdict: "breaking",
          reason: `the new server has no namespace ${path}: old clients cannot connect to it`,
        },
        newClientsOldServer: SAFE,
      },
    });
  }
  return {
    from: { contract: from.contract, version: from.version },
    to: { contract: to.contract, version: to.version },
    changes,
  };
}

function namespaceChanges(ns: string, from: NamespaceSnapshot, to: NamespaceSnapshot): Change[] {
  const out: Change[] = [];
  if (!same(from.auth, to.auth)) {
    const verdicts = schemaVerdicts("client", "auth", from.auth, to.auth, "the handshake auth");
    out.push({
      namespace: ns,
      part: "auth",
      summary:
        from.auth === undefined
          ? "handshake auth added"
          : to.auth === undefined
            ? "handshake auth removed"
            : "handshake auth changed",
      verdicts,
    });
  }
  for (const code of new Set([...Object.keys(from.errors), ...Object.keys(to.errors)])) {
    const a = from.errors[code];
    const b = to.errors[code];
    if (a === undefined) {
      out.push({
        namespace: ns,
        part: `errors.${code}`,
        summary: `error code ${code} added`,
        addition: true,
        verdicts: {
          oldClientsNewServer: {
            verdict: "unknown",
            reason: `old clients do not know error code ${code}: they get an error whose code their types do not list`,
          },
          newClientsOldServer: SAFE,
        },
      });
    } else if (b === undefined) {
      out.push({
        namespace: ns,
        part: `errors.${code}`,
        summary: `error code ${code} removed`,
        verdicts: {
          oldClientsNewServer: SAFE,
          newClientsOldServer: {
            verdict: "unknown",
            reason: `the old server may still send error code ${code}, which new clients' types do not list`,
          },
        },
      });
    } else if (!same(a, b)) {
      out.push({
        namespace: ns,
        part: `errors.${code}`,
        summary: `details of error ${code} changed`,
        verdicts: schemaVerdicts("server", "error", a, b, `the details of error ${code}`),
      });
    }
  }
  for (const direction of DIRECTIONS) out.push(...eventChanges(ns, direction, from[direction], to[direction]));
  return out;
}

function eventChanges(
  ns: string,
  direction: Direction,
  from: Readonly<Record<string, EventSnapshot>>,
  to: Readonly<Record<string, EventSnapshot>>,
): Change[] {
  const out: Change[] = [];
  const added = Object.keys(to).filter((w) => from[w] === undefined);
  const removed = Object.keys(from).filter((w) => to[w] === undefined);
  // Renamed on the wire: the same identifier under another wire name. Old and new peers do not understand each other.
  const renamedFrom = new Map<string, string>();
  for (const w of added) {
    const old = removed.find(
      (r) => from[r]!.identifier === to[w]!.identifier && !renamedFrom.has(r) && ![...renamedFrom.values()].includes(r),
    );
    if (old !== undefined) renamedFrom.set(w, old);
  }
  const renamedOld = new Set(renamedFrom.values());
  for (const w of added) {
    const ev = to[w]!;
    const old = renamedFrom.get(w);
    const base = { namespace: ns, direction, event: w, part: "event" };
    const removal = old === undefined ? undefined : eventRemoved(ns, direction, old, from[old]!);
    const addition = eventAdded(direction, w, ev);
    if (old !== undefined) {
      out.push({
        ...base,
        summary: `renamed on the wire: ${JSON.stringify(old)} → ${JSON.stringify(w)} (identifier ${ev.identifier} unchanged)`,
        addition: true,
        verdicts: combine(removal!.verdicts, addition),
      });
    } else {
      out.push({
        ...base,
        summary: `${direction} event ${JSON.stringify(w)} added`,
        addition: true,
        verdicts: addition,
      });
    }
  }
  for (const w of removed) if (!renamedOld.has(w)) out.push(eventRemoved(ns, direction, w, from[w]!));
  for (const [w, b] of Object.entries(to)) {
    const a = from[w];
    if (a === undefined) continue;
    const base = { namespace: ns, direction, event: w };
    if (a.identifier !== b.identifier) {
      out.push({
        ...base,
        part: "identifier",
        summary: `identifier renamed ${a.identifier} → ${b.identifier} (same wire name: compatible on the wire; code calling ${a.identifier} must change)`,
        verdicts: allSafe(direction),
      });
    }
    for (const part of ["payload", "ack"] as const) {
      if (same(a[part], b[part])) continue;
      const who = senderOf(direction, part);
      const what = part === "payload" ? `the payload of ${JSON.stringify(w)}` : `the ack of ${JSON.stringify(w)}`;
      if (part === "ack" && (a.ack === undefined || b.ack === undefined)) {
        out.push({
          ...base,
          part,
          summary: `ack ${a.ack === undefined ? "added" : "removed"}`,
          verdicts: ackPresence(direction, a.ack !== undefined, b.ack !== undefined),
        });
        continue;
      }
      const summary =
        a[part] === undefined ? `${part} added` : b[part] === undefined ? `${part} removed` : `${part} changed`;
      out.push({ ...base, part, summary, verdicts: schemaVerdicts(who, part, a[part], b[part], what) });
    }
    if (
      (a.timeoutMs ?? DEFAULT_TIMEOUT_MS) !== (b.timeoutMs ?? DEFAULT_TIMEOUT_MS) &&
      (a.ack !== undefined || b.ack !== undefined)
    ) {
      const before = a.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const after = b.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const shorter = after < before;
      const waitsLess: Verdict = {
        verdict: "unknown",
        reason: `the sender now waits ${after} ms for the answer (was ${before} ms): whether the other side answers in time is not in the contract`,
      };
      const verdicts: Partial<Record<Pairing, Verdict>> =
        direction === "clientToServer"
          ? { oldClientsNewServer: SAFE, newClientsOldServer: shorter ? waitsLess : SAFE }
          : { oldClientsNewServer: shorter ? waitsLess : SAFE, newClientsOldServer: SAFE };
      out.push({ ...base, part: "timeoutMs", summary: `ack timeout ${before} ms → ${after} ms`, verdicts });
    }
    if (!same(a.rateLimit, b.rateLimit)) {
      const rate = (r: EventSnapshot["rateLimit"]) =>
        r === undefined
          ? { perSecond: Infinity, burst: Infinity }
          : { perSecond: r.perSecond, burst: r.burst ?? Math.max(1, r.perSecond) };
      const ra = rate(a.rateLimit);
      const rb = rate(b.rateLimit);
      const tighter = rb.perSecond < ra.perSecond || rb.burst < ra.burst;
      const looser = rb.perSecond > ra.perSecond || rb.burst > ra.burst;
      const show = (r: EventSnapshot["rateLimit"]) =>
        r === undefined ? "none" : `${r.perSecond}/s burst ${r.burst ?? Math.max(1, r.perSecond)}`;
      out.push({
        ...base,
        part: "rateLimit",
        summary: `rate limit ${show(a.rateLimit)} → ${show(b.rateLimit)}`,
        verdicts: {
          oldClientsNewServer: tighter
            ? {
                verdict: "unknown",
                reason: "the new server allows fewer events: old clients that send faster get RATE_LIMITED",
              }
            : SAFE,
          newClientsOldServer: looser
            ? {
                verdict: "unknown",
                reason: "the old server allows fewer events than new clients may expect: they may get RATE_LIMITED",
              }
            : SAFE,
        },
      });
    }
  }
  return out;
}

function allSafe(direction: Direction): Partial<Record<Pairing, Verdict>> {
  return direction === "serverToServer"
    ? { serversSideBySide: SAFE }
    : { oldClientsNewServer: SAFE, newClientsOldServer: SAFE };
}

/** An event the new contract has and the old one lacks. */
function eventAdded(direction: Direction, wire: string, ev: EventSnapshot): Partial<Record<Pairing, Verdict>> {
  const name = JSON.stringify(wire);
  if (direction === "clientToServer") {
    return {
      oldClientsNewServer: SAFE,
      newClientsOldServer: {
        verdict: "breaking",
        reason: `the old server does not handle ${name}: new clients get UNKNOWN_EVENT${ev.ack === undefined ? " (or silence)" : ""}`,
      },
    };
  }
  if (direction === "serverToClient") {
    return {
      oldClientsNewServer:
        ev.ack === undefined
          ? SAFE
          : {
              verdict: "breaking",
              reason: `old clients do not know ${name}: the new server waits for an answer and gets UNKNOWN_EVENT`,
            },
      newClientsOldServer: SAFE,
    };
  }
  return {
    serversSideBySide: {
      verdict: "breaking",
      reason: `old servers do not handle ${name}: the new servers' messages are lost on them`,
    },
  };
}

function eventRemoved(ns: string, direction: Direction, wire: string, ev: EventSnapshot): Change {
  const name = JSON.stringify(wire);
  let verdicts: Partial<Record<Pairing, Verdict>>;
  if (direction === "clientToServer") {
    verdicts = {
      oldClientsNewServer: {
        verdict: "breaking",
        reason: `old clients still send ${name}; the new server does not handle it (UNKNOWN_EVENT)`,
      },
      newClientsOldServer: SAFE,
    };
  } else if (direction === "serverToClient") {
    verdicts = {
      oldClientsNewServer: SAFE,
      newClientsOldServer:
        ev.ack === undefined
          ? SAFE
          : {
              verdict: "breaking",
              reason: `the old server still sends ${name} and waits for an answer; new clients answer UNKNOWN_EVENT`,
            },
    };
  } else {
    verdicts = {
      serversSideBySide: {
        verdict: "breaking",
        reason: `old servers still send ${name}; new servers do not handle it`,
      },
    };
  }
  return {
    namespace: ns,
    direction,
    event: wire,
    part: "event",
    summary: `${direction} event ${name} removed`,
    verdicts,
  };
}

/** An ack added to or removed from an existing event. */
function ackPresence(direction: Direction, before: boolean, after: boolean): Partial<Record<Pairing, Verdict>> {
  // The runtime: a receiver whose event has no ack answers `{ ok: true, data: null }` when the sender asks for
  // one; a sender that asks for none gets nothing (the receiver's answer is dropped).
  const asks: Verdict = {
    verdict: "breaking",
    reason:
      "the sender now waits for an answer; the other side answers null (its event has no ack), which the ack schema rejects",
  };
  const asked: Verdict = {
    verdict: "breaking",
    reason: "the old sender waits for an answer; the other side answers null (its event no longer has an ack)",
  };
  if (direction === "clientToServer") {
    return added(before, after)
      ? { oldClientsNewServer: SAFE, newClientsOldServer: asks }
      : { oldClientsNewServer: asked, newClientsOldServer: SAFE };
  }
  if (direction === "serverToClient") {
    return added(before, after)
      ? { oldClientsNewServer: asks, newClientsOldServer: SAFE }
      : { oldClientsNewServer: SAFE, newClientsOldServer: asked };
  }
  return { serversSideBySide: { verdict: "breaking", reason: "inter-server events have no acks" } };
}

function added(before: boolean, after: boolean): boolean {
  return !before && after;
}

function combine(
  a: Partial<Record<Pairing, Verdict>>,
  b: Partial<Record<Pairing, Verdict>>,
): Partial<Record<Pairing, Verdict>> {
  const out: Partial<Record<Pairing, Verdict>> = {};
  for (const p of PAIRINGS) {
    const x = a[p];
    const y = b[p];
    if (x === undefined || y === undefined) {
      if (x ?? y) out[p] = (x ?? y)!;
      continue;
    }
    out[p] = x.verdict === "breaking" ? x : y.verdict === "breaking" ? y : x.verdict === "unknown" ? x : y;
  }
  return out;
}

/** The verdict a change is grouped under: its worst pairing. */
export function overall(change: Change): VerdictKind {
  const vs = Object.values(change.verdicts);
  return vs.some((v) => v?.verdict === "breaking")
    ? "breaking"
    : vs.some((v) => v?.verdict === "unknown")
      ? "unknown"
      : "safe";
}

export interface VersionCheck {
  readonly ok: boolean;
  /** "major", "minor" or "none": the smallest bump the changes need. */
  readonly needed: "major" | "minor" | "none";
  readonly message: string;
}

function semver(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(v);
  return m === null ? undefined : [Number(m[1]), Number(m[2]), Number(m[3])];
}

/**
 * The version policy: a change that breaks old clients with the new server (or old servers beside new ones)
 * needs a major bump (the handshake then refuses old clients with CONTRACT_MISMATCH instead of letting them
 * fail event by event); an added event, namespace or error code needs at least a minor bump.
 */
export function checkVersion(result: DiffResult): VersionCheck {
  const breaksOld = result.changes.filter(
    (c) =>
      c.verdicts.oldClientsNewServer?.verdict === "breaking" || c.verdicts.serversSideBySide?.verdict === "breaking",
  );
  const adds = result.changes.filter((c) => c.addition === true);
  const needed = breaksOld.length > 0 ? "major" : adds.length > 0 ? "minor" : "none";
  const a = semver(result.from.version);
  const b = semver(result.to.version);
  const bump = `${result.from.version} → ${result.to.version}`;
  if (a === undefined || b === undefined)
    return { ok: false, needed, message: `version ${bump}: not semantic versions (MAJOR.MINOR.PATCH)` };
  const major = b[0] > a[0];
  const minor = major || (b[0] === a[0] && b[1] > a[1]);
  if (needed === "major" && !major) {
    return {
      ok: false,
      needed,
      message: `version ${bump}: ${breaksOld.length} change(s) break old clients or old servers; bump the major version (to ${a[0] + 1}.0.0)`,
    };
  }
  if (needed === "minor" && !minor) {
    return {
      ok: false,
      needed,
      message: `version ${bump}: ${adds.length} addition(s); bump the minor version (to ${a[0]}.${a[1] + 1}.0)`,
    };
  }
  return {
    ok: true,
    needed,
    message: `version ${bump}: enough for these changes (they need ${needed === "none" ? "no" : `a ${needed}`} bump)`,
  };
}

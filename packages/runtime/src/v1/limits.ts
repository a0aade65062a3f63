/**
 * Bounds on what one client can make the server hold (docs/security.md):
 *
 * - error answers are small: an event name is echoed at most once, cut at {@link MAX_ECHOED_NAME} characters;
 *   issue paths and messages are cut too ({@link boundIssues});
 * - error answers go straight to the connection ({@link sendDirect}), not through the adapter: socket.io 4.8's
 *   `socket.emit()` with connection-state recovery on calls `adapter.broadcast()`, and the in-memory adapter
 *   (socket.io-adapter's SessionAwareAdapter) stores every EVENT packet without an ack id that is not volatile,
 *   for the recovery window. An answer to one socket's own traffic has no business there;
 * - a budget of refused events per socket ({@link takeRefusal}): past it, a typed notice and a disconnect;
 * - the size of one event with its binary attachments, and the time its attachments may take to arrive
 *   ({@link AttachmentWatch});
 * - a byte bound on the in-memory adapter's recovery buffer ({@link boundRecoveryBuffer}).
 */
import type { Socket } from "socket.io";

/** Longest event name an error answer repeats; longer ones are cut and marked with "…". */
export const MAX_ECHOED_NAME = 64;
/** Longest issue message, and longest string element of an issue path, in an error answer. */
const MAX_ISSUE_TEXT = 200;

/** `name`, or its first {@link MAX_ECHOED_NAME} characters and "…". */
export function truncateName(name: string): string {
  return name.length <= MAX_ECHOED_NAME ? name : `${name.slice(0, MAX_ECHOED_NAME)}…`;
}

function cut(text: string): string {
  return text.length <= MAX_ISSUE_TEXT ? text : `${text.slice(0, MAX_ISSUE_TEXT)}…`;
}

/**
 * Issues as they travel: messages and path keys cut at {@link MAX_ISSUE_TEXT} (an unknown key of a million
 * characters is named by its first 200). The same object when nothing is long (the common case).
 */
export function boundIssues<
  T extends {
    readonly issues: ReadonlyArray<{ readonly path: ReadonlyArray<string | number>; readonly message: string }>;
  },
>(checked: T): T {
  let long = false;
  for (const issue of checked.issues) {
    if (issue.message.length > MAX_ISSUE_TEXT) long = true;
    for (const p of issue.path) if (typeof p === "string" && p.length > MAX_ISSUE_TEXT) long = true;
  }
  if (!long) return checked;
  return {
    ...checked,
    issues: checked.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === "string" ? cut(p) : p)),
      message: cut(issue.message),
    })),
  };
}

/**
 * Sends `[event, payload]` to this socket only, without the adapter: not kept for connection-state recovery
 * (see the file comment). Socket#packet is what socket.emit() itself calls when recovery is off.
 */
export function sendDirect(socket: Socket, event: string, payload: unknown): void {
  (socket as unknown as { packet(packet: { type: number; data: unknown[] }, opts?: object): void }).packet({
    type: 2,
    data: [event, payload],
  });
}

/**
 * How many refused events a socket may send: a token bucket, `burst` at once, refilled at `perSecond`. A refused
 * event costs one token plus one per {@link REFUSAL_BYTES_PER_TOKEN} bytes of its packet: a flood of huge
 * refused events is cut as soon as a flood of small ones would be, by bytes.
 */
export interface RefusalBudget {
  /** Default 100. */
  readonly burst?: number;
  /** Default 10. */
  readonly perSecond?: number;
}

export const REFUSAL_BYTES_PER_TOKEN = 16 * 1024;

const kRefusals = Symbol("iocontract.refusals");
type Counted = { [kRefusals]?: { tokens: number; at: number } };
const kPacketBytes = Symbol("iocontract.packetBytes");
type Sized = { [kPacketBytes]?: number };

/**
 * Notes the size of the latest packet a connection sent (from engine.io's "packet" event, just before
 * socket.io decodes it): the cost of a refusal. Exact on websockets; on polling, a request carrying several
 * packets charges each refusal by the last one.
 */
export function notePacketBytes(conn: object, bytes: number): void {
  (conn as Sized)[kPacketBytes] = bytes;
}

/** What refusing the latest packet of `conn` costs, in tokens. */
export function refusalCost(conn: object): number {
  return 1 + Math.floor(((conn as Sized)[kPacketBytes] ?? 0) / REFUSAL_BYTES_PER_TOKEN);
}

/** Takes `cost` tokens from the socket's budget: false when there were not enough (the caller disconnects). */
export function takeRefusal(
  socket: object,
  budget: Required<RefusalBudget>,
  cost = 1,
  now = performance.now(),
): boolean {
  const s = socket as Counted;
  const state = (s[kRefusals] ??= { tokens: budget.burst, at: now });
  state.tokens = Math.min(budget.burst, state.tokens + ((now - state.at) / 1000) * budget.perSecond);
  state.at = now;
  if (state.tokens < cost) {
    state.tokens = 0;
    return false;
  }
  state.tokens -= cost;
  return true;
}

/**
 * After a connection was told why it is being closed: stop reading from it at once (a flooding client has
 * megabytes in flight that the server would otherwise read and parse only to drop), and cut it `graceMs` later
 * whether or not it completed the closing handshake. For websockets (the `ws` socket under engine.io's transport);
 * polling connections close with their request.
 */
export function stopReading(conn: object, graceMs = 1000): void {
  const ws = (conn as { transport?: { socket?: { pause?: () => void; terminate?: () => void } } }).transport?.socket;
  if (typeof ws?.pause !== "function" || typeof ws.terminate !== "function") return;
  ws.pause();
  const timer = setTimeout(() => ws.terminate?.(), graceMs);
  timer.unref?.();
}

/** One engine.io packet as the `packet` event shows it. */
interface EnginePacket {
  type: string;
  data?: unknown;
}

/**
 * Per connection: the binary attachments an event announced (`51-[...]`, `61-[...]`) and have not all arrived.
 * The event's total size (its JSON packet plus every attachment) counts against `maxBytes`; attachments must
 * all arrive within `timeoutMs`. Only one event is ever being reassembled per connection (socket.io-parser's
 * decoder holds one), so `maxBytes` is also the most one connection can park.
 */
export class AttachmentWatch {
  private expected = 0;
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private name = "";

  constructor(
    private readonly maxBytes: number,
    private readonly timeoutMs: number,
    /** Called once, when the event is over the size or the time: the caller notifies and closes. */
    private readonly onViolation: (kind: "size" | "timeout", event: string, bytes: number) => void,
  ) {}

  /**
   * Looks at one incoming message packet of `size` bytes; true when it may go on to socket.io, false when it
   * must be dropped (then {@link onViolation} has been called).
   */
  admit(packet: EnginePacket, size: number, eventName: (text: string) => string): boolean {
    const data = packet.data;
    if (typeof data === "string") {
      // A new JSON packet while attachments are pending is a protocol error socket.io handles (it closes).
      this.clear();
      const head = data.charCodeAt(0);
      if (head !== 0x35 && head !== 0x36) return true; // not BINARY_EVENT ("5") / BINARY_ACK ("6")
      const match = /^[56](\d{1,6})-/.exec(data.slice(0, 16));
      if (match === null) return true; // socket.io-parser refuses it
      this.expected = Number(match[1]);
      this.bytes = size;
      this.name = eventName(data);
      if (this.expected > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          const name = this.name;
          const bytes = this.bytes;
          this.clear();
          this.onViolation("timeout", name, bytes);
        }, this.timeoutMs);
        this.timer.unref?.();
      }
      return true;
    }
    if (this.expected === 0) return true;
    this.bytes += size;
    if (this.bytes > this.maxBytes) {
      const name = this.name;
      const bytes = this.bytes;
      this.clear();
      this.onViolation("size", name, bytes);
      return false;
    }
    if (--this.expected === 0) this.clear();
    return true;
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.expected = 0;
    this.bytes = 0;
    this.name = "";
  }
}

/**
 * What one stored packet costs besides its encoded length (its entry, offset id, options and room sets):
 * counted so that many small packets are bounded too.
 */
export const RECOVERY_PACKET_OVERHEAD = 256;

interface StoredPacket {
  bytes?: number;
}
interface SessionAwareLike {
  packets: StoredPacket[];
  sessions: Map<unknown, unknown>;
  broadcast(packet: unknown, opts: unknown): void;
  _encode(packet: unknown, opts: unknown): unknown;
}

/**
 * Bounds socket.io's in-memory recovery buffer (socket.io-adapter's SessionAwareAdapter: `adapter.packets`, every
 * packet kept for the recovery window) at `maxBytes`, counted as each packet's encoded length plus
 * {@link RECOVERY_PACKET_OVERHEAD}; past it the oldest packets are dropped first (down to 90 %, so that drops
 * come in batches). A client whose missed packets were dropped gets a new session instead of a recovered one,
 * as after the window. Other adapters are left alone: returns false.
 */
export function boundRecoveryBuffer(adapter: unknown, maxBytes: number): boolean {
  const a = adapter as SessionAwareLike;
  if (!Array.isArray(a.packets) || !(a.sessions instanceof Map) || typeof a._encode !== "function") return false;
  const broadcast = a.broadcast;
  const encode = a._encode;
  let encodedBytes = 0;
  let total = 0;
  let count = a.packets.length;
  a._encode = function (this: SessionAwareLike, packet: unknown, opts: unknown) {
    const out = encode.call(this, packet, opts);
    encodedBytes = 0;
    for (const part of Array.isArray(out) ? out : [out])
      encodedBytes += typeof part === "string" ? part.length : ((part as { byteLength?: number }).byteLength ?? 0);
    return out;
  };
  a.broadcast = function (this: SessionAwareLike, packet: unknown, opts: unknown) {
    const packets = this.packets;
    if (packets.length !== count) {
      // socket.io's own timer dropped expired packets from the front since the last call: count again.
      total = 0;
      for (const p of packets) total += p.bytes ?? 0;
    }
    const before = packets.length;
    broadcast.call(this, packet, opts);
    if (packets.length > before) {
      const stored = packets[packets.length - 1]!;
      stored.bytes = encodedBytes + RECOVERY_PACKET_OVERHEAD;
      total += stored.bytes;
      if (total > maxBytes) {
        const low = maxBytes * 0.9;
        let drop = 0;
        while (total > low && drop < packets.length) total -= packets[drop++]!.bytes ?? 0;
        packets.splice(0, drop);
      }
    }
    count = packets.length;
  };
  return true;
}

/** The stored bytes and packets of a bounded recovery buffer (tests, docs). */
export function recoveryBufferSize(adapter: unknown): { packets: number; bytes: number } | undefined {
  const a = adapter as SessionAwareLike;
  if (!Array.isArray(a.packets)) return undefined;
  let bytes = 0;
  for (const p of a.packets) bytes += p.bytes ?? 0;
  return { packets: a.packets.length, bytes };
}

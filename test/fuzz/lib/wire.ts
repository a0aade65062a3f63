/**
 * Socket.IO v5 / Engine.IO v4 as bytes, for a fuzzer that must know exactly what the server decodes: packets are
 * built by hand (no client library in between), and the value the server sees is computed from the same text.
 */
import { createHash } from "node:crypto";

/** Engine.IO packet types (text frames start with one of these digits). */
export const EIO = { OPEN: "0", CLOSE: "1", PING: "2", PONG: "3", MESSAGE: "4", UPGRADE: "5", NOOP: "6" } as const;
/** Socket.IO packet types. */
export const SIO = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;

function isBinary(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/**
 * Replaces binaries by Socket.IO placeholders (`{ _placeholder: true, num }`), as socket.io-parser's encoder
 * does. Own `__proto__` keys stay own keys (defineProperty), unlike a plain assignment would.
 */
function deconstruct(value: unknown, buffers: Uint8Array[]): unknown {
  if (isBinary(value)) {
    buffers.push(value);
    return { _placeholder: true, num: buffers.length - 1 };
  }
  if (Array.isArray(value)) return value.map((v) => deconstruct(v, buffers));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, {
        value: deconstruct(v, buffers),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return value;
}

/**
 * The reverse, on the decoded JSON, exactly as socket.io-parser's reconstructPacket does it on the server (only
 * for binary packets): a placeholder with an index in range becomes that attachment (an index like 1.5 passes
 * its check and becomes undefined); any other placeholder is "illegal attachments" and closes the connection.
 */
function reconstruct(value: unknown, buffers: readonly Uint8Array[]): unknown {
  if (!value) return value;
  const v = value as { _placeholder?: unknown; num?: unknown };
  if (v._placeholder === true) {
    if (typeof v.num === "number" && v.num >= 0 && v.num < buffers.length) {
      const buf = buffers[v.num];
      return buf === undefined ? undefined : Buffer.from(buf);
    }
    throw new IllegalAttachments();
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) value[i] = reconstruct(item, buffers);
  } else if (typeof value === "object")
    for (const k of Object.keys(value))
      (value as Record<string, unknown>)[k] = reconstruct((value as Record<string, unknown>)[k], buffers);
  return value;
}

class IllegalAttachments extends Error {}

export interface EncodedEvent {
  /** Engine.IO frames to send in order: text (with the leading "4") or binary attachments. */
  readonly frames: Array<string | Uint8Array>;
  /** The event's arguments as the server decodes them (no ack callback); undefined when it cannot (the connection closes). */
  readonly wireArgs: unknown[] | undefined;
  /** Size of the text frame, in UTF-16 code units, plus the binary attachments. */
  readonly size: number;
}

/** `42/nsp,17["event",...args]`, or a binary event with its attachments. */
export function encodeEvent(
  nsp: string,
  event: unknown,
  args: readonly unknown[],
  ackId: number | undefined,
): EncodedEvent {
  const buffers: Uint8Array[] = [];
  const data = deconstruct([event, ...args], buffers);
  const json = JSON.stringify(data);
  const nspPart = nsp === "/" ? "" : `${nsp},`;
  const id = ackId === undefined ? "" : String(ackId);
  const head = buffers.length > 0 ? `${SIO.BINARY_EVENT}${buffers.length}-` : `${SIO.EVENT}`;
  const text = `${EIO.MESSAGE}${head}${nspPart}${id}${json}`;
  const size = text.length + buffers.reduce((n, b) => n + b.byteLength, 0);
  let decoded: unknown[] | undefined = JSON.parse(json) as unknown[];
  if (buffers.length > 0) {
    try {
      decoded = reconstruct(decoded, buffers) as unknown[];
    } catch (error) {
      if (!(error instanceof IllegalAttachments)) throw error;
      decoded = undefined;
    }
  }
  return { frames: [text, ...buffers], wireArgs: decoded?.slice(1), size };
}

/** A decoded incoming Socket.IO packet (the server never sends us binary in these tests; attachments are counted). */
export interface IncomingPacket {
  readonly type: number;
  readonly nsp: string;
  readonly id: number | undefined;
  readonly data: unknown;
  readonly attachments: number;
}

/** Parses the Socket.IO part of an Engine.IO message (after the leading "4"). Throws on what it cannot read. */
export function decodePacket(str: string): IncomingPacket {
  let i = 0;
  const type = Number(str.charAt(0));
  let attachments = 0;
  if (type === SIO.BINARY_EVENT || type === SIO.BINARY_ACK) {
    const dash = str.indexOf("-");
    attachments = Number(str.slice(1, dash));
    i = dash;
  }
  let nsp = "/";
  if (str.charAt(i + 1) === "/") {
    const comma = str.indexOf(",", i + 1);
    const end = comma === -1 ? str.length : comma;
    nsp = str.slice(i + 1, end);
    i = end;
  }
  // An id is digits; socket.io writes a huge one as `1e+30`, so exponents are read too.
  let idText = "";
  while (i + 1 < str.length && /[\d.e+]/.test(str.charAt(i + 1)) && !(str.charAt(i + 1) === "e" && idText === ""))
    idText += str.charAt(++i);
  const rest = str.slice(i + 1);
  return {
    type,
    nsp,
    id: idText === "" ? undefined : Number(idText),
    data: rest === "" ? undefined : JSON.parse(rest),
    attachments,
  };
}

/**
 * A stable text form of a value a handler received, shared by both sides: binaries as hex, `undefined` marked.
 * Key order is kept (both sides parse the same JSON, so it is the same).
 */
export function canonical(value: unknown): string {
  return (
    JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
      const raw = (this as Record<string, unknown>)[key];
      if (isBinary(raw)) return { $binary: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("hex") };
      if (v === undefined) return { $undefined: true };
      return v;
    }) ?? "undefined"
  );
}

export function digest(value: unknown): string {
  return createHash("sha1").update(canonical(value)).digest("hex");
}

/**
 * Wire conventions shared by both halves (docs/protocol.md is the human version of this file):
 * the acknowledgement envelope, the fixed error codes, the reserved error event, the typed error class.
 */
import type * as core from "zod/v4/core";

/** Event names starting with this are the runtime's; contracts cannot declare them. */
export const RESERVED_EVENT_PREFIX = "iocontract:";

/** The reserved event a server sends when a fire-and-forget event (one sent without an ack) was rejected. */
export const ERROR_EVENT = `${RESERVED_EVENT_PREFIX}error`;

/**
 * The optional argument that carries an idempotency key, sent after the payload and before the ack callback:
 * `emit("my message", payload, { "iocontract:key": "k" }, ack)`. The server runs the handler once per key and
 * answers every retry with the first answer (see docs/reliability.md).
 */
export const IDEMPOTENCY_KEY = `${RESERVED_EVENT_PREFIX}key`;
/** Longest idempotency key the server accepts. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;

/** The idempotency key of an argument shaped `{ "iocontract:key": string }` (and nothing else), or undefined. */
export function idempotencyKeyOf(arg: unknown): string | undefined {
  if (typeof arg !== "object" || arg === null || Array.isArray(arg)) return undefined;
  const key = (arg as Record<string, unknown>)[IDEMPOTENCY_KEY];
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) return undefined;
  for (const k in arg) if (k !== IDEMPOTENCY_KEY) return undefined;
  return key;
}

/** Handshake query key a generated client fills with `<contract>@<version>`. */
export const CONTRACT_QUERY_KEY = "iocontract";

/** Error codes that travel on the wire. Contracts add their own (UPPER_SNAKE_CASE) next to these. */
export const WireErrorCode = {
  /** The payload (or the handshake auth) does not match the contract; details: `{ issues }`. */
  REQUEST_INVALID: "REQUEST_INVALID",
  /** The answer (an ack) does not match the contract; details: `{ issues }`. */
  RESPONSE_INVALID: "RESPONSE_INVALID",
  /** A handler threw something that is not a contract error. Nothing internal is revealed. */
  HANDLER_FAILED: "HANDLER_FAILED",
  /** The event name is not in the contract (for this namespace and direction). */
  UNKNOWN_EVENT: "UNKNOWN_EVENT",
  /** No answer in time. */
  TIMEOUT: "TIMEOUT",
  /** Too many events of this kind on this connection (the contract's `rateLimit`); details: `{ retryAfterMs }`. */
  RATE_LIMITED: "RATE_LIMITED",
  /** A packet bigger than the server's `maxPayloadBytes`; details: `{ limitBytes, sizeBytes }`. The server then disconnects. */
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  /**
   * The socket sent too many refused events (unknown, invalid, over a rate limit: ServerOptions.invalidEventBudget);
   * details: `{ burst, perSecond }`. The server then disconnects.
   */
  TOO_MANY_INVALID_EVENTS: "TOO_MANY_INVALID_EVENTS",
  /**
   * The binary attachments an event announced did not all arrive in time (ServerOptions.attachmentTimeoutMs);
   * details: `{ timeoutMs }`. The server then disconnects.
   */
  ATTACHMENTS_INCOMPLETE: "ATTACHMENTS_INCOMPLETE",
  /** The server is shutting down: the event was not handled. Reconnect (to another node) and send it again. */
  SHUTTING_DOWN: "SHUTTING_DOWN",
  /** The connection was refused, or the handshake auth is invalid. */
  UNAUTHORIZED: "UNAUTHORIZED",
  /** The peer speaks another contract, or another major version of it. */
  CONTRACT_MISMATCH: "CONTRACT_MISMATCH",
} as const;
export type WireErrorCode = (typeof WireErrorCode)[keyof typeof WireErrorCode];

/** Codes that never travel: a client or server reports them about its own side of the connection. */
export const LocalErrorCode = {
  /** The connection closed before the answer arrived, or the target socket is gone. */
  DISCONNECTED: "DISCONNECTED",
  /** The connection could not be made (network, server down); the server said nothing. */
  CONNECTION_FAILED: "CONNECTION_FAILED",
} as const;
export type LocalErrorCode = (typeof LocalErrorCode)[keyof typeof LocalErrorCode];

export type BuiltinErrorCode = WireErrorCode | LocalErrorCode;
/** (Made by a pure call, so that a client bundle that does not use it drops it.) */
export const BUILTIN_ERROR_CODES: ReadonlySet<string> = /* @__PURE__ */ builtinCodes();
function builtinCodes(): ReadonlySet<string> {
  return new Set([...Object.values(WireErrorCode), ...Object.values(LocalErrorCode)]);
}

export interface Issue {
  /** Where in the payload: `["items", 0, "name"]`; empty for the payload itself. */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export interface WireError<Code extends string = string, Details = unknown> {
  readonly code: Code;
  readonly message: string;
  readonly details?: Details;
}

/** Every acknowledgement is one of these. */
export type AckEnvelope<Data, Code extends string = string> =
  | { readonly ok: true; readonly data: Data }
  | { readonly ok: false; readonly error: WireError<Code> };

/** Payload of {@link ERROR_EVENT}. */
export interface ErrorEventPayload {
  readonly event: string;
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

/**
 * The one error type both SDKs throw and reject with. `message` starts with the code, so the important part is
 * always visible; `rawMessage` is the message without it (what travels on the wire).
 */
export class IocontractError<Code extends string = string, Details = unknown> extends Error {
  override name = "IocontractError";
  // (Assigned in the constructor, not declared as fields: the same object, less code in the client bundle.)
  declare readonly code: Code;
  declare readonly rawMessage: string;
  declare readonly details: Details | undefined;
  /** The event this error is about, when there is one. */
  declare readonly event: string | undefined;

  constructor(
    code: Code,
    message: string,
    options?: { details?: Details | undefined; event?: string | undefined; cause?: unknown },
  ) {
    // (Error reads `cause` from the options only when they have one.)
    super(`${code}: ${message}`, options);
    this.code = code;
    this.rawMessage = message;
    this.details = options?.details;
    this.event = options?.event;
  }

  /** The wire form: no stack, no cause. */
  toWire(): WireError<Code, Details> {
    return this.details === undefined
      ? { code: this.code, message: this.rawMessage }
      : { code: this.code, message: this.rawMessage, details: this.details };
  }

  static fromWire(error: WireError, event?: string): IocontractError {
    return new IocontractError(error.code, error.message, { details: error.details, event });
  }
}

export function isIocontractError(value: unknown): value is IocontractError {
  return value instanceof IocontractError;
}

/** Turns zod's issues into wire issues: a path and a message each, nothing else (no received values). */
export function toIssues(error: core.$ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: shortPath(issue.path),
    message: issue.message,
  }));
}

/** Longest issue path sent: a 10 000-deep invalid value must not buy a 10 000-element answer. */
export const MAX_ISSUE_PATH = 32;

function shortPath(path: readonly PropertyKey[]): Array<string | number> {
  const out: Array<string | number> = [];
  for (let i = 0; i < path.length && i < MAX_ISSUE_PATH; i++) {
    const p = path[i]!;
    out.push(typeof p === "symbol" ? String(p) : p);
  }
  if (path.length > MAX_ISSUE_PATH) out.push(`...${path.length - MAX_ISSUE_PATH} more`);
  return out;
}

/** `items[0].name`, or `(payload)` for the root. */
export function formatPath(path: ReadonlyArray<string | number>, root = "(payload)"): string {
  if (path.length === 0) return root;
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out.length === 0 ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** `data: Too small: expected string to have >=1 characters; user: Required` (at most 5, then "and N more"). */
export function formatIssues(issues: readonly Issue[], root?: string, total = issues.length): string {
  const shown = issues.slice(0, 5).map((i) => `${formatPath(i.path, root)}: ${i.message}`);
  if (total > 5) shown.push(`and ${total - 5} more`);
  return shown.join("; ");
}

/**
 * True for a value shaped like an {@link AckEnvelope}. `{ ok: true }` without `data` counts: JSON drops
 * `data: undefined`, which is a valid answer when the ack schema accepts undefined.
 */
export function isAckEnvelope(value: unknown): value is AckEnvelope<unknown> {
  const ok = (value as { ok?: unknown } | null | undefined)?.ok;
  return (
    typeof value === "object" && (ok === true || (ok === false && isWireError((value as { error?: unknown }).error)))
  );
}

/** True for a `{ code, message }` object (strings both), as an error travels. */
export function isWireError(value: unknown): value is WireError {
  const v = value as Partial<Record<keyof WireError, unknown>> | null | undefined;
  return typeof v === "object" && v !== null && typeof v.code === "string" && typeof v.message === "string";
}

/** `chat@1.0.0` → `{ name: "chat", major: 1 }`, or undefined for anything else. */
export function parseContractTag(tag: string): { name: string; version: string; major: number } | undefined {
  const at = tag.lastIndexOf("@");
  if (at <= 0) return undefined;
  const version = tag.slice(at + 1);
  const major = /^(\d+)\.\d+\.\d+/.exec(version);
  if (!major) return undefined;
  return { name: tag.slice(0, at), version, major: Number(major[1]) };
}

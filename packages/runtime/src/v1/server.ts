/**
 * The server half of the runtime. Generated code calls {@link createServer} with a {@link RuntimeSpec} and casts
 * the result to its generated interfaces; everything here is untyped at the event level on purpose (the types
 * live in the generated files, the behaviour lives here, once).
 *
 * Per message: one Map lookup, one validator call (zod's compiled parser where allowed), one handler call.
 * Emitters, requesters and contexts are built from per-namespace prototypes made once at start-up; a context is
 * made once per connection.
 */
// A namespace import: declarations that a project without esModuleInterop can read.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Namespace, type ServerOptions as IoServerOptions, type Socket } from "socket.io";
import { attachInterServer } from "./inter-server";
import { DedupeStore, type DedupeEntry, type IdempotencyOptions } from "./dedupe";
import { type EventSpec, type NamespaceSpec, type RuntimeSpec, type Validator, type ValidatorFactory, check, isThenable, issueDetails, resolveNamespace } from "./spec";
import { makeCompiledValidator } from "./compiled";
import { CHECK_THREW, describeThrow, guardKeys, isAsyncError, whereItThrows } from "./guard";
import { keepOnlyHandshakeRequest } from "./memory";
import { type AllowedHostsOption, RefusalLog, accessCheck } from "./host-check";
import { ConnectionCounter, type ConnectionLimits } from "./connections";
import {
  AttachmentWatch,
  DEFAULT_RECOVERY_MAX_BYTES,
  DEFAULT_REFUSAL_BURST,
  DEFAULT_REFUSAL_PER_SECOND,
  type RefusalBudget,
  boundIssues,
  boundRecoveryBuffer,
  notePacketBytes,
  refusalCost,
  sendDirect,
  stopReading,
  takeRefusal,
  truncateName,
} from "./limits";
import {
  type AckEnvelope,
  CONTRACT_QUERY_KEY,
  ERROR_EVENT,
  type ErrorEventPayload,
  IocontractError,
  type Issue,
  LocalErrorCode,
  type WireError,
  WireErrorCode,
  formatIssues,
  idempotencyKeyOf,
  isAckEnvelope,
  parseContractTag,
} from "./wire";

import type {
  AnyServerNamespaceTypes,
  Broadcast as BroadcastApi,
  ContractServer,
  Context as ContextApi,
  Handshake,
  ServerNamespace,
} from "./server-api";

export { IocontractError } from "./wire";
export type * from "./server-api";
export type { IdempotencyOptions } from "./dedupe";
export type { AllowedHostsOption } from "./host-check";
export type { ConnectionLimits } from "./connections";
export type { RefusalBudget } from "./limits";
export type { RuntimeSpec } from "./spec";
export type { AckEnvelope, WireError, Issue } from "./wire";

/** Where an error happened, for {@link ServerOptions.onError}. */
export interface ErrorInfo {
  readonly namespace: string;
  /** The event's wire name, or `connect` / `disconnect`. */
  readonly event: string;
  readonly sid: string | undefined;
}

/** `Handlers`: one handler object per namespace, keyed by path (generated `<Name>ServerHandlers`). */
export interface ServerOptions<Handlers extends object = object> {
  /** One handler object per namespace of the contract, keyed by namespace path (typed by the generated code). */
  readonly handlers: Handlers;
  /** Attach to this HTTP(S) server (plain `http`, Express's, Fastify's...). Without it, call `listen()`. */
  readonly httpServer?: http.Server | import("node:https").Server;
  /**
   * Add the contract's namespaces to this existing socket.io `Server` instead of creating one (incremental
   * adoption): its other namespaces, middleware, adapter and options are left alone. The options that configure
   * a `Server` or its connections (`httpServer`, `socketio`, `adapter`, `cors`, `allowedHosts`, `logRefusals`,
   * `connectionLimits`, `connectionStateRecovery`, `keepHttpRequest`, `maxPayloadBytes`, `attachmentTimeoutMs`)
   * must then be left out: set what socket.io offers on your `Server`; the Host/Origin checks, connection limits
   * and packet watch of iocontract's own Server do not apply to it. `listen()` is not available (listen on
   * your HTTP server); `close()` drains and disconnects only the contract's namespaces. A Server with
   * connection-state recovery must set `connectionStateRecovery.skipMiddlewares: false` (a recovered connection
   * goes through the contract's handshake checks like any other).
   */
  readonly io?: Server;
  /** Passed to socket.io's `Server` as they are (cors, path, transports, connectionStateRecovery...). */
  readonly socketio?: Partial<IoServerOptions>;
  /** Any socket.io adapter (Redis, Redis streams, cluster...). Same as `socketio.adapter`. */
  readonly adapter?: IoServerOptions["adapter"];
  /** Validate what the server sends (payloads, acks, error details) against the contract. Default: true. */
  readonly validateOutgoing?: boolean;
  /**
   * Validate what clients send. Default: true. `false` (or false for a namespace path) lets payloads reach
   * handlers unchecked: only for peers you trust, or to measure what validation costs (bench/).
   */
  readonly validateIncoming?: boolean | ((namespace: string) => boolean);
  /**
   * Keep each connection's whole first HTTP request (`socket.request`), as socket.io does by default. Default:
   * false: only what `ctx.handshake` reads is kept (socket.io's memory tip; see ./memory.ts). Set it when a
   * middleware reads `socket.request` later (express-session, passport).
   */
  readonly keepHttpRequest?: boolean;
  /** Validate the answers clients give to server→client requests. Default: true. */
  readonly validateAnswers?: boolean;
  /** Refuse clients that announce another contract or major version (`?iocontract=name@x.y.z`). Default: true. */
  readonly checkContractVersion?: boolean;
  /**
   * Called for every error the client does not get to see in full: a handler that threw something other than
   * a contract error, an invalid ack or outgoing payload. Default: `console.error`.
   */
  readonly onError?: (error: unknown, info: ErrorInfo) => void;
  /**
   * The largest packet a client may send, in bytes (default 1 000 000, socket.io's own default). A bigger one is
   * answered with `PAYLOAD_TOO_LARGE` on the reserved error event, then the client is disconnected; it never
   * reaches a handler. Packets over twice the limit are cut by the transport itself, without a message.
   */
  readonly maxPayloadBytes?: number;
  /**
   * Server→client events missed during a brief disconnect are delivered after the reconnect (socket.io's
   * connection-state recovery), where the adapter supports it (in-memory, Redis streams). Default: on, for
   * 2 minutes. `false` turns it off. `socketio.connectionStateRecovery`, when given, wins. With socket.io's
   * in-memory adapter the packets kept for it are bounded by `maxBytes` (default 32 MiB, counted as each
   * packet's encoded length plus 256), oldest dropped first; see ./limits.ts. The runtime's own error answers
   * are never kept.
   */
  readonly connectionStateRecovery?: false | { readonly maxDisconnectionDuration?: number; readonly maxBytes?: number };
  /**
   * Idempotency keys (client→server retries run the handler once; see docs/reliability.md). Default: on,
   * answers kept 2 minutes, at most 50 000 keys in all and 10 000 per client (docs/security.md). `false` turns
   * it off (keys are then ignored).
   */
  readonly idempotency?: false | IdempotencyOptions;
  /**
   * Which browser pages may connect, checked on every transport (websocket included) by the `Origin` header.
   * Default `"same-origin"`: pages served from this server's own host, plus clients that send no `Origin`
   * (Node, Python, mobile). `"*"` allows any origin; a list allows those origins (strings compared exactly,
   * or RegExps). Setting `socketio.cors` or `socketio.allowRequest` yourself turns this check off (the `Host`
   * check of {@link allowedHosts} stays). A refusal is logged (see {@link logRefusals}).
   */
  readonly cors?: "same-origin" | "*" | ReadonlyArray<string | RegExp>;
  /**
   * Host names the server answers to, checked on every handshake by the `Host` header (against DNS rebinding).
   * Default `"loopback"`: on a loopback address (127.0.0.1, ::1) only `localhost`, `*.localhost` and IP
   * addresses; on other addresses any host. A list accepts those names (without port; strings or RegExps)
   * besides the loopback ones, and on any address refuses the names it does not list. `"*"`: no check.
   */
  readonly allowedHosts?: AllowedHostsOption;
  /**
   * Where the one-line notes about refused handshakes go (a disallowed Origin or Host: one line per value per
   * minute, naming the option that allows it). Default `console.warn`; `false`: nowhere.
   */
  readonly logRefusals?: false | ((line: string) => void);
  /**
   * How many refused events (unknown, invalid, over a rate limit) one socket may send: `burst` at once, then
   * `perSecond`. Past it the socket gets `TOO_MANY_INVALID_EVENTS` on the reserved error event and is
   * disconnected. Default `{ burst: 100, perSecond: 10 }`; `false` turns it off.
   */
  readonly invalidEventBudget?: false | RefusalBudget;
  /**
   * How long the binary attachments of one event may take to arrive, in ms (default 5 000). Late: the client
   * gets `ATTACHMENTS_INCOMPLETE` on the reserved error event and is disconnected (what had arrived is freed).
   * An event's attachments count towards `maxPayloadBytes` with its packet.
   */
  readonly attachmentTimeoutMs?: number;
  /** Connection limits in total and per address (see ./connections.ts). Default: none. */
  readonly connectionLimits?: ConnectionLimits;
}

/** Options of `server.close()`. */
export interface CloseOptions {
  /** How long in-flight handlers get to finish before connections are closed anyway, in ms. Default 10 000. */
  readonly deadlineMs?: number;
}

export const DEFAULT_MAX_PAYLOAD_BYTES = 1_000_000;

/** Options that configure a socket.io `Server`: refused together with {@link ServerOptions.io}. */
const SERVER_SETTINGS = [
  "httpServer",
  "socketio",
  "adapter",
  "cors",
  "allowedHosts",
  "logRefusals",
  "connectionLimits",
  "connectionStateRecovery",
  "keepHttpRequest",
  "maxPayloadBytes",
  "attachmentTimeoutMs",
] as const;
export const DEFAULT_RECOVERY_MS = 120_000;
export const DEFAULT_CLOSE_DEADLINE_MS = 10_000;

/** Throw it (or return `ctx.error(...)`) from a handler: the client receives the code and typed details. */
export class ContractError<Code extends string = string, Details = unknown> extends IocontractError<Code, Details> {}

const kContext = Symbol("iocontract.context");
type TaggedSocket = Socket & { [kContext]?: Context };

interface EmitTarget {
  emit(event: string, ...args: unknown[]): unknown;
}
interface AckTarget {
  timeout(ms: number): { emit(event: string, ...args: unknown[]): unknown };
}
type Operator = EmitTarget &
  AckTarget & {
    to(room: string | string[]): Operator;
    except(room: string | string[]): Operator;
  };

/** The contract's rate limit of one event: a token bucket per connection, in slot `slot` of its table. */
interface RateLimitSlot {
  readonly perMs: number;
  readonly burst: number;
  readonly slot: number;
}

/** A client→server event as dispatch needs it: its handler bound, its rate limit resolved. */
type InboundEvent = EventSpec & {
  readonly handler: (...args: unknown[]) => unknown;
  readonly rateLimit: RateLimitSlot | undefined;
  /** Idempotency keys are per namespace and event: the store's key is this plus the client's. */
  readonly keyPrefix: string;
};

/** Everything for one namespace, built once. */
class NamespaceRuntime {
  readonly spec: NamespaceSpec;
  readonly nsp: Namespace;
  readonly handlers: Record<string, unknown>;
  readonly inbound = new Map<string, InboundEvent>();
  /** How many events have a rate limit: the size of each connection's bucket table. */
  readonly rateLimitSlots: number;
  /** The server→client `message` event without an ack, which `send()` emits (python-socketio's `send`). */
  readonly messageEvent: EventSpec | undefined;
  /** Methods `emit.<event>(payload)` over an `{ target }`. */
  readonly emitProto: object;
  /** Methods `request.<event>(payload, options)` answering an array of envelopes, over an `{ target }`. */
  readonly broadcastRequestProto: object;
  /** Methods `request.<event>(payload, options)` answering one value, over a `{ target, sid }`. */
  readonly singleRequestProto: object;
  /** Methods `serverSideEmit.<event>(payload)` over an `{ target }` (inter-server events, see inter-server.ts). */
  readonly serverSideProto: object;
  readonly onAny: (this: Socket, event: unknown, ...args: unknown[]) => void;
  readonly onDisconnect: (this: Socket, reason: string) => void;

  constructor(
    readonly server: ServerRuntime,
    spec: NamespaceSpec,
    handlers: object,
  ) {
    this.spec = spec;
    this.nsp = server.io.of(spec.path);
    this.handlers = handlers as Record<string, unknown>;
    let slots = 0;
    for (const ev of spec.clientToServer) {
      const fn = this.handlers[ev.method];
      if (typeof fn !== "function") {
        throw new Error(`iocontract: ${ev.label}: the handler object has no method ${ev.method}()`);
      }
      const checkPayload = server.validatesIncoming(spec.path) || ev.checkPayload === undefined ? ev.checkPayload : acceptAny;
      const limit = ev.def?.rateLimit;
      const rateLimit = limit === undefined ? undefined : { perMs: limit.perSecond / 1000, burst: limit.burst ?? Math.max(1, limit.perSecond), slot: slots++ };
      const keyPrefix = `${spec.path}\u0000${ev.wire}\u0000`;
      this.inbound.set(ev.wire, { ...ev, checkPayload, rateLimit, keyPrefix, handler: fn.bind(handlers) as (...args: unknown[]) => unknown });
    }
    this.rateLimitSlots = slots;
    const emitProto: Record<string, unknown> = {};
    const broadcastRequestProto: Record<string, unknown> = {};
    const singleRequestProto: Record<string, unknown> = {};
    this.messageEvent = spec.serverToClient.find((ev) => ev.wire === "message" && ev.ack === undefined);
    for (const ev of spec.serverToClient) {
      const rt = this;
      if (ev.ack === undefined) {
        emitProto[ev.method] =
          ev.payload === undefined
            ? function (this: { target: EmitTarget }) {
                this.target.emit(ev.wire);
              }
            : function (this: { target: EmitTarget }, payload: unknown) {
                payload = rt.checkOutgoing(ev, payload);
                // JSON cannot carry `undefined`: it travels as no argument.
                if (payload === undefined) this.target.emit(ev.wire);
                else this.target.emit(ev.wire, payload);
              };
      } else {
        // `(payload, options?)`, or `(options?)` for an event without a payload.
        const hasPayload = ev.payload !== undefined;
        broadcastRequestProto[ev.method] = function (this: { target: AckTarget }, first?: unknown, second?: unknown) {
          return rt.requestAll(this.target, ev, hasPayload ? first : undefined, (hasPayload ? second : first) as RequestOptions);
        };
        singleRequestProto[ev.method] = function (this: { target: AckTarget; sid: string | undefined; ctx: Context | undefined }, first?: unknown, second?: unknown) {
          return rt.requestOne(this.target, this.sid, ev, hasPayload ? first : undefined, (hasPayload ? second : first) as RequestOptions, this.ctx);
        };
      }
    }
    this.emitProto = emitProto;
    this.broadcastRequestProto = broadcastRequestProto;
    this.singleRequestProto = singleRequestProto;
    this.serverSideProto = attachInterServer({
      spec,
      nsp: this.nsp,
      handlers: this.handlers,
      checkOutgoing: (ev, payload) => this.checkOutgoing(ev, payload),
      report: (error, info) => server.report(error, info),
    });

    const rt = this;
    this.onAny = function (this: Socket, event: unknown, ...args: unknown[]) {
      try {
        rt.dispatch(this as TaggedSocket, event, args);
      } catch (error) {
        // dispatch() catches what handlers throw; this is the last line so that nothing reaches socket.io.
        rt.server.report(error, { namespace: spec.path, event: String(event), sid: this.id });
      }
    };
    this.onDisconnect = function (this: Socket, reason: string) {
      rt.disconnected(this as TaggedSocket, reason);
    };
    this.nsp.use((socket, next) => {
      this.admit(socket as TaggedSocket).then(
        () => next(),
        (error: unknown) => next(this.refusal(socket, error)),
      );
    });
    this.nsp.on("connection", (socket: Socket) => {
      (socket as TaggedSocket)[kContext]?.flush();
      socket.onAny(this.onAny);
      socket.on("disconnect", this.onDisconnect);
      // A client may emit an event named "error"; without a listener Node's EventEmitter would throw.
      socket.on("error", noop);
    });
  }

  // ---- connection ----

  private async admit(socket: TaggedSocket): Promise<void> {
    const spec = this.spec;
    if (this.server.draining) {
      throw new ContractError(WireErrorCode.SHUTTING_DOWN, `${spec.contractName} ${spec.path}: the server is shutting down; connect to another one`);
    }
    if (this.server.checkContractVersion) {
      const tag = socket.handshake.query[CONTRACT_QUERY_KEY];
      if (tag !== undefined) {
        const parsed = typeof tag === "string" ? parseContractTag(tag) : undefined;
        const ours = parseContractTag(`${spec.contractName}@${spec.contractVersion}`)!;
        if (parsed === undefined || parsed.name !== ours.name || parsed.major !== ours.major) {
          throw new ContractError(
            WireErrorCode.CONTRACT_MISMATCH,
            `this server speaks ${spec.contractName}@${spec.contractVersion}; the client announced ${JSON.stringify(tag)}`,
          );
        }
      }
    }
    let auth: unknown = socket.handshake.auth;
    if (spec.auth !== undefined) {
      const checked = spec.checkAuth!(socket.handshake.auth ?? {});
      if (!checked.ok) {
        throw new ContractError(
          WireErrorCode.UNAUTHORIZED,
          `${spec.contractName} ${spec.path}: handshake auth invalid: ${formatIssues(checked.issues, "(auth)", checked.total)}`,
          { details: issueDetails(checked) },
        );
      }
      auth = checked.value;
    }
    const ctx = new Context(this, socket, auth);
    if (socket.recovered) ctx.recoverSession();
    socket[kContext] = ctx;
    const connect = this.handlers["connect"];
    if (typeof connect === "function") await connect.call(this.handlers, ctx);
  }

  /** The error socket.io sends as CONNECT_ERROR: `{ message, data: { code, message, details? } }`. */
  private refusal(socket: Socket, error: unknown): Error & { data: WireError } {
    let wire: WireError;
    if (error instanceof ContractError && this.isSendable(error)) {
      wire = error.toWire();
    } else {
      this.server.report(error, { namespace: this.spec.path, event: "connect", sid: socket.id });
      wire = { code: WireErrorCode.HANDLER_FAILED, message: "the connect handler failed" };
    }
    const err = new Error(`${wire.code}: ${wire.message}`) as Error & { data: WireError };
    err.data = wire;
    return err;
  }

  private disconnected(socket: TaggedSocket, reason: string): void {
    const ctx = socket[kContext];
    ctx?.abortRequests();
    const disconnect = this.handlers["disconnect"];
    if (ctx === undefined || typeof disconnect !== "function") return;
    const info = { namespace: this.spec.path, event: "disconnect", sid: socket.id };
    try {
      const result: unknown = disconnect.call(this.handlers, ctx, reason);
      if (isThenable(result)) result.then(undefined, (error) => this.server.report(error, info));
    } catch (error) {
      this.server.report(error, info);
    }
  }

  // ---- inbound events ----

  dispatch(socket: TaggedSocket, event: unknown, args: unknown[]): void {
    // An EVENT packet with an ack id but no data (`427`) reaches onAny as the ack callback alone, in the name's place.
    if (typeof event === "function") {
      args.push(event);
      event = undefined;
    }
    let ack = typeof args[args.length - 1] === "function" ? (args.pop() as (answer: unknown) => void) : undefined;
    const ev = typeof event === "string" ? this.inbound.get(event) : undefined;
    if (ev === undefined) {
      // The name is echoed once (in `event`, or in the ack's message), cut short: an answer never outgrows the request.
      const name = truncateName(typeof event === "string" ? event : String(event));
      const what = `${this.spec.contractName} ${this.spec.path}: unknown event`;
      return this.reply(socket, name, ack, { code: WireErrorCode.UNKNOWN_EVENT, message: ack === undefined ? what : `${what} ${JSON.stringify(name)}` });
    }
    const ctx = socket[kContext];
    if (ctx === undefined) {
      // Every connection goes through admit() (even a recovered one: see ServerRuntime); never drop silently.
      this.server.report(new Error(`${ev.label}: a socket without a context sent an event`), { namespace: this.spec.path, event: ev.wire, sid: socket.id });
      return this.reply(socket, ev.wire, ack, { code: WireErrorCode.HANDLER_FAILED, message: `${ev.label}: the handler failed` });
    }
    if (this.server.draining) {
      return this.reply(socket, ev.wire, ack, {
        code: WireErrorCode.SHUTTING_DOWN,
        message: `${ev.label}: the server is shutting down; reconnect and send it again`,
      });
    }
    if (ev.rateLimit !== undefined) {
      const waitMs = ctx.take(ev.rateLimit);
      if (waitMs > 0) {
        return this.reply(socket, ev.wire, ack, {
          code: WireErrorCode.RATE_LIMITED,
          message: `${ev.label}: rate limit exceeded (${ev.rateLimit.perMs * 1000}/s, burst ${ev.rateLimit.burst}); retry in ${waitMs} ms`,
          details: { retryAfterMs: waitMs },
        });
      }
    }
    // An idempotency key travels as one more argument after the payload; only then is the count off by one.
    if (args.length === (ev.payload === undefined ? 1 : 2)) {
      const key = this.server.dedupe === undefined ? undefined : idempotencyKeyOf(args[args.length - 1]);
      if (key !== undefined) {
        args.pop();
        const dedupe = this.server.dedupe!;
        // The client's identity for the store's per-client bound: its key's prefix (`<client id>.<n>`), taken from
        // the socket's first key and kept, so one connection cannot spread its keys over many identities.
        const seen = dedupe.seen(ev.keyPrefix + key, Date.now(), (ctx.keyHolder ??= holderOf(key)));
        if (seen !== undefined) {
          if (ack !== undefined) dedupe.join(seen, ack);
          return;
        }
        ack = this.settling(socket, ev, dedupe.latest, ack);
      }
    }
    this.run(socket, ctx, ev, args, ack);
  }

  /** The ack of a keyed event: records the first answer for retries, then answers (or reports) as usual. */
  private settling(socket: Socket, ev: InboundEvent, entry: DedupeEntry, ack: ((a: unknown) => void) | undefined): (a: unknown) => void {
    const dedupe = this.server.dedupe!;
    return (answer: unknown) => {
      const envelope = answer as AckEnvelope<unknown>;
      dedupe.settle(entry, envelope);
      if (ack !== undefined) ack(envelope);
      else if (!envelope.ok) this.reply(socket, ev.wire, undefined, envelope.error);
    };
  }

  private run(socket: TaggedSocket, ctx: Context, ev: InboundEvent, args: unknown[], ack: ((a: unknown) => void) | undefined): void {
    let result: unknown;
    try {
      if (ev.payload === undefined) {
        if (args.length !== 0) return this.invalid(socket, ev, ack, single(`expected no payload, got ${args.length} argument(s)`));
        result = ev.handler(ctx);
      } else {
        if (args.length > 1) return this.invalid(socket, ev, ack, single(`expected 1 payload argument, got ${args.length}`));
        // No argument is the payload `undefined` (JSON cannot carry it): valid only if the schema accepts it.
        const checked = ev.checkPayload!(args[0]);
        if (!checked.ok) {
          // The contract's own code threw: if it is async, every value fails (the server's to fix): reported by name.
          if (checked.issues[0]?.message === CHECK_THREW) this.reportThrow(socket, ev, args[0]);
          return this.invalid(socket, ev, ack, args.length === 0 ? single("a payload is required") : checked);
        }
        result = ev.handler(checked.value, ctx);
      }
    } catch (error) {
      return this.failed(socket, ev, ack, error);
    }
    if (isThenable(result)) void this.awaitHandler(socket, ev, ack, result);
    else this.answer(socket, ev, ack, result);
  }

  /** Awaits an async handler, then answers (no closures per message). Never rejects. Counted for close(). */
  private async awaitHandler(socket: Socket, ev: EventSpec, ack: ((a: unknown) => void) | undefined, result: PromiseLike<unknown>): Promise<void> {
    this.server.inflight++;
    try {
      let value: unknown;
      try {
        value = await result;
      } catch (error) {
        return this.failed(socket, ev, ack, error);
      }
      this.answer(socket, ev, ack, value);
    } catch (error) {
      this.server.report(error, { namespace: this.spec.path, event: ev.wire, sid: socket.id });
    } finally {
      if (--this.server.inflight === 0) this.server.onIdle?.();
    }
  }

  /**
   * Reports an async check (every value fails it: the server's bug). A synchronous throw is the value's fault
   * (a transform that throws on bad input, as JSON.parse does): not reported.
   */
  private reportThrow(socket: Socket, ev: EventSpec, value: unknown): void {
    const found = whereItThrows(ev.payload!, value);
    if (found === undefined || !isAsyncError(found.error)) return;
    this.server.report(new Error(`${ev.label}: ${describeThrow(found)}`), { namespace: this.spec.path, event: ev.wire, sid: socket.id });
  }

  private invalid(socket: Socket, ev: EventSpec, ack: ((a: unknown) => void) | undefined, checked: { issues: Issue[]; total: number }): void {
    const bounded = boundIssues(checked);
    this.reply(socket, ev.wire, ack, {
      code: WireErrorCode.REQUEST_INVALID,
      message: `${ev.label}: ${formatIssues(bounded.issues, undefined, bounded.total)}`,
      details: issueDetails(bounded),
    });
  }

  private answer(socket: Socket, ev: EventSpec, ack: ((a: unknown) => void) | undefined, value: unknown): void {
    if (ack === undefined) return;
    if (ev.ack === undefined) return ack({ ok: true, data: null } satisfies AckEnvelope<null>);
    if (this.server.validateOutgoing || ev.encodeAck) {
      const checked = (ev.encodeAck ?? ev.checkAck)!(value);
      if (!checked.ok) {
        this.server.report(
          new IocontractError(WireErrorCode.RESPONSE_INVALID, `${ev.label}: the handler's ack is invalid: ${formatIssues(checked.issues, "(ack)", checked.total)}`, {
            details: issueDetails(checked),
            event: ev.wire,
          }),
          { namespace: this.spec.path, event: ev.wire, sid: socket.id },
        );
        return ack({
          ok: false,
          error: { code: WireErrorCode.RESPONSE_INVALID, message: `${ev.label}: the server's answer did not match the contract` },
        } satisfies AckEnvelope<never>);
      }
      if (ev.encodeAck) value = checked.value;
    }
    ack({ ok: true, data: value } satisfies AckEnvelope<unknown>);
  }

  private failed(socket: Socket, ev: EventSpec, ack: ((a: unknown) => void) | undefined, error: unknown): void {
    if (error instanceof ContractError && this.isSendable(error)) {
      return this.reply(socket, ev.wire, ack, error.toWire());
    }
    this.server.report(error, { namespace: this.spec.path, event: ev.wire, sid: socket.id });
    this.reply(socket, ev.wire, ack, { code: WireErrorCode.HANDLER_FAILED, message: `${ev.label}: the handler failed` });
  }

  /**
   * Only errors made on purpose travel: a {@link ContractError} (`ctx.error`, `ctx.refuse`, or the runtime's own
   * refusals) with one of the contract's codes and valid details, or with a code meant for callers. Anything
   * else, the runtime's own IocontractErrors included (an invalid outgoing payload, invalid session data), is a
   * server bug: reported through onError, and HANDLER_FAILED to the client.
   */
  private isSendable(error: ContractError): boolean {
    const schema = this.spec.errors.get(error.code);
    if (schema !== undefined) {
      if (!this.server.validateOutgoing) return true;
      const checked = check(schema, error.details);
      if (checked.ok) return true;
      this.server.report(
        new Error(`${this.spec.contractName} ${this.spec.path}: details of error ${error.code} are invalid: ${formatIssues(checked.issues, "(details)", checked.total)}`),
        { namespace: this.spec.path, event: error.event ?? "", sid: undefined },
      );
      return false;
    }
    return (
      error.code === WireErrorCode.UNAUTHORIZED ||
      error.code === WireErrorCode.RATE_LIMITED ||
      error.code === WireErrorCode.CONTRACT_MISMATCH ||
      error.code === WireErrorCode.SHUTTING_DOWN
    );
  }

  /**
   * Answers through the ack when there is one, else with the reserved error event (sent to this connection
   * only, not kept for connection-state recovery: see ./limits.ts). A refusal of the client's own making
   * takes from the socket's budget (1 token plus 1 per 16 KiB of its packet); past it, the socket gets a notice
   * and is disconnected.
   */
  private reply(socket: Socket, event: string, ack: ((a: unknown) => void) | undefined, error: WireError): void {
    const budget = this.server.invalidEventBudget;
    if (budget !== undefined && isClientsFault(error.code) && !takeRefusal(socket, budget, refusalCost(socket.conn))) {
      if (!socket.connected) return;
      notify(socket, this.spec.contractName, "", WireErrorCode.TOO_MANY_INVALID_EVENTS, `too many refused events (over ${budget.burst} at once or ${budget.perSecond}/s); disconnecting`, {
        burst: budget.burst,
        perSecond: budget.perSecond,
      });
      const conn = socket.conn;
      socket.disconnect(true);
      stopReading(conn);
      return;
    }
    if (ack !== undefined) {
      ack({ ok: false, error } satisfies AckEnvelope<never>);
    } else {
      const payload: ErrorEventPayload = { event, ...error };
      sendDirect(socket, ERROR_EVENT, payload);
    }
  }

  // ---- outbound ----

  /**
   * Checks an outgoing payload and returns what travels: the payload as written, or zod's encoding of it for a
   * schema with a codec (encoded even with `validateOutgoing: false`: a Date or a bigint is not JSON).
   */
  checkOutgoing(ev: EventSpec, payload: unknown): unknown {
    if (ev.payload === undefined || (!this.server.validateOutgoing && !ev.encodePayload)) return payload;
    const checked = (ev.encodePayload ?? ev.checkPayload)!(payload);
    if (!checked.ok) {
      throw new IocontractError(WireErrorCode.REQUEST_INVALID, `${ev.label}: cannot send: ${formatIssues(checked.issues, undefined, checked.total)}`, {
        details: issueDetails(checked),
        event: ev.wire,
      });
    }
    return ev.encodePayload ? checked.value : payload;
  }

  /** Turns one raw answer into a checked envelope. */
  private settle(ev: EventSpec, raw: unknown): AckEnvelope<unknown> {
    if (!isAckEnvelope(raw)) {
      return {
        ok: false,
        error: { code: WireErrorCode.CONTRACT_MISMATCH, message: `${ev.label}: the client's answer is not an ack envelope ({ ok, data | error })` },
      };
    }
    if (!raw.ok || ev.ack === undefined || !this.server.validateAnswers) return raw;
    const checked = ev.checkAck!(raw.data);
    return checked.ok
      ? { ok: true, data: checked.value }
      : {
          ok: false,
          error: {
            code: WireErrorCode.RESPONSE_INVALID,
            message: `${ev.label}: the client's answer is invalid: ${formatIssues(checked.issues, "(ack)", checked.total)}`,
            details: issueDetails(checked),
          } as WireError,
        };
  }

  private args(ev: EventSpec, payload: unknown): unknown[] {
    if (ev.payload === undefined) return [];
    payload = this.checkOutgoing(ev, payload);
    return payload === undefined ? [] : [payload];
  }

  requestAll(target: AckTarget, ev: EventSpec, payload: unknown, options?: { timeoutMs?: number }): Promise<AckEnvelope<unknown>[]> {
    return new Promise((resolve, reject) => {
      const args = this.args(ev, payload);
      const timeoutMs = options?.timeoutMs ?? ev.timeoutMs;
      target.timeout(timeoutMs).emit(ev.wire, ...args, (error: unknown, answers: unknown[]) => {
        const settled = (answers ?? []).map((raw) => this.settle(ev, raw));
        if (error) {
          reject(
            new IocontractError(WireErrorCode.TIMEOUT, `${ev.label}: not every client answered within ${timeoutMs} ms`, {
              details: { answers: settled },
              event: ev.wire,
            }),
          );
        } else {
          resolve(settled);
        }
      });
    });
  }

  /** One socket, one answer: the data, or a rejection with the typed error. */
  requestOne(
    target: AckTarget,
    sid: string | undefined,
    ev: EventSpec,
    payload: unknown,
    options: { timeoutMs?: number } | undefined,
    ctx: Context | undefined,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const args = this.args(ev, payload);
      const timeoutMs = options?.timeoutMs ?? ev.timeoutMs;
      // Asking this connection (ctx.request): a disconnect rejects at once instead of waiting for the timeout.
      const abort = () => reject(new IocontractError(LocalErrorCode.DISCONNECTED, `${ev.label}: the client disconnected before answering`, { event: ev.wire }));
      if (ctx !== undefined) {
        if (!ctx.track(abort)) return abort();
      }
      const done = (error: unknown, raw: unknown) => {
        ctx?.untrack(abort);
        if (error) {
          return reject(new IocontractError(WireErrorCode.TIMEOUT, `${ev.label}: no answer within ${timeoutMs} ms`, { event: ev.wire }));
        }
        if (sid !== undefined) {
          // Sent as a broadcast to the sid's room (works across nodes): zero answers means no such socket.
          const answers = raw as unknown[];
          if (answers.length === 0) {
            return reject(new IocontractError(LocalErrorCode.DISCONNECTED, `${ev.label}: no connected socket ${sid}`, { event: ev.wire }));
          }
          raw = answers[0];
        }
        const settled = this.settle(ev, raw);
        if (settled.ok) resolve(settled.data);
        else reject(IocontractError.fromWire(settled.error, ev.wire));
      };
      target.timeout(timeoutMs).emit(ev.wire, ...args, done);
    });
  }
}

function noop(): void {}

/**
 * The server's validators: zod's compiled parsers where allowed, plus the prototype-pollution check for schemas
 * that let unknown keys through (server side only: what a client receives comes from its own server).
 */
const guardedValidator: ValidatorFactory = (schema) => guardKeys(schema, makeCompiledValidator(schema));

/** A notice about the connection on the reserved error event, just before the server closes it. */
function notify(socket: Socket, contract: string, event: string, code: WireErrorCode, what: string, details?: unknown): void {
  const message = `${contract} ${socket.nsp.name}: ${what}`;
  const payload: ErrorEventPayload = details === undefined ? { event, code, message } : { event, code, message, details };
  sendDirect(socket, ERROR_EVENT, payload);
}

/** Refusals a well-behaved client does not cause: they take from {@link ServerOptions.invalidEventBudget}. */
function isClientsFault(code: string): boolean {
  return code === WireErrorCode.UNKNOWN_EVENT || code === WireErrorCode.REQUEST_INVALID || code === WireErrorCode.RATE_LIMITED;
}

/** A client's identity for the idempotency store: what precedes the last "." of its key (all of it if none). */
function holderOf(key: string): string {
  const dot = key.lastIndexOf(".");
  return dot > 0 ? key.slice(0, dot) : key;
}

/** The part of engine.io's Socket the runtime uses. */
type EngineSocket = Socket["conn"];

/** The event name at the start of a Socket.IO EVENT packet (`2/admin,12["name",...`), or "" — never the whole packet. */
function eventNameOf(packet: string): string {
  const match = /^[2356]\d*-?(?:\/[^,]{0,200},)?\d*\["((?:[^"\\]|\\.){0,200})"/.exec(packet.slice(0, 512));
  if (match === null) return "";
  try {
    return JSON.parse(`"${match[1]}"`) as string;
  } catch {
    return "";
  }
}

/** The validator of `validateIncoming: false`. */
const acceptAny: Validator = (value) => ({ ok: true, value });

/** One issue about the payload as a whole. */
function single(message: string): { issues: Issue[]; total: number } {
  return { issues: [{ path: [], message }], total: 1 };
}

type RequestOptions = { timeoutMs?: number } | undefined;

function makeTarget<T extends object>(proto: object, target: unknown, sid?: string, ctx?: Context): T {
  const obj = Object.create(proto) as { target: unknown; sid: string | undefined; ctx: Context | undefined };
  obj.target = target;
  obj.sid = sid;
  obj.ctx = ctx;
  return obj as unknown as T;
}

/** A room selection: `to(room).except(sid).emit.x(...)`, `.request.y(...)`. */
class Broadcast implements BroadcastApi<AnyServerNamespaceTypes> {
  constructor(
    private readonly rt: NamespaceRuntime,
    private readonly op: Operator,
  ) {}
  get emit(): object {
    return makeTarget(this.rt.emitProto, this.op);
  }
  get request(): object {
    return makeTarget(this.rt.broadcastRequestProto, this.op);
  }
  to(room: string | string[]): Broadcast {
    return new Broadcast(this.rt, this.op.to(room));
  }
  in(room: string | string[]): Broadcast {
    return this.to(room);
  }
  except(room: string | string[]): Broadcast {
    return new Broadcast(this.rt, this.op.except(room));
  }
}

/** What a handler receives: one per connection. */
class Context implements ContextApi<AnyServerNamespaceTypes> {
  private emitter: object | undefined;
  private requester: object | undefined;
  private handshakeView: Handshake<unknown> | undefined;
  private hasSession = false;
  /**
   * What `connect` sends to this socket (emits, requests) before Socket.IO has sent the client its CONNECT
   * packet. Sent right after it, so every client (not only those that buffer early events) receives them in
   * order. `undefined` once connected.
   */
  pending: Array<() => void> | undefined = [];
  /** Rejecters of `ctx.request` calls waiting for an answer: made on first use (most connections never ask). */
  private inflight: Set<() => void> | undefined;
  private gone = false;
  /** Token buckets of the contract's rate-limited events, two numbers per event: tokens, last refill (ms). */
  private buckets: Float64Array | undefined;
  /** This connection's identity in the idempotency store (from its first key). */
  keyHolder: string | undefined;

  constructor(
    private readonly rt: NamespaceRuntime,
    readonly socket: Socket,
    readonly auth: unknown,
  ) {}
  get sid(): string {
    return this.socket.id;
  }
  get namespace(): string {
    return this.rt.spec.path;
  }
  get handshake(): Handshake<unknown> {
    const h = this.socket.handshake;
    const tag = h.query[CONTRACT_QUERY_KEY];
    const contractVersion = typeof tag === "string" ? parseContractTag(tag)?.version : undefined;
    return (this.handshakeView ??= { auth: this.auth, headers: h.headers, query: h.query, address: h.address, time: h.time, secure: h.secure, url: h.url, contractVersion });
  }
  get connected(): boolean {
    return this.socket.connected;
  }
  get session(): unknown {
    return this.hasSession ? this.socket.data : undefined;
  }
  setSession(value: unknown): void {
    const checkSocketData = this.rt.spec.checkSocketData;
    if (checkSocketData !== undefined) {
      const checked = checkSocketData(value);
      if (!checked.ok) {
        throw new IocontractError(
          WireErrorCode.REQUEST_INVALID,
          `${this.rt.spec.contractName} ${this.rt.spec.path}: session data invalid: ${formatIssues(checked.issues, "(session)", checked.total)}`,
          { details: issueDetails(checked) },
        );
      }
      this.socket.data = checked.value;
    } else {
      this.socket.data = value;
    }
    this.hasSession = true;
  }
  /** A recovered connection gets back its `socket.data`: it is the session if it was set (and still valid). */
  recoverSession(): void {
    const data: unknown = this.socket.data;
    const checkSocketData = this.rt.spec.checkSocketData;
    this.hasSession =
      checkSocketData !== undefined ? checkSocketData(data).ok : typeof data === "object" && data !== null && Object.keys(data).length > 0;
  }
  /** Called once Socket.IO has connected the socket: sends what `connect` emitted to it. */
  flush(): void {
    const pending = this.pending;
    this.pending = undefined;
    this.emitter = undefined;
    this.requester = undefined;
    for (const send of pending ?? []) send();
  }
  /** Takes a token for a rate-limited event: 0 when allowed, else how many ms until one is free. */
  take(limit: RateLimitSlot): number {
    const now = performance.now();
    const buckets = (this.buckets ??= this.fullBuckets(now));
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
  private fullBuckets(now: number): Float64Array {
    const buckets = new Float64Array(this.rt.rateLimitSlots * 2);
    for (const ev of this.rt.inbound.values()) {
      if (ev.rateLimit === undefined) continue;
      buckets[ev.rateLimit.slot * 2] = ev.rateLimit.burst;
      buckets[ev.rateLimit.slot * 2 + 1] = now;
    }
    return buckets;
  }
  /** Registers an in-flight request; false when the socket is already gone. */
  track(abort: () => void): boolean {
    if (this.gone) return false;
    (this.inflight ??= new Set()).add(abort);
    return true;
  }
  untrack(abort: () => void): void {
    this.inflight?.delete(abort);
  }
  abortRequests(): void {
    const inflight = this.inflight;
    this.inflight = undefined;
    this.gone = true;
    for (const abort of inflight ?? []) abort();
  }
  /** Until connected, sends through {@link pending}; then straight to the socket. */
  private deferred(): EmitTarget & AckTarget {
    const socket = this.socket;
    const later = (send: () => void) => {
      if (this.pending === undefined) send();
      else this.pending.push(send);
    };
    return {
      emit: (event: string, ...args: unknown[]) => {
        later(() => socket.emit(event, ...args));
        return true;
      },
      timeout: (ms: number) => ({
        emit: (event: string, ...args: unknown[]) => {
          later(() => socket.timeout(ms).emit(event, ...(args as [])));
          return true;
        },
      }),
    };
  }
  join(room: string | string[]): void {
    void this.socket.join(room);
  }
  leave(room: string): void {
    void this.socket.leave(room);
  }
  get rooms(): string[] {
    return [...this.socket.rooms];
  }
  /** To this socket. */
  get emit(): object {
    return (this.emitter ??= makeTarget(this.rt.emitProto, this.pending === undefined ? this.socket : this.deferred()));
  }
  /** Ask this socket; resolves with its typed answer, rejects DISCONNECTED if it goes first. */
  get request(): object {
    return (this.requester ??= makeTarget(this.rt.singleRequestProto, this.pending === undefined ? this.socket : this.deferred(), undefined, this));
  }
  /** To every other socket of the namespace. */
  get broadcast(): Broadcast {
    return new Broadcast(this.rt, this.socket.broadcast as unknown as Operator);
  }
  /**
   * To rooms (or sids), the sender included when it is in them (python-socketio's `room=`): a namespace-wide
   * selection, not socket.io's `socket.to`, which always leaves the sender out. `.except(ctx.sid)` skips it.
   */
  to(room: string | string[]): Broadcast {
    return new Broadcast(this.rt, this.rt.nsp.to(room) as unknown as Operator);
  }
  /** To every socket but these rooms (or sids), the sender left out too (like {@link broadcast}). */
  except(room: string | string[]): Broadcast {
    return new Broadcast(this.rt, this.socket.except(room) as unknown as Operator);
  }
  /** `throw ctx.error("NOT_IN_ROOM", { room })`. */
  error<Code extends string>(code: Code, details?: unknown, message?: string): ContractError<Code> {
    return new ContractError(code, message ?? code.toLowerCase().replaceAll("_", " "), details === undefined ? {} : { details });
  }
  /** `throw ctx.refuse("UNAUTHORIZED", "bad token")` from `connect`. */
  refuse<Code extends string>(code: Code, message?: string, details?: unknown): ContractError<Code> {
    return this.error(code, details, message ?? "connection refused");
  }
  disconnect(): void {
    this.socket.disconnect(true);
  }
}

/** The per-namespace server API: `emit`, `to`, `send`, `enterRoom`... */
class NamespaceApi implements ServerNamespace<AnyServerNamespaceTypes> {
  private emitter: object | undefined;
  private requester: object | undefined;
  private serverSide: object | undefined;
  constructor(private readonly rt: NamespaceRuntime) {}
  /** To the other server nodes (the contract's `serverToServer` events); does nothing with the in-memory adapter. */
  get serverSideEmit(): object {
    return (this.serverSide ??= makeTarget(this.rt.serverSideProto, this.rt.nsp));
  }
  /** The typed socket.io `Namespace`, as an escape hatch. */
  get nsp(): Namespace {
    return this.rt.nsp;
  }
  get emit(): object {
    return (this.emitter ??= makeTarget(this.rt.emitProto, this.rt.nsp));
  }
  get request(): object {
    return (this.requester ??= makeTarget(this.rt.broadcastRequestProto, this.rt.nsp));
  }
  to(room: string | string[]): Broadcast {
    return new Broadcast(this.rt, this.rt.nsp.to(room) as unknown as Operator);
  }
  in(room: string | string[]): Broadcast {
    return this.to(room);
  }
  except(room: string | string[]): Broadcast {
    return new Broadcast(this.rt, this.rt.nsp.except(room) as unknown as Operator);
  }
  /** One socket by id (on any node): `emit` to it, or `request` one answer from it. */
  socket(sid: string): { emit: object; request: object } {
    const op = this.rt.nsp.to(sid);
    return { emit: makeTarget(this.rt.emitProto, op), request: makeTarget(this.rt.singleRequestProto, op, sid) };
  }
  /** python-socketio's `send()`: the `message` event, to everyone or to `to` (rooms or sids), minus `except`. */
  send(payload: unknown, options?: { to?: string | string[]; except?: string | string[] }): void {
    const ev = this.rt.messageEvent;
    if (ev === undefined) {
      throw new Error(`iocontract: ${this.rt.spec.contractName} ${this.rt.spec.path} has no server→client "message" event`);
    }
    let op = this.rt.nsp as unknown as Operator;
    if (options?.to !== undefined) op = op.to(options.to);
    if (options?.except !== undefined) op = op.except(options.except);
    payload = this.rt.checkOutgoing(ev, payload);
    const args = ev.payload === undefined || payload === undefined ? [] : [payload];
    op.emit(ev.wire, ...args);
  }
  async enterRoom(sid: string, room: string | string[]): Promise<void> {
    this.rt.nsp.in(sid).socketsJoin(room);
  }
  async leaveRoom(sid: string, room: string): Promise<void> {
    this.rt.nsp.in(sid).socketsLeave(room);
  }
  /** The rooms of a socket (on any node), its own sid room included; `[]` when it is not connected. */
  async rooms(sid: string): Promise<string[]> {
    const sockets = await this.rt.nsp.in(sid).fetchSockets();
    return sockets.length === 0 ? [] : [...sockets[0]!.rooms];
  }
  /** The ids of the sockets in a room (every socket without one), on every node. */
  async sids(room?: string): Promise<string[]> {
    const sockets = await (room === undefined ? this.rt.nsp.fetchSockets() : this.rt.nsp.in(room).fetchSockets());
    return sockets.map((s) => s.id);
  }
  disconnectSockets(room?: string): void {
    (room === undefined ? this.rt.nsp : this.rt.nsp.in(room)).disconnectSockets(true);
  }
}

class ServerRuntime {
  readonly io: Server;
  readonly validateOutgoing: boolean;
  readonly validateAnswers: boolean;
  readonly validatesIncoming: (namespace: string) => boolean;
  readonly checkContractVersion: boolean;
  readonly contractName: string;
  private readonly onError: (error: unknown, info: ErrorInfo) => void;
  readonly httpServer: http.Server | import("node:https").Server;
  readonly ownsHttpServer: boolean;
  /** Attached to a socket.io `Server` the application made ({@link ServerOptions.io}): its settings are not ours. */
  readonly attached: boolean;
  readonly namespaces: Record<string, NamespaceApi> = {};
  readonly runtimes: NamespaceRuntime[] = [];
  readonly dedupe: DedupeStore | undefined;
  readonly maxPayloadBytes: number;
  readonly invalidEventBudget: Required<RefusalBudget> | undefined;
  readonly attachmentTimeoutMs: number;
  private readonly connections: ConnectionCounter | undefined;
  private readonly recoveryMaxBytes: number | undefined;
  /** Set by close(): new connections are refused and new events answered SHUTTING_DOWN. */
  draining = false;
  /** Async handlers still running. */
  inflight = 0;
  /** Called when {@link inflight} drops to 0 (close() waits on it). */
  onIdle: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(spec: RuntimeSpec, options: ServerOptions) {
    this.validateOutgoing = options.validateOutgoing ?? true;
    this.validateAnswers = options.validateAnswers ?? true;
    const validateIncoming = options.validateIncoming ?? true;
    this.validatesIncoming = typeof validateIncoming === "function" ? validateIncoming : () => validateIncoming;
    this.checkContractVersion = options.checkContractVersion ?? true;
    this.contractName = spec.contract.name;
    this.onError =
      options.onError ??
      ((error, info) => {
        console.error(`iocontract: ${spec.contract.name} ${info.namespace} ${JSON.stringify(info.event)} (sid ${info.sid ?? "-"}):`, error);
      });
    this.attached = options.io !== undefined;
    this.dedupe = options.idempotency === false ? undefined : new DedupeStore(options.idempotency);
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    const budget = options.invalidEventBudget;
    this.invalidEventBudget =
      budget === false ? undefined : { burst: budget?.burst ?? DEFAULT_REFUSAL_BURST, perSecond: budget?.perSecond ?? DEFAULT_REFUSAL_PER_SECOND };
    this.attachmentTimeoutMs = options.attachmentTimeoutMs ?? 5000;
    // Connection limits and the recovery buffer's bound act on the Server's engine and adapter: only on our own.
    this.connections = this.attached || options.connectionLimits === undefined ? undefined : new ConnectionCounter(options.connectionLimits);
    const recovery = options.connectionStateRecovery;
    this.recoveryMaxBytes = this.attached || recovery === false ? undefined : (recovery?.maxBytes ?? DEFAULT_RECOVERY_MAX_BYTES);
    if (options.io !== undefined) {
      // Incremental adoption: the application's Server keeps its own settings; only namespaces are added.
      const conflicting = SERVER_SETTINGS.filter((key) => options[key] !== undefined);
      if (conflicting.length > 0) {
        throw new Error(`iocontract: ${spec.contract.name}: with \`io\` (an existing socket.io Server), set ${conflicting.join(", ")} on that Server instead`);
      }
      // A recovered connection must go through admit() like any other: socket.io skips middlewares for it by default.
      // (`opts` is private in socket.io's declarations; it holds the options the Server was made with.)
      const recovery = (options.io as unknown as { opts: Partial<IoServerOptions> }).opts.connectionStateRecovery;
      if (recovery && recovery.skipMiddlewares !== false) {
        throw new Error(
          `iocontract: ${spec.contract.name}: the socket.io Server given as \`io\` recovers connections without running middlewares; set connectionStateRecovery.skipMiddlewares to false on it`,
        );
      }
      this.io = options.io;
      this.ownsHttpServer = false;
      // The HTTP server socket.io was attached to (socket.io's own type also admits HTTP/2 servers).
      this.httpServer = options.io.httpServer as http.Server;
    } else {
      this.ownsHttpServer = options.httpServer === undefined;
      this.httpServer = options.httpServer ?? http.createServer();
      this.io = this.makeIo(spec, options);
    }
    for (const path of Object.keys(spec.namespaces)) {
      // socket.io makes "/" itself: a namespace is the application's own once something listens on it.
      if (this.attached && (options.io!._nsps.get(path)?.listenerCount("connection") ?? 0) > 0) {
        throw new Error(`iocontract: ${spec.contract.name}: namespace ${JSON.stringify(path)} of the socket.io Server already has connection listeners`);
      }
      const handlers = (options.handlers as Record<string, unknown>)[path];
      if (typeof handlers !== "object" || handlers === null) {
        throw new Error(`iocontract: ${spec.contract.name}: no handlers for namespace ${JSON.stringify(path)}`);
      }
      // Compiled validators where generated code may run (zod's compile()); the plain ones elsewhere.
      const runtime = new NamespaceRuntime(this, resolveNamespace(spec, path, guardedValidator), handlers);
      if (this.recoveryMaxBytes !== undefined) boundRecoveryBuffer(runtime.nsp.adapter, this.recoveryMaxBytes);
      this.runtimes.push(runtime);
      this.namespaces[path] = new NamespaceApi(runtime);
    }
  }

  /** The socket.io Server of a runtime that owns it: our options, packet-size watch and origin check applied. */
  private makeIo(spec: RuntimeSpec, options: ServerOptions): Server {
    const ioOptions: Partial<IoServerOptions> = { ...options.socketio };
    if (options.adapter !== undefined) ioOptions.adapter = options.adapter;
    if (!("connectionStateRecovery" in ioOptions) && options.connectionStateRecovery !== false) {
      ioOptions.connectionStateRecovery = { maxDisconnectionDuration: options.connectionStateRecovery?.maxDisconnectionDuration ?? DEFAULT_RECOVERY_MS };
    }
    // A recovered connection must go through admit() like any other (auth, context, connect handler):
    // socket.io skips middlewares for it unless told otherwise.
    if (ioOptions.connectionStateRecovery) {
      ioOptions.connectionStateRecovery = { ...ioOptions.connectionStateRecovery, skipMiddlewares: false };
    }
    if (!Number.isInteger(this.maxPayloadBytes) || this.maxPayloadBytes < 1024) {
      throw new Error(`iocontract: ${spec.contract.name}: maxPayloadBytes must be an integer >= 1024 (got ${this.maxPayloadBytes})`);
    }
    // The transport's own cap stays above ours, so that a packet over our limit gets a clear answer first.
    ioOptions.maxHttpBufferSize = Math.max(ioOptions.maxHttpBufferSize ?? 0, this.maxPayloadBytes * 2);
    let cors: NonNullable<ServerOptions["cors"]> | undefined;
    if (ioOptions.cors === undefined && ioOptions.allowRequest === undefined) {
      cors = options.cors ?? "same-origin";
      if (options.cors !== undefined && options.cors !== "same-origin") {
        // Cross-origin long-polling needs the CORS response headers too (websockets do not).
        ioOptions.cors = { origin: options.cors === "*" ? "*" : [...options.cors] };
      }
    }
    const logRefusals = options.logRefusals ?? ((line: string) => console.warn(line));
    const access = accessCheck({
      contract: spec.contract.name,
      cors,
      allowedHosts: options.allowedHosts ?? "loopback",
      log: logRefusals === false ? undefined : new RefusalLog(logRefusals),
    });
    // While draining, a new connection is refused by engine.io (an HTTP error): every Socket.IO client retries
    // those by itself, unlike a Socket.IO-level refusal. Only handshakes are checked, not requests of open sessions.
    // Then Host and Origin (./host-check.ts), the user's own allowRequest, and last the connection limits.
    const allowRequest = ioOptions.allowRequest;
    const limited = (req: http.IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => {
      const refusal = this.connections?.admit(req);
      callback(refusal ?? null, refusal === undefined);
    };
    ioOptions.allowRequest = (req, callback) => {
      if (this.draining) return callback("the server is shutting down", false);
      const refusal = access(req);
      if (refusal !== undefined) return callback(refusal, false);
      if (allowRequest === undefined) return limited(req, callback);
      allowRequest(req, (err, success) => (success ? limited(req, callback) : callback(err, success)));
    };
    const io = new Server(this.httpServer, ioOptions);
    io.engine.on("connection", (conn: EngineSocket) => {
      const release = this.connections?.connected(conn.request);
      if (release !== undefined) conn.once("close", release);
      this.watchPackets(conn);
    });
    if (options.keepHttpRequest !== true) keepOnlyHandshakeRequest(io);
    return io;
  }

  /** Enforces {@link ServerOptions.maxPayloadBytes} on every packet a client sends, before socket.io decodes it. */
  private watchPackets(conn: EngineSocket): void {
    const limit = this.maxPayloadBytes;
    // An event's binary attachments count with its packet, and must all arrive in time (./limits.ts).
    const attachments = new AttachmentWatch(limit, this.attachmentTimeoutMs, (kind, event, bytes) => {
      if (kind === "size") return this.tooLarge(conn, bytes, event);
      this.closeWith(conn, event, WireErrorCode.ATTACHMENTS_INCOMPLETE, `the binary attachments of ${event === "" ? "an event" : `event ${JSON.stringify(event)}`} did not all arrive within ${this.attachmentTimeoutMs} ms; disconnecting`, {
        timeoutMs: this.attachmentTimeoutMs,
      });
    });
    conn.once("close", () => attachments.clear());
    conn.on("packet", (packet: { type: string; data?: unknown }) => {
      if (packet.type !== "message") return;
      const data = packet.data;
      let size: number;
      if (typeof data === "string") {
        // UTF-8 takes at most 3 bytes per UTF-16 unit: count bytes only when the packet might be over.
        size = data.length * 3 <= limit ? data.length : Buffer.byteLength(data);
      } else {
        size = (data as { byteLength?: number } | undefined)?.byteLength ?? 0;
      }
      if (size <= limit) {
        notePacketBytes(conn, size);
        if (attachments.admit(packet, size, eventNameOf)) return;
      } else {
        attachments.clear();
        this.tooLarge(conn, size, typeof data === "string" ? eventNameOf(data) : "");
      }
      // Dropped here: engine.io hands the packet to socket.io after its "packet" listeners, by type.
      packet.type = "noop";
      packet.data = undefined;
    });
  }

  private tooLarge(conn: EngineSocket, size: number, event: string): void {
    const label = event === "" ? "a packet" : `event ${JSON.stringify(event)}`;
    this.closeWith(conn, event, WireErrorCode.PAYLOAD_TOO_LARGE, `${label} of ${size} bytes is over the limit of ${this.maxPayloadBytes} bytes; disconnecting`, {
      limitBytes: this.maxPayloadBytes,
      sizeBytes: size,
    });
  }

  /** Tells every socket of `conn` why (the reserved error event), then closes the connection. */
  private closeWith(conn: EngineSocket, event: string, code: WireErrorCode, what: string, details: unknown): void {
    const sockets: Socket[] = [];
    for (const rt of this.runtimes) for (const socket of rt.nsp.sockets.values()) if (socket.conn === conn) sockets.push(socket);
    // A client's mistake, answered in full to that client: not a server error for onError.
    for (const socket of sockets) notify(socket, this.contractName, event, code, what, details);
    // DISCONNECT packets after the error events (same write buffer), then the connection closes once flushed.
    if (sockets.length > 0) sockets[0]!.disconnect(true);
    else conn.close();
    stopReading(conn);
  }

  /**
   * Graceful shutdown: refuse new connections and events (SHUTTING_DOWN), let running handlers finish (up to
   * the deadline), tell every client, then close their transports so that they reconnect — to another node
   * behind the same address, or to this one's replacement.
   */
  close(options: CloseOptions = {}): Promise<void> {
    return (this.closing ??= this.shutdown(options.deadlineMs ?? DEFAULT_CLOSE_DEADLINE_MS));
  }

  private async shutdown(deadlineMs: number): Promise<void> {
    this.draining = true;
    // Stop listening at once, so that a replacement can take the port; open connections stay until below.
    if (!this.attached && this.httpServer.listening) this.httpServer.close();
    if (this.inflight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadlineMs);
        this.onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.onIdle = undefined;
    }
    if (this.attached) {
      // The application's Server and HTTP server stay up, and so do its other namespaces on the same
      // connections: only the contract's sockets are told and disconnected.
      for (const rt of this.runtimes) {
        for (const socket of rt.nsp.sockets.values()) {
          notify(socket, this.contractName, "", WireErrorCode.SHUTTING_DOWN, "the server is shutting down");
          socket.disconnect();
        }
      }
      return;
    }
    const conns = new Set<EngineSocket>();
    for (const rt of this.runtimes) {
      for (const socket of rt.nsp.sockets.values()) {
        notify(socket, this.contractName, "", WireErrorCode.SHUTTING_DOWN, "the server is shutting down; reconnecting");
        conns.add(socket.conn as EngineSocket);
      }
    }
    // Closing the transport (not a Socket.IO disconnect) makes every client, python-socketio's too, reconnect.
    await Promise.all(
      [...conns].map(
        (conn) =>
          new Promise<void>((resolve) => {
            if (conn.readyState === "closed") return resolve();
            conn.once("close", () => resolve());
            conn.close();
          }),
      ),
    );
    await new Promise<void>((resolve, reject) => {
      this.io.close((error) => {
        if (error && (error as NodeJS.ErrnoException).code !== "ERR_SERVER_NOT_RUNNING") reject(error);
        else resolve();
      });
    });
  }

  report(error: unknown, info: ErrorInfo): void {
    try {
      this.onError(error, info);
    } catch {
      // an onError hook that throws must not take the server down
    }
  }
}

/** The object generated `create<Name>Server()` returns (typed there). */
export interface RuntimeServer extends ContractServer<Server, Readonly<Record<string, ServerNamespace<AnyServerNamespaceTypes>>>> {}

/**
 * Creates the server of a contract. `S` is the generated `<Name>Server` interface, from the same generated file
 * as `spec`: the runtime builds one method per event of the spec, which is what `S` declares.
 */
export function createServer(spec: RuntimeSpec, options: ServerOptions): RuntimeServer;
export function createServer<S extends ContractServer<unknown, unknown>>(spec: RuntimeSpec, options: ServerOptions): S;
export function createServer<S extends ContractServer<unknown, unknown>>(spec: RuntimeSpec, options: ServerOptions): S {
  const rt = new ServerRuntime(spec, options);
  // The root namespace's API is also the server's own (`server.emit.x()`, `server.to(room)`): the server object
  // inherits from it, so its getters and methods run with the same runtime behind them.
  const root = rt.namespaces["/"];
  const server = Object.create(root ?? Object.prototype) as RuntimeServer & Record<string, unknown>;
  // defineProperties, not assignment: the prototype's `io` is a getter (the namespace), the server's is the Server.
  const own = {
    io: rt.io,
    httpServer: rt.httpServer,
    namespaces: rt.namespaces,
    listen(port = 0, host = "127.0.0.1"): Promise<AddressInfo> {
      if (rt.attached) {
        return Promise.reject(new Error(`iocontract: ${spec.contract.name}: attached to an existing socket.io Server (\`io\`): listen on its HTTP server instead`));
      }
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        rt.httpServer.once("error", onError);
        rt.httpServer.listen(port, host, () => {
          rt.httpServer.off("error", onError);
          resolve(rt.httpServer.address() as AddressInfo);
        });
      });
    },
    close(options?: CloseOptions): Promise<void> {
      return rt.close(options);
    },
  };
  for (const [key, value] of Object.entries(own)) {
    Object.defineProperty(server, key, { value, enumerable: true });
  }
  return server as unknown as S;
}

/**
 * The server half of the runtime. Generated code calls {@link createServer} with a {@link RuntimeSpec} and casts
 * the result to its generated interfaces; everything here is untyped at the event level on purpose (the types
 * live in the generated files, the behaviour lives here, once).
 *
 * Per message: one Map lookup, one safeParse, one handler call. Emitters, requesters and contexts are built
 * from per-namespace prototypes made once at start-up; a context is made once per connection.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Namespace, type ServerOptions as IoServerOptions, type Socket } from "socket.io";
import { attachInterServer } from "./inter-server";
import { type EventSpec, type NamespaceSpec, type RuntimeSpec, check, isThenable, issueDetails, resolveNamespace } from "./spec";
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
  isAckEnvelope,
  parseContractTag,
} from "./wire";

export { IocontractError } from "./wire";
export type { RuntimeSpec } from "./spec";
export type { AckEnvelope, WireError, Issue } from "./wire";

/** Where an error happened, for {@link ServerOptions.onError}. */
export interface ErrorInfo {
  readonly namespace: string;
  /** The event's wire name, or `connect` / `disconnect`. */
  readonly event: string;
  readonly sid: string | undefined;
}

export interface ServerOptions {
  /** One handler object per namespace of the contract, keyed by namespace path (typed by the generated code). */
  readonly handlers: object;
  /** Attach to this HTTP(S) server (plain `http`, Express's, Fastify's...). Without it, call `listen()`. */
  readonly httpServer?: http.Server | import("node:https").Server;
  /** Passed to socket.io's `Server` as they are (cors, path, transports, connectionStateRecovery...). */
  readonly socketio?: Partial<IoServerOptions>;
  /** Any socket.io adapter (Redis, Redis streams, cluster...). Same as `socketio.adapter`. */
  readonly adapter?: IoServerOptions["adapter"];
  /** Validate what the server sends (payloads, acks, error details) against the contract. Default: true. */
  readonly validateOutgoing?: boolean;
  /** Validate the answers clients give to server→client requests. Default: true. */
  readonly validateAnswers?: boolean;
  /** Refuse clients that announce another contract or major version (`?iocontract=name@x.y.z`). Default: true. */
  readonly checkContractVersion?: boolean;
  /**
   * Called for every error the client does not get to see in full: a handler that threw something other than
   * a contract error, an invalid ack or outgoing payload. Default: `console.error`.
   */
  readonly onError?: (error: unknown, info: ErrorInfo) => void;
}

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

/** Everything for one namespace, built once. */
class NamespaceRuntime {
  readonly spec: NamespaceSpec;
  readonly nsp: Namespace;
  readonly handlers: Record<string, unknown>;
  readonly inbound = new Map<string, EventSpec & { readonly handler: (...args: unknown[]) => unknown }>();
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
    for (const ev of spec.clientToServer) {
      const fn = this.handlers[ev.method];
      if (typeof fn !== "function") {
        throw new Error(`iocontract: ${ev.label}: the handler object has no method ${ev.method}()`);
      }
      this.inbound.set(ev.wire, { ...ev, handler: fn.bind(handlers) as (...args: unknown[]) => unknown });
    }
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
                rt.checkOutgoing(ev, payload);
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
    const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (answer: unknown) => void) : undefined;
    const ev = typeof event === "string" ? this.inbound.get(event) : undefined;
    if (ev === undefined) {
      const name = typeof event === "string" ? event : String(event);
      return this.reply(socket, name, ack, {
        code: WireErrorCode.UNKNOWN_EVENT,
        message: `${this.spec.contractName} ${this.spec.path}: unknown event ${JSON.stringify(name)}`,
      });
    }
    const ctx = socket[kContext];
    if (ctx === undefined) {
      // Every connection goes through admit() (even a recovered one: see ServerRuntime); never drop silently.
      this.server.report(new Error(`${ev.label}: a socket without a context sent an event`), { namespace: this.spec.path, event: ev.wire, sid: socket.id });
      return this.reply(socket, ev.wire, ack, { code: WireErrorCode.HANDLER_FAILED, message: `${ev.label}: the handler failed` });
    }
    let result: unknown;
    try {
      if (ev.payload === undefined) {
        if (args.length !== 0) return this.invalid(socket, ev, ack, single(`expected no payload, got ${args.length} argument(s)`));
        result = ev.handler(ctx);
      } else {
        if (args.length > 1) return this.invalid(socket, ev, ack, single(`expected 1 payload argument, got ${args.length}`));
        // No argument is the payload `undefined` (JSON cannot carry it): valid only if the schema accepts it.
        const checked = ev.checkPayload!(args[0]);
        if (!checked.ok) return this.invalid(socket, ev, ack, args.length === 0 ? single("a payload is required") : checked);
        result = ev.handler(checked.value, ctx);
      }
    } catch (error) {
      return this.failed(socket, ev, ack, error);
    }
    if (isThenable(result)) void this.awaitHandler(socket, ev, ack, result);
    else this.answer(socket, ev, ack, result);
  }

  /** Awaits an async handler, then answers (no closures per message). Never rejects. */
  private async awaitHandler(socket: Socket, ev: EventSpec, ack: ((a: unknown) => void) | undefined, result: PromiseLike<unknown>): Promise<void> {
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
    }
  }

  private invalid(socket: Socket, ev: EventSpec, ack: ((a: unknown) => void) | undefined, checked: { issues: Issue[]; total: number }): void {
    this.reply(socket, ev.wire, ack, {
      code: WireErrorCode.REQUEST_INVALID,
      message: `${ev.label}: ${formatIssues(checked.issues, undefined, checked.total)}`,
      details: issueDetails(checked),
    });
  }

  private answer(socket: Socket, ev: EventSpec, ack: ((a: unknown) => void) | undefined, value: unknown): void {
    if (ack === undefined) return;
    if (ev.ack === undefined) return ack({ ok: true, data: null } satisfies AckEnvelope<null>);
    if (this.server.validateOutgoing) {
      const checked = ev.checkAck!(value);
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
    return error.code === WireErrorCode.UNAUTHORIZED || error.code === WireErrorCode.RATE_LIMITED || error.code === WireErrorCode.CONTRACT_MISMATCH;
  }

  /** Answers through the ack when there is one, else with the reserved error event. */
  private reply(socket: Socket, event: string, ack: ((a: unknown) => void) | undefined, error: WireError): void {
    if (ack !== undefined) {
      ack({ ok: false, error } satisfies AckEnvelope<never>);
    } else {
      const payload: ErrorEventPayload = { event, ...error };
      socket.emit(ERROR_EVENT, payload);
    }
  }

  // ---- outbound ----

  checkOutgoing(ev: EventSpec, payload: unknown): void {
    if (!this.server.validateOutgoing || ev.payload === undefined) return;
    const checked = ev.checkPayload!(payload);
    if (!checked.ok) {
      throw new IocontractError(WireErrorCode.REQUEST_INVALID, `${ev.label}: cannot send: ${formatIssues(checked.issues, undefined, checked.total)}`, {
        details: issueDetails(checked),
        event: ev.wire,
      });
    }
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
    this.checkOutgoing(ev, payload);
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
class Broadcast {
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
class Context {
  private emitter: object | undefined;
  private requester: object | undefined;
  private handshakeView: object | undefined;
  private hasSession = false;
  /**
   * What `connect` sends to this socket (emits, requests) before Socket.IO has sent the client its CONNECT
   * packet. Sent right after it, so every client (not only those that buffer early events) receives them in
   * order. `undefined` once connected.
   */
  pending: Array<() => void> | undefined = [];
  /** Rejecters of `ctx.request` calls waiting for an answer; undefined once disconnected. */
  private inflight: Set<() => void> | undefined = new Set();

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
  get handshake(): object {
    const h = this.socket.handshake;
    return (this.handshakeView ??= { auth: this.auth, headers: h.headers, query: h.query, address: h.address, time: h.time, secure: h.secure, url: h.url });
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
  /** Registers an in-flight request; false when the socket is already gone. */
  track(abort: () => void): boolean {
    if (this.inflight === undefined) return false;
    this.inflight.add(abort);
    return true;
  }
  untrack(abort: () => void): void {
    this.inflight?.delete(abort);
  }
  abortRequests(): void {
    const inflight = this.inflight;
    this.inflight = undefined;
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
  to(room: string | string[]): Broadcast {
    return new Broadcast(this.rt, this.socket.to(room) as unknown as Operator);
  }
  except(room: string | string[]): Broadcast {
    return new Broadcast(this.rt, this.socket.except(room) as unknown as Operator);
  }
  /** `throw ctx.error("NOT_IN_ROOM", { room })`. */
  error(code: string, details?: unknown, message?: string): ContractError {
    return new ContractError(code, message ?? code.toLowerCase().replaceAll("_", " "), details === undefined ? {} : { details });
  }
  /** `throw ctx.refuse("UNAUTHORIZED", "bad token")` from `connect`. */
  refuse(code: string, message?: string, details?: unknown): ContractError {
    return this.error(code, details, message ?? "connection refused");
  }
  disconnect(): void {
    this.socket.disconnect(true);
  }
}

/** The per-namespace server API: `emit`, `to`, `send`, `enterRoom`... */
class NamespaceApi {
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
    this.rt.checkOutgoing(ev, payload);
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
  readonly checkContractVersion: boolean;
  private readonly onError: (error: unknown, info: ErrorInfo) => void;
  readonly httpServer: http.Server | import("node:https").Server;
  readonly ownsHttpServer: boolean;
  readonly namespaces: Record<string, NamespaceApi> = {};

  constructor(spec: RuntimeSpec, options: ServerOptions) {
    this.validateOutgoing = options.validateOutgoing ?? true;
    this.validateAnswers = options.validateAnswers ?? true;
    this.checkContractVersion = options.checkContractVersion ?? true;
    this.onError =
      options.onError ??
      ((error, info) => {
        console.error(`iocontract: ${spec.contract.name} ${info.namespace} ${JSON.stringify(info.event)} (sid ${info.sid ?? "-"}):`, error);
      });
    this.ownsHttpServer = options.httpServer === undefined;
    this.httpServer = options.httpServer ?? http.createServer();
    const ioOptions: Partial<IoServerOptions> = { ...options.socketio };
    if (options.adapter !== undefined) ioOptions.adapter = options.adapter;
    // A recovered connection must go through admit() like any other (auth, context, connect handler):
    // socket.io skips middlewares for it unless told otherwise.
    if (ioOptions.connectionStateRecovery) {
      ioOptions.connectionStateRecovery = { ...ioOptions.connectionStateRecovery, skipMiddlewares: false };
    }
    this.io = new Server(this.httpServer, ioOptions);
    for (const path of Object.keys(spec.namespaces)) {
      const handlers = (options.handlers as Record<string, unknown>)[path];
      if (typeof handlers !== "object" || handlers === null) {
        throw new Error(`iocontract: ${spec.contract.name}: no handlers for namespace ${JSON.stringify(path)}`);
      }
      this.namespaces[path] = new NamespaceApi(new NamespaceRuntime(this, resolveNamespace(spec, path), handlers));
    }
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
export interface RuntimeServer {
  readonly io: Server;
  readonly httpServer: http.Server | import("node:https").Server;
  readonly namespaces: Readonly<Record<string, NamespaceApi>>;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

export function createServer(spec: RuntimeSpec, options: ServerOptions): RuntimeServer {
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
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        rt.httpServer.once("error", onError);
        rt.httpServer.listen(port, host, () => {
          rt.httpServer.off("error", onError);
          resolve(rt.httpServer.address() as AddressInfo);
        });
      });
    },
    close(): Promise<void> {
      return new Promise((resolve, reject) => {
        rt.io.close((error) => {
          if (error && (error as NodeJS.ErrnoException).code !== "ERR_SERVER_NOT_RUNNING") reject(error);
          else resolve();
        });
      });
    },
  };
  for (const [key, value] of Object.entries(own)) {
    Object.defineProperty(server, key, { value, enumerable: true });
  }
  return server;
}

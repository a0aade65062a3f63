/**
 * What a handler receives: one {@link Context} per connection, made by admission (./admission.ts) and hung on
 * the socket. It reads the handshake and session, sends to this socket and selections, and holds the
 * connection's own state: its rate-limit buckets (./rate-limit.ts), its waiting requests (./requests.ts) and
 * what `connect` sent before the client was connected ({@link PendingSends}).
 */
import type { Namespace, Socket } from "socket.io";
import type { ResolvedNamespace } from "../spec";
import { issueDetails } from "../spec";
import { CONTRACT_QUERY_KEY, IocontractError, WireErrorCode, formatIssues, parseContractTag } from "../wire";
import { over } from "../targets";
import type { AnyServerNamespaceTypes, Context as ContextApi, Handshake } from "../server-api";
import { type AckTarget, Broadcast, type EmitTarget, type Operator, type Outbound } from "./outbound";
import { RateLimiter, type RateLimitSlot } from "./rate-limit";
import { RequestTracker } from "./requests";

const kContext = Symbol("iocontract.context");

/** The context admission hung on this socket, if any. */
export function contextOf(socket: Socket): Context | undefined {
  return (socket as Socket & { [kContext]?: Context })[kContext];
}

/** What a context needs of its namespace. */
export interface ContextHost {
  readonly spec: ResolvedNamespace;
  readonly nsp: Namespace;
  readonly outbound: Outbound;
  /** The namespace's rate-limited events (one bucket each per connection). */
  readonly rateLimits: readonly RateLimitSlot[];
}

/**
 * What `connect` sends to its socket (emits, requests) before Socket.IO has sent the client its CONNECT packet.
 * Sent right after it ({@link flush}), so every client (not only those that buffer early events) receives them
 * in order.
 */
class PendingSends {
  private queue: Array<() => void> | undefined = [];
  get open(): boolean {
    return this.queue !== undefined;
  }
  /** Sends now once connected, else later. */
  run(send: () => void): void {
    if (this.queue === undefined) send();
    else this.queue.push(send);
  }
  flush(): void {
    const queue = this.queue;
    this.queue = undefined;
    for (const send of queue ?? []) send();
  }
  /** A target that sends through {@link run}. */
  target(socket: Socket): EmitTarget & AckTarget {
    return {
      emit: (event: string, ...args: unknown[]) => {
        this.run(() => socket.emit(event, ...args));
        return true;
      },
      timeout: (ms: number) => ({
        emit: (event: string, ...args: unknown[]) => {
          this.run(() => socket.timeout(ms).emit(event, ...(args as [])));
          return true;
        },
      }),
    };
  }
}

/** What a handler receives: one per connection. */
export class Context implements ContextApi<AnyServerNamespaceTypes> {
  private emitter: object | undefined;
  private requester: object | undefined;
  private handshakeView: Handshake<unknown> | undefined;
  private hasSession = false;
  private readonly pending = new PendingSends();
  private limiter: RateLimiter | undefined;
  /** This connection's waiting `ctx.request` calls. */
  readonly requests = new RequestTracker();
  /** This connection's identity in the idempotency store (from its first key). */
  keyHolder: string | undefined;

  constructor(
    private readonly host: ContextHost,
    readonly socket: Socket,
    readonly auth: unknown,
  ) {
    (socket as Socket & { [kContext]?: Context })[kContext] = this;
  }
  get sid(): string {
    return this.socket.id;
  }
  get namespace(): string {
    return this.host.spec.path;
  }
  get handshake(): Handshake<unknown> {
    const h = this.socket.handshake;
    const tag = h.query[CONTRACT_QUERY_KEY];
    const contractVersion = typeof tag === "string" ? parseContractTag(tag)?.version : undefined;
    return (this.handshakeView ??= {
      auth: this.auth,
      headers: h.headers,
      query: h.query,
      address: h.address,
      time: h.time,
      secure: h.secure,
      url: h.url,
      contractVersion,
    });
  }
  get connected(): boolean {
    return this.socket.connected;
  }
  get session(): unknown {
    return this.hasSession ? this.socket.data : undefined;
  }
  setSession(value: unknown): void {
    const spec = this.host.spec;
    if (spec.checkSocketData !== undefined) {
      const checked = spec.checkSocketData(value);
      if (!checked.ok) {
        throw new IocontractError(
          WireErrorCode.REQUEST_INVALID,
          `${spec.contractName} ${spec.path}: session data invalid: ${formatIssues(checked.issues, "(session)", checked.total)}`,
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
    const checkSocketData = this.host.spec.checkSocketData;
    this.hasSession =
      checkSocketData !== undefined
        ? checkSocketData(data).ok
        : typeof data === "object" && data !== null && Object.keys(data).length > 0;
  }
  /** Called once Socket.IO has connected the socket: sends what `connect` emitted to it. */
  flush(): void {
    this.emitter = undefined;
    this.requester = undefined;
    this.pending.flush();
  }
  /** Takes a token for a rate-limited event: 0 when allowed, else how many ms until one is free. */
  take(limit: RateLimitSlot): number {
    return (this.limiter ??= new RateLimiter(this.host.rateLimits)).take(limit, performance.now());
  }
  /** Until connected, sends through the pending queue; then straight to the socket. */
  private target(): EmitTarget & AckTarget {
    return this.pending.open ? this.pending.target(this.socket) : this.socket;
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
    return (this.emitter ??= over<object>(this.host.outbound.emitProto, this.target()));
  }
  /** Ask this socket; resolves with its typed answer, rejects DISCONNECTED if it goes first. */
  get request(): object {
    return (this.requester ??= over<object>(
      this.host.outbound.singleRequestProto,
      this.target(),
      undefined,
      this.requests,
    ));
  }
  /** To every other socket of the namespace. */
  get broadcast(): Broadcast {
    return new Broadcast(this.host.outbound, this.socket.broadcast as unknown as Operator);
  }
  /**
   * To rooms (or sids), the sender included when it is in them (python-socketio's `room=`): a namespace-wide
   * selection, not socket.io's `socket.to`, which always leaves the sender out. `.except(ctx.sid)` skips it.
   */
  to(room: string | string[]): Broadcast {
    return new Broadcast(this.host.outbound, this.host.nsp.to(room) as unknown as Operator);
  }
  /** To every socket but these rooms (or sids), the sender left out too (like {@link broadcast}). */
  except(room: string | string[]): Broadcast {
    return new Broadcast(this.host.outbound, this.socket.except(room) as unknown as Operator);
  }
  /** `throw ctx.error("NOT_IN_ROOM", { room })`. */
  error<Code extends string>(code: Code, details?: unknown, message?: string): IocontractError<Code> {
    return new IocontractError(
      code,
      message ?? code.toLowerCase().replaceAll("_", " "),
      details === undefined ? {} : { details },
    );
  }
  /** `throw ctx.refuse("UNAUTHORIZED", "bad token")` from `connect`. */
  refuse<Code extends string>(code: Code, message?: string, details?: unknown): IocontractError<Code> {
    return this.error(code, details, message ?? "connection refused");
  }
  disconnect(): void {
    this.socket.disconnect(true);
  }
}

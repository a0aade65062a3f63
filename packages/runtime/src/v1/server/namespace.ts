/**
 * One namespace of the contract, wired once at start-up: its inbound table (handler bound, rate limit
 * resolved), its senders (./outbound.ts), admission as the namespace's middleware (./admission.ts), dispatch on
 * every event (./dispatch.ts), inter-server events (../inter-server.ts); and {@link NamespaceApi}, what the
 * application uses outside handlers (`server.emit`, `server.to(room)`, `server.send`...).
 */
import type { Namespace, Socket } from "socket.io";
import type { DedupeStore } from "../dedupe";
import type { RefusalBudget } from "../limits";
import { type ResolvedEvent, type ResolvedNamespace, type Validator, isThenable } from "../spec";
import type { WireError } from "../wire";
import { sendableError } from "../errors";
import { attachInterServer } from "../inter-server";
import { over } from "../targets";
import type { AnyServerNamespaceTypes, ServerNamespace } from "../server-api";
import type { ErrorInfo } from "./options";
import { admit, refusal } from "./admission";
import { Context, contextOf } from "./context";
import { Dispatcher, type InboundEvent } from "./dispatch";
import { Broadcast, type Operator, Outbound } from "./outbound";
import { type RateLimitSlot, rateLimitSlot } from "./rate-limit";
import type { Shutdown } from "./shutdown";

/** What a namespace needs of the server. */
export interface NamespaceHost {
  readonly validateOutgoing: boolean;
  readonly validateAnswers: boolean;
  readonly validatesIncoming: (namespace: string) => boolean;
  readonly checkContractVersion: boolean;
  readonly invalidEventBudget: Required<RefusalBudget> | undefined;
  readonly dedupe: DedupeStore | undefined;
  /** Draining, and the count of running handlers (./shutdown.ts). */
  readonly shutdown: Pick<Shutdown, "draining" | "track">;
  report(error: unknown, info: ErrorInfo): void;
}

/** The validator of `validateIncoming: false`. */
const acceptAny: Validator = (value) => ({ ok: true, value });

function noop(): void {}

/** Everything for one namespace, built once. */
export class NamespaceRuntime {
  readonly inbound = new Map<string, InboundEvent>();
  readonly rateLimits: RateLimitSlot[] = [];
  readonly outbound: Outbound;
  /** Methods `serverSideEmit.<event>(payload)` over a Namespace (inter-server events, see ../inter-server.ts). */
  readonly serverSideProto: object;
  readonly handlers: Record<string, unknown>;

  constructor(
    private readonly server: NamespaceHost,
    readonly spec: ResolvedNamespace,
    readonly nsp: Namespace,
    handlers: object,
  ) {
    this.handlers = handlers as Record<string, unknown>;
    for (const ev of spec.clientToServer) {
      const fn = this.handlers[ev.method];
      if (typeof fn !== "function") {
        throw new Error(`iocontract: ${ev.label}: the handler object has no method ${ev.method}()`);
      }
      const checkPayload =
        server.validatesIncoming(spec.path) || ev.checkPayload === undefined ? ev.checkPayload : acceptAny;
      const limit = ev.def?.rateLimit;
      let rateLimit: RateLimitSlot | undefined;
      if (limit !== undefined) this.rateLimits.push((rateLimit = rateLimitSlot(limit, this.rateLimits.length)));
      const keyPrefix = `${spec.path}\u0000${ev.wire}\u0000`;
      this.inbound.set(ev.wire, {
        ...ev,
        checkPayload,
        rateLimit,
        keyPrefix,
        handler: fn.bind(handlers) as (...args: unknown[]) => unknown,
      });
    }
    this.outbound = new Outbound({
      spec,
      validateOutgoing: server.validateOutgoing,
      validateAnswers: server.validateAnswers,
    });
    this.serverSideProto = attachInterServer({
      spec,
      nsp,
      handlers: this.handlers,
      args: (ev, payload) => this.outbound.args(ev, payload),
      report: (error, info) => server.report(error, info),
    });
    const rt = this;
    const dispatcher = new Dispatcher({
      spec,
      inbound: this.inbound,
      validateOutgoing: server.validateOutgoing,
      invalidEventBudget: server.invalidEventBudget,
      dedupe: server.dedupe,
      contextOf,
      shutdown: server.shutdown,
      wireErrorOf: (error) => rt.wireErrorOf(error),
      report: (error, info) => server.report(error, info),
    });
    const admission = {
      spec,
      handlers: this.handlers,
      checkContractVersion: server.checkContractVersion,
      shutdown: server.shutdown,
      newContext: (socket: Socket, auth: unknown) => new Context(this, socket, auth),
      wireErrorOf: (error: unknown) => this.wireErrorOf(error),
      report: (error: unknown, info: ErrorInfo) => server.report(error, info),
    };
    const onAny = function (this: Socket, event: unknown, ...args: unknown[]) {
      try {
        dispatcher.dispatch(this, event, args);
      } catch (error) {
        // dispatch() catches what handlers throw; this is the last line so that nothing reaches socket.io.
        server.report(error, { namespace: spec.path, event: String(event), sid: this.id });
      }
    };
    const onDisconnect = function (this: Socket, reason: string) {
      rt.disconnected(this, reason);
    };
    nsp.use((socket, next) => {
      admit(admission, socket).then(
        () => next(),
        (error: unknown) => next(refusal(admission, socket, error)),
      );
    });
    nsp.on("connection", (socket: Socket) => {
      contextOf(socket)?.flush();
      socket.onAny(onAny);
      socket.on("disconnect", onDisconnect);
      // A client may emit an event named "error"; without a listener Node's EventEmitter would throw.
      socket.on("error", noop);
    });
  }

  /** The wire form of a thrown value that may travel to the client (../errors.ts), else undefined. */
  wireErrorOf(error: unknown): WireError | undefined {
    const spec = this.spec;
    return sendableError(error, spec.errors, this.server.validateOutgoing, (message, err) =>
      this.server.report(new Error(`${spec.contractName} ${spec.path}: ${message}`), {
        namespace: spec.path,
        event: err.event ?? "",
        sid: undefined,
      }),
    );
  }

  private disconnected(socket: Socket, reason: string): void {
    const ctx = contextOf(socket);
    ctx?.requests.abortAll();
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
}

/** The per-namespace server API: `emit`, `to`, `send`, `enterRoom`... */
export class NamespaceApi implements ServerNamespace<AnyServerNamespaceTypes> {
  private emitter: object | undefined;
  private requester: object | undefined;
  private serverSide: object | undefined;
  constructor(private readonly rt: NamespaceRuntime) {}
  /** To the other server nodes (the contract's `serverToServer` events); does nothing with the in-memory adapter. */
  get serverSideEmit(): object {
    return (this.serverSide ??= over<object>(this.rt.serverSideProto, this.rt.nsp));
  }
  /** The typed socket.io `Namespace`, as an escape hatch. */
  get nsp(): Namespace {
    return this.rt.nsp;
  }
  get emit(): object {
    return (this.emitter ??= over<object>(this.rt.outbound.emitProto, this.rt.nsp));
  }
  get request(): object {
    return (this.requester ??= over<object>(this.rt.outbound.broadcastRequestProto, this.rt.nsp));
  }
  to(room: string | string[]): Broadcast {
    return new Broadcast(this.rt.outbound, this.rt.nsp.to(room) as unknown as Operator);
  }
  in(room: string | string[]): Broadcast {
    return this.to(room);
  }
  except(room: string | string[]): Broadcast {
    return new Broadcast(this.rt.outbound, this.rt.nsp.except(room) as unknown as Operator);
  }
  /** One socket by id (on any node): `emit` to it, or `request` one answer from it. */
  socket(sid: string): { emit: object; request: object } {
    const op = this.rt.nsp.to(sid);
    return { emit: over(this.rt.outbound.emitProto, op), request: over(this.rt.outbound.singleRequestProto, op, sid) };
  }
  /** python-socketio's `send()`: the `message` event, to everyone or to `to` (rooms or sids), minus `except`. */
  send(payload: unknown, options?: { to?: string | string[]; except?: string | string[] }): void {
    const ev: ResolvedEvent | undefined = this.rt.outbound.messageEvent;
    if (ev === undefined) {
      throw new Error(
        `iocontract: ${this.rt.spec.contractName} ${this.rt.spec.path} has no server→client "message" event`,
      );
    }
    let op = this.rt.nsp as unknown as Operator;
    if (options?.to !== undefined) op = op.to(options.to);
    if (options?.except !== undefined) op = op.except(options.except);
    op.emit(ev.wire, ...this.rt.outbound.args(ev, payload));
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

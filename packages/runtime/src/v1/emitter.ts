/**
 * The typed emitter for processes that run no socket server (a worker, a cron job, an HTTP handler): generated
 * `create<Name>Emitter(emitter)` calls {@link createEmitter} over a `@socket.io/redis-emitter` Emitter (or anything
 * shaped like one). Fire-and-forget server→client events to namespaces and rooms, and inter-server events;
 * every payload is validated against the contract before it leaves, and an invalid one throws an
 * IocontractError naming the contract, the namespace, the event and the field.
 *
 * No Redis import here: the Emitter is given (see `createRedisEmitter` in ./redis for one made from a URL).
 */
import { type EventSpec, type NamespaceSpec, type RuntimeSpec, issueDetails, resolveNamespace } from "./spec";
import { IocontractError, WireErrorCode, formatIssues } from "./wire";

export { IocontractError } from "./wire";
export type { RuntimeSpec } from "./spec";

/** A room selection of `@socket.io/redis-emitter` (its BroadcastOperator). */
export interface SocketIoBroadcastLike {
  to(room: string | string[]): SocketIoBroadcastLike;
  except(room: string | string[]): SocketIoBroadcastLike;
  emit(event: string, ...args: unknown[]): unknown;
}

/** What the emitter needs of `@socket.io/redis-emitter`'s `Emitter` (5.x). */
export interface SocketIoEmitterLike extends SocketIoBroadcastLike {
  of(namespace: string): SocketIoEmitterLike;
  serverSideEmit(event: string, ...args: unknown[]): unknown;
}

interface NamespaceEmitter {
  readonly emitProto: object;
  readonly serverSideProto: object;
}

function sendable(ev: EventSpec, payload: unknown): unknown[] {
  if (ev.payload === undefined) return [];
  const checked = (ev.encodePayload ?? ev.checkPayload)!(payload);
  if (!checked.ok) {
    throw new IocontractError(WireErrorCode.REQUEST_INVALID, `${ev.label}: cannot send: ${formatIssues(checked.issues, undefined, checked.total)}`, {
      details: issueDetails(checked),
      event: ev.wire,
    });
  }
  // JSON cannot carry `undefined`: it travels as no argument (as the server does).
  if (ev.encodePayload) payload = checked.value;
  return payload === undefined ? [] : [payload];
}

function buildNamespace(spec: NamespaceSpec): NamespaceEmitter {
  const emitProto: Record<string, unknown> = {};
  // Requests (events with an ack) need a live server to collect the answers: the emitter has none.
  for (const ev of spec.serverToClient.filter((e) => e.ack === undefined)) {
    emitProto[ev.method] = function (this: { target: SocketIoBroadcastLike }, payload?: unknown) {
      this.target.emit(ev.wire, ...sendable(ev, payload));
    };
  }
  const serverSideProto: Record<string, unknown> = {};
  for (const ev of spec.serverToServer) {
    serverSideProto[ev.method] = function (this: { target: SocketIoEmitterLike }, payload?: unknown) {
      this.target.serverSideEmit(ev.wire, ...sendable(ev, payload));
    };
  }
  return { emitProto, serverSideProto };
}

function over<T>(proto: object, target: unknown): T {
  const obj = Object.create(proto) as { target: unknown };
  obj.target = target;
  return obj as T;
}

/** A selection of sockets: `to(room).except(sid).emit.x(payload)`. */
class Selection {
  constructor(
    private readonly ns: NamespaceEmitter,
    private readonly op: SocketIoBroadcastLike,
  ) {}
  get emit(): object {
    return over(this.ns.emitProto, this.op);
  }
  to(room: string | readonly string[]): Selection {
    return new Selection(this.ns, this.op.to(room as string[]));
  }
  in(room: string | readonly string[]): Selection {
    return this.to(room);
  }
  except(room: string | readonly string[]): Selection {
    return new Selection(this.ns, this.op.except(room as string[]));
  }
}

/** One namespace: emit to all of it, select rooms, tell the server nodes. */
class NamespaceTarget extends Selection {
  constructor(
    private readonly nsEmitter: NamespaceEmitter,
    private readonly emitter: SocketIoEmitterLike,
    private readonly all: EmitterRoot,
  ) {
    super(nsEmitter, emitter);
  }
  get serverSideEmit(): object {
    return over(this.nsEmitter.serverSideProto, this.emitter);
  }
  of(path: string): NamespaceTarget {
    return this.all.of(path);
  }
}

class EmitterRoot {
  private readonly targets = new Map<string, NamespaceTarget>();
  constructor(
    private readonly spec: RuntimeSpec,
    private readonly emitter: SocketIoEmitterLike,
  ) {}
  of(path: string): NamespaceTarget {
    let target = this.targets.get(path);
    if (target === undefined) {
      if (this.spec.namespaces[path] === undefined) {
        throw new Error(
          `iocontract: contract ${JSON.stringify(this.spec.contract.name)} has no namespace ${JSON.stringify(path)} (it has ${Object.keys(this.spec.namespaces)
            .map((p) => JSON.stringify(p))
            .join(", ")})`,
        );
      }
      // The Emitter given is for "/": `of()` gives the emitter of another namespace.
      const emitter = path === "/" ? this.emitter : this.emitter.of(path);
      target = new NamespaceTarget(buildNamespace(resolveNamespace(this.spec, path)), emitter, this);
      this.targets.set(path, target);
    }
    return target;
  }
}

/**
 * The object generated `create<Name>Emitter()` returns (typed there): the root namespace's target when the
 * contract has "/", with `of(path)` for every namespace.
 */
export function createEmitter<E extends object = object>(spec: RuntimeSpec, emitter: SocketIoEmitterLike): E {
  if (typeof emitter !== "object" || emitter === null || typeof emitter.of !== "function" || typeof emitter.emit !== "function") {
    throw new Error("iocontract: create…Emitter() takes a @socket.io/redis-emitter Emitter (new Emitter(redisClient))");
  }
  const root = new EmitterRoot(spec, emitter);
  // `E` is the generated `<Name>Emitter`, from the same generated file as `spec`.
  if (spec.namespaces["/"] !== undefined) return root.of("/") as unknown as E;
  return { of: (path: string) => root.of(path) } as unknown as E;
}

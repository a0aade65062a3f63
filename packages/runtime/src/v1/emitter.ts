/**
 * The typed emitter for processes that run no socket server (a worker, a cron job, an HTTP handler): generated
 * `create<Name>Emitter(emitter)` calls {@link createEmitter} over a `@socket.io/redis-emitter` Emitter (or anything
 * shaped like one). Fire-and-forget server→client events to namespaces and rooms, and inter-server events;
 * every payload is validated against the contract before it leaves, and an invalid one throws an
 * IocontractError naming the contract, the namespace, the event and the field.
 *
 * No Redis import here: the Emitter is given (see `createRedisEmitter` in ./redis for one made from a URL).
 */
import { type ResolvedEvent, type ResolvedNamespace, type RuntimeSpec, payloadArgs, resolveNamespace } from "./spec";
import { over } from "./targets";

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

/** What a payload travels as: always validated here (./spec.ts `payloadArgs`, the rule every sender follows). */
function sendable(ev: ResolvedEvent, payload: unknown): unknown[] {
  return payloadArgs(ev, payload, "cannot send: ");
}

function buildNamespace(spec: ResolvedNamespace): NamespaceEmitter {
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

/** A selection of sockets: `to(room).except(sid).emit.x(payload)` (the server's `Broadcast`, without requests). */
class Broadcast {
  constructor(
    private readonly ns: NamespaceEmitter,
    private readonly op: SocketIoBroadcastLike,
  ) {}
  get emit(): object {
    return over(this.ns.emitProto, this.op);
  }
  to(room: string | readonly string[]): Broadcast {
    return new Broadcast(this.ns, this.op.to(room as string[]));
  }
  in(room: string | readonly string[]): Broadcast {
    return this.to(room);
  }
  except(room: string | readonly string[]): Broadcast {
    return new Broadcast(this.ns, this.op.except(room as string[]));
  }
}

/** One namespace: emit to all of it, select rooms, tell the server nodes. */
class NamespaceTarget extends Broadcast {
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
          `iocontract: contract ${JSON.stringify(this.spec.contract.name)} has no namespace ${JSON.stringify(path)} (it has ${Object.keys(
            this.spec.namespaces,
          )
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
  if (
    typeof emitter !== "object" ||
    emitter === null ||
    typeof emitter.of !== "function" ||
    typeof emitter.emit !== "function"
  ) {
    throw new Error("iocontract: create…Emitter() takes a @socket.io/redis-emitter Emitter (new Emitter(redisClient))");
  }
  const root = new EmitterRoot(spec, emitter);
  // `E` is the generated `<Name>Emitter`, from the same generated file as `spec`.
  if (spec.namespaces["/"] !== undefined) return root.of("/") as unknown as E;
  return { of: (path: string) => root.of(path) } as unknown as E;
}

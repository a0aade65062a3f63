/**
 * The server under fuzz, in its own process (run with `node --conditions=iocontract-source --import tsx
 * --expose-gc`): one generated server per fixture contract, with a recording handler for every client→server
 * event. It tells its parent (IPC):
 * - `ready` with the port of each fixture's server;
 * - `problem` for anything that must never happen: an onError report (the handlers never throw), an uncaught
 *   exception or unhandled rejection, anything logged with console.error/warn, a handler receiving data that
 *   the raw arguments do not justify (an oracle independent of the sender's), a polluted Object.prototype, or
 *   a payload object with a foreign prototype;
 * - `heap` figures (after a full GC) when asked.
 *
 * Each handler call is reported to the caller itself, on the same connection, as the raw Socket.IO event
 * `fuzz:call` `{ event, digest }`: it is sent before the handler's ack, so the fuzzer sees it in order.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { safeParse } from "zod/v4/core";
// The model alone (not the package index, which loads ts-morph: seconds of start-up in every child).
import { buildModel } from "../../../codegen/src/model";
import type { RuntimeServer } from "@iocontract/runtime/v1/server";
import type { Socket } from "socket.io";
import { FIXTURES, type FixtureEvent } from "./fixtures";
import { CALL_EVENT, type ChildMessage, type ParentMessage } from "./protocol";
import { digest } from "./wire";
import { hasPollutionKey } from "./pollution";

/** Key of the idempotency argument the runtime may accept before the ack (issue 3, delivery). */
const IDEMPOTENCY_KEY = "iocontract:key";

function send(message: ChildMessage): void {
  process.send?.(message);
}
function problem(kind: string, message: string): void {
  send({ type: "problem", kind, message: message.slice(0, 2000) });
}

process.on("uncaughtException", (error) => {
  problem("uncaughtException", String(error instanceof Error ? error.stack : error));
  process.exitCode = 70;
  setTimeout(() => process.exit(70), 100);
});
process.on("unhandledRejection", (error) =>
  problem("unhandledRejection", String(error instanceof Error ? error.stack : error)),
);
for (const level of ["error", "warn"] as const) {
  console[level] = (...args: unknown[]) =>
    problem(`console.${level}`, args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" "));
}

const protoKeys = Object.getOwnPropertyNames(Object.prototype).length;
const allowedProtos = new Set<unknown>([
  Object.prototype,
  Array.prototype,
  null,
  Buffer.prototype,
  Uint8Array.prototype,
]);

/**
 * Handler payloads that carried a prototype-pollution key somewhere: an own `__proto__`, or `constructor` /
 * `prototype` holding an object (docs/reliability.md; `{ constructor: "a word" }` is plain data). Must stay 0.
 */
let pollutionKeyPayloads = 0;

/** First object in `value` whose prototype is not a plain one, as a path; undefined when there is none. */
function foreignPrototype(value: unknown, path = "(payload)", depth = 0): string | undefined {
  if (typeof value !== "object" || value === null || depth > 200) return undefined;
  if (!allowedProtos.has(Object.getPrototypeOf(value))) return path;
  if (value instanceof Uint8Array) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const found = foreignPrototype(v, `${path}.${k}`, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** What socket.io gave the runtime for the latest events of each socket (seen before the runtime's own onAny). */
const lastRaw = new WeakMap<Socket, Array<{ event: unknown; args: unknown[] }>>();
const RECENT = 16;

function stripExtras(args: unknown[]): unknown[] {
  const rest = [...args];
  if (typeof rest[rest.length - 1] === "function") rest.pop();
  const last = rest[rest.length - 1];
  if (
    typeof last === "object" &&
    last !== null &&
    !Array.isArray(last) &&
    Object.keys(last).length === 1 &&
    IDEMPOTENCY_KEY in last
  )
    rest.pop();
  return rest;
}

/** Why these raw arguments justify a handler call with `payload`; undefined when they do. */
function unjustified(ev: FixtureEvent, rawArgs: unknown[], payload: unknown): string | undefined {
  const rest = stripExtras(rawArgs);
  if (ev.payload === undefined)
    return rest.length === 0
      ? undefined
      : `the handler ran for ${rest.length} argument(s) on an event without a payload`;
  if (rest.length > 1) return `the handler ran for ${rest.length} arguments`;
  let parsed: ReturnType<typeof safeParse> | undefined;
  try {
    parsed = safeParse(ev.payload, rest[0]);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !parsed.success)
    return `INVALID DATA REACHED THE HANDLER: ${JSON.stringify(rest[0])?.slice(0, 500)}`;
  if (digest(parsed.data) !== digest(payload))
    return `the handler got something else than the parsed payload: ${JSON.stringify(payload)?.slice(0, 500)}`;
  return undefined;
}

function recorder(fixtureName: string, path: string, ev: FixtureEvent) {
  const label = `${fixtureName} ${path} ${JSON.stringify(ev.wire)}`;
  return (...handlerArgs: unknown[]) => {
    const ctx = handlerArgs[handlerArgs.length - 1] as { socket: Socket };
    const payload = ev.payload === undefined ? undefined : handlerArgs[0];
    // The latest raw event of this name on this socket that justifies the call (a runtime may defer handlers).
    const recent = lastRaw.get(ctx.socket) ?? [];
    let why: string | undefined = `the socket sent no raw event ${JSON.stringify(ev.wire)} recently`;
    for (let i = recent.length - 1; i >= 0 && why !== undefined; i--) {
      const raw = recent[i]!;
      if (raw.event === ev.wire) why = unjustified(ev, raw.args, payload);
    }
    if (why !== undefined) problem("oracle", `${label}: ${why}`);
    if (hasPollutionKey(payload)) pollutionKeyPayloads++;
    const foreign = foreignPrototype(payload);
    if (foreign !== undefined) problem("prototype", `${label}: ${foreign} has a foreign prototype`);
    if (Object.getOwnPropertyNames(Object.prototype).length !== protoKeys)
      problem("prototype", `${label}: Object.prototype was polluted`);
    ctx.socket.emit(CALL_EVENT, { event: ev.wire, digest: digest(payload) });
    return ev.ackValue;
  };
}

/**
 * `FUZZ_BREAK` makes this server wrong on purpose, so the fuzz suite can show that its judge catches it:
 * `unvalidated` also calls handlers with the raw, unvalidated payload; `silent` drops every `iocontract:error`.
 */
function breakServer(socket: Socket, record: Map<string, (...args: unknown[]) => unknown>): void {
  if (process.env.FUZZ_BREAK === "unvalidated") {
    socket.prependAny((event: unknown, ...args: unknown[]) => {
      const handler = typeof event === "string" ? record.get(event) : undefined;
      if (handler !== undefined && typeof args[0] !== "function") handler(args[0], { socket });
    });
  } else if (process.env.FUZZ_BREAK === "silent") {
    // The runtime writes iocontract:error with Socket#packet (not socket.emit: never kept for recovery).
    const target = socket as unknown as { packet(packet: { data?: unknown[] }, opts?: unknown): void };
    const packet = target.packet.bind(socket);
    target.packet = (p, opts) =>
      Array.isArray(p.data) && p.data[0] === "iocontract:error" ? undefined : packet(p, opts);
  }
}

const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const servers: RuntimeServer[] = [];
const ports: Record<string, number> = {};
for (const fx of FIXTURES) {
  const model = buildModel(fx.contract, "contract.ts");
  const handlers: Record<string, Record<string, unknown>> = {};
  for (const ns of model.namespaces) {
    const events = fx.namespaces.find((n) => n.path === ns.path)!.events;
    const h: Record<string, unknown> = {};
    for (const ev of ns.clientToServer)
      h[ev.ident] = recorder(fx.name, ns.path, events.find((e) => e.wire === ev.wire)!);
    handlers[ns.path] = h;
  }
  const server = fx.create({
    handlers,
    // The fuzzer sends thousands of refused events per connection on purpose, each judged on its own answer:
    // the per-socket budget of refused events (which would disconnect it) is proven by test/attacks/ instead.
    invalidEventBudget: false,
    // FUZZ_RECOVERY=1: with socket.io's connection-state recovery on (offsets appended, sessions kept).
    ...(process.env.FUZZ_RECOVERY === "1" ? { socketio: { connectionStateRecovery: {} } } : {}),
    onError: (error, info) =>
      problem(
        "onError",
        `${fx.name} ${info.namespace} ${JSON.stringify(info.event)}: ${error instanceof Error ? error.stack : String(error)}`,
      ),
  });
  for (const ns of fx.namespaces) {
    const record = new Map(ns.events.map((ev) => [ev.wire, recorder(fx.name, ns.path, ev)]));
    server.io.of(ns.path).on("connection", (socket: Socket) => {
      breakServer(socket, record);
      const recent: Array<{ event: unknown; args: unknown[] }> = [];
      lastRaw.set(socket, recent);
      socket.prependAny((event: unknown, ...args: unknown[]) => {
        recent.push({ event, args });
        if (recent.length > RECENT) recent.shift();
      });
    });
  }
  servers.push(server);
  ports[fx.name] = (await server.listen(0, "127.0.0.1")).port;
}

/**
 * Drops what socket.io's connection-state recovery keeps on purpose (sessions of disconnected clients and
 * packets to replay, both expired by its own timer within maxDisconnectionDuration + 60 s), so that a heap
 * measured right after a run shows what would stay for good.
 */
function dropRecoveryState(): void {
  for (const server of servers) {
    for (const nsp of (
      server.io as unknown as { _nsps: Map<string, { adapter: { sessions?: unknown; packets?: unknown } }> }
    )._nsps.values()) {
      if (nsp.adapter.sessions instanceof Map) nsp.adapter.sessions.clear();
      if (Array.isArray(nsp.adapter.packets)) nsp.adapter.packets.length = 0;
    }
  }
}

// The parent died (or closed the channel): never outlive it.
process.on("disconnect", () => process.exit(process.exitCode ?? 0));
process.on("message", (message: ParentMessage) => {
  if (message.type === "heap") {
    if (message.dropRecoveryState) dropRecoveryState();
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const mem = process.memoryUsage();
    const connections = servers.reduce((n, s) => n + s.io.engine.clientsCount, 0);
    const cpu = process.cpuUsage();
    send({
      type: "heap",
      id: message.id,
      heapUsed: mem.heapUsed,
      rss: mem.rss,
      connections,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxLagMs: lag.max / 1e6,
      pollutionKeyPayloads,
    });
  } else if (message.type === "stop") {
    void Promise.all(servers.map((s) => s.close())).finally(() => process.exit(process.exitCode ?? 0));
  }
});
send({ type: "ready", ports });

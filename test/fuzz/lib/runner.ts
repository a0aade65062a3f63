/**
 * Runs fuzz cases against the fixture servers in a child process and judges every answer. Shared by the
 * `npm test` suite (test/fuzz/*.test.ts) and the long run (bench/fuzz.ts).
 *
 * The judge, per case:
 * - validity is computed on the sending side, with the contract's zod schema, on exactly what the server decodes;
 * - a valid event reaches its handler once, with the parsed payload (the handler reports a digest of what it got),
 *   and its ack is `{ ok: true, data }`; an invalid one never reaches a handler and is answered with a typed
 *   error: the ack's error envelope, or `iocontract:error` naming the event when there is no ack;
 * - an ack-bearing call is never answered with silence (every case ends with a barrier round trip, too);
 * - only cases that are huge (over the connection's payload limit, which this code does not assume), or that
 *   break the protocol, may have their connection closed;
 * - meanwhile a bystander client per server keeps doing valid round trips, and the child reports any crash,
 *   uncaught error, onError report, console error, prototype pollution, or handler call its own oracle rejects.
 */
import { type ChildProcess, fork } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { safeParse } from "zod/v4/core";
import { Manager, type Socket as ClientSocket } from "socket.io-client";
import { FIXTURES, type Fixture, type FixtureNamespace } from "./fixtures";
import {
  type ClientCase,
  type EventCase,
  type FuzzCase,
  type PacketCase,
  RESERVED_EVENT_NAMES,
  clientCase,
  eventCase,
  packetCase,
} from "./cases";
import { RawConnection, type ServerEvent } from "./raw-client";
import { type ChildMessage, CALL_EVENT } from "./protocol";
import { canonical, decodePacket, digest, encodeEvent } from "./wire";
import { hasPollutionKey } from "./pollution";

const ERROR_EVENT = "iocontract:error";
const BARRIER_EVENT = "fuzz:barrier";
/** docs/protocol.md's fixed codes, plus those issue 3 adds. */
const ACCEPTED_CODES = new Set([
  "REQUEST_INVALID",
  "RESPONSE_INVALID",
  "HANDLER_FAILED",
  "UNKNOWN_EVENT",
  "TIMEOUT",
  "RATE_LIMITED",
  "UNAUTHORIZED",
  "CONTRACT_MISMATCH",
  "PAYLOAD_TOO_LARGE",
  "SHUTTING_DOWN",
]);
/** Codes that may answer even a valid event (a limit, not a judgement on the payload). */
const LIMIT_CODES = new Set(["RATE_LIMITED", "PAYLOAD_TOO_LARGE", "SHUTTING_DOWN"]);
/** Above this many bytes on the wire (or this depth) a case may be refused by a limit, or its connection closed. */
const EXTREME_SIZE = 16 * 1024;
const EXTREME_DEPTH = 64;

export interface FuzzOptions {
  readonly seed: number;
  /** Cases in all, spread over every fixture. */
  readonly cases: number;
  /** Concurrent fuzzing connections per fixture server. */
  readonly workersPerFixture?: number;
  /** Relative weights of the case kinds. */
  readonly mix?: { readonly event: number; readonly client: number; readonly packet: number };
  /** No answer within this long is silence (a failure). */
  readonly caseTimeoutMs?: number;
  /** Progress lines (bench). */
  readonly log?: (line: string) => void;
  /** Stop after this many failures. */
  readonly maxFailures?: number;
  /** Run only the workers of this fixture with this seed (to replay a failure). */
  readonly only?: { readonly fixture: string; readonly seed: number };
  /** Log every case (with `only`). */
  readonly trace?: boolean;
  /** Run against a server broken on purpose (see server-child.ts), to show that the judge catches it. */
  readonly breakServer?: "unvalidated" | "silent";
}

export interface FuzzReport {
  readonly seed: number;
  readonly cases: number;
  readonly byKind: Record<string, number>;
  /** Mean wall time per case of each kind (cases run concurrently), in ms. */
  readonly msPerCase: Record<string, number>;
  readonly outcomes: Record<string, number>;
  /** Per `<fixture> <namespace> <event>` of every contract: how many cases were handled, refused, or other. */
  readonly coverage: Record<string, { handled: number; refused: number }>;
  readonly codes: Record<string, number>;
  readonly failures: string[];
  readonly problems: string[];
  readonly durationMs: number;
  readonly casesPerSecond: number;
  /**
   * The server's heap after a full GC: before the cases, at its peak, after them (with and without what
   * connection-state recovery keeps for a while by design), and after / baseline.
   */
  readonly heap: {
    readonly baseline: number;
    readonly peak: number;
    readonly afterWithRecovery: number;
    readonly after: number;
    readonly ratio: number;
  };
  readonly bystander: { readonly roundTrips: number; readonly failures: string[]; readonly maxMs: number };
  readonly childExit: string | undefined;
  /** CPU time of the server process and of the fuzzing process (clients and judge) while the cases ran. */
  readonly cpuSeconds: { readonly server: number; readonly clients: number };
  /** The longest event-loop stall seen in each process (a slow bystander round trip is explained by one of them, or by the machine). */
  readonly maxEventLoopDelayMs: { readonly server: number; readonly fuzzer: number };
  /**
   * Valid payloads that reached a handler with an own `__proto__`, `constructor` or `prototype` key somewhere
   * (through `z.unknown()`, say). Counted, not judged: issue 3's security item decides whether the runtime
   * strips or refuses them. (A changed prototype or a polluted Object.prototype is always a failure.)
   */
  readonly pollutionKeyPayloads: number;
  /** The case that took longest, end to end (replay it with FUZZ_ONLY and FUZZ_TRACE). */
  readonly slowestCase: { readonly ms: number; readonly what: string };
}

// ---- the child ----

interface Child {
  readonly proc: ChildProcess;
  readonly ports: Record<string, number>;
  readonly problems: string[];
  exit: string | undefined;
  heap(dropRecoveryState?: boolean): Promise<{
    heapUsed: number;
    rss: number;
    connections: number;
    cpuMs: number;
    maxLagMs: number;
    pollutionKeyPayloads: number;
  }>;
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export async function startChild(breakServer?: "unvalidated" | "silent"): Promise<Child> {
  const proc = fork(fileURLToPath(new URL("./server-child.ts", import.meta.url)), [], {
    cwd: repoRoot,
    env: { ...process.env, FUZZ_BREAK: breakServer ?? "" },
    execArgv: [
      "--conditions=iocontract-source",
      "--import",
      "tsx",
      "--expose-gc",
      ...(process.env.FUZZ_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.FUZZ_CPU_PROF}`] : []),
    ],
    serialization: "advanced",
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const problems: string[] = [];
  proc.stdout!.on("data", (d: Buffer) => problems.push(`child stdout: ${d.toString().slice(0, 500)}`));
  proc.stderr!.on("data", (d: Buffer) => problems.push(`child stderr: ${d.toString().slice(0, 500)}`));
  let heapId = 0;
  const heapWaiters = new Map<
    number,
    (m: {
      heapUsed: number;
      rss: number;
      connections: number;
      cpuMs: number;
      maxLagMs: number;
      pollutionKeyPayloads: number;
    }) => void
  >();
  const child: Child = {
    proc,
    ports: {},
    problems,
    exit: undefined,
    heap: (dropRecoveryState = false) =>
      new Promise((resolve, reject) => {
        const id = ++heapId;
        const timer = setTimeout(() => reject(new Error("the child did not report its heap")), 10_000);
        heapWaiters.set(id, (m) => {
          clearTimeout(timer);
          resolve(m);
        });
        proc.send({ type: "heap", id, dropRecoveryState });
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exit !== undefined) return resolve();
        const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
        proc.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        proc.send({ type: "stop" });
      }),
  };
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the fuzz server did not start: ${problems.join("\n")}`)), 60_000);
    proc.on("message", (m: ChildMessage) => {
      if (m.type === "ready") {
        Object.assign(child.ports, m.ports);
        clearTimeout(timer);
        resolve();
      } else if (m.type === "problem") {
        problems.push(`${m.kind}: ${m.message}`);
      } else if (m.type === "heap") {
        heapWaiters.get(m.id)?.(m);
        heapWaiters.delete(m.id);
      }
    });
    proc.on("exit", (code, signal) => {
      child.exit = `exit code ${code}, signal ${signal}`;
      clearTimeout(timer);
      reject(new Error(`the fuzz server exited: ${child.exit}\n${problems.join("\n")}`));
    });
  });
  await ready;
  return child;
}

// ---- judging ----

type Expectation =
  | { kind: "valid"; digest: string }
  | { kind: "invalid" }
  | { kind: "unknown" }
  /** The sender's own check threw (a stack overflow on a deep value): any typed outcome. */
  | { kind: "indeterminate" };

function depthOf(value: unknown, depth = 0): number {
  if (typeof value !== "object" || value === null || value instanceof Uint8Array || depth > EXTREME_DEPTH) return depth;
  let max = depth;
  for (const v of Object.values(value)) max = Math.max(max, depthOf(v, depth + 1));
  return max;
}

function expectation(ns: FixtureNamespace, event: unknown, wireArgs: unknown[]): Expectation {
  const ev = typeof event === "string" ? ns.events.find((e) => e.wire === event) : undefined;
  if (ev === undefined) return { kind: "unknown" };
  if (ev.payload === undefined)
    return wireArgs.length === 0 ? { kind: "valid", digest: digest(undefined) } : { kind: "invalid" };
  if (wireArgs.length > 1) return { kind: "invalid" };
  try {
    const result = safeParse(ev.payload, wireArgs[0]);
    if (!result.success) return { kind: "invalid" };
    // docs/reliability.md: what zod lets through with a prototype-pollution key is refused all the same.
    return hasPollutionKey(result.data) ? { kind: "invalid" } : { kind: "valid", digest: digest(result.data) };
  } catch {
    return { kind: "indeterminate" };
  }
}

interface TypedError {
  code: string;
  message: string;
}
function asTypedError(value: unknown): TypedError | string {
  if (typeof value !== "object" || value === null) return `not an object: ${JSON.stringify(value)}`;
  const { code, message } = value as { code?: unknown; message?: unknown };
  if (typeof code !== "string" || typeof message !== "string")
    return `no code and message: ${JSON.stringify(value).slice(0, 300)}`;
  if (/\n\s+at /.test(message)) return `a stack trace in the message: ${message.slice(0, 300)}`;
  return { code, message };
}

/** What came back for one case, whichever client sent it. */
interface Observed {
  /** The ack's single argument; "timeout" for silence; undefined when there was no ack. */
  answer: unknown;
  answered: boolean;
  closed: boolean;
  closeCode?: number | undefined;
  events: ServerEvent[];
}

function preview(value: unknown): string {
  try {
    return canonical(value).slice(0, 400);
  } catch {
    return String(value).slice(0, 400);
  }
}

/** Failures (empty when the case passed), and the outcome's name for the statistics. */
function judge(
  c: { label: string; nsp: string; event: unknown; ack: boolean },
  ns: FixtureNamespace,
  expected: Expectation,
  lenient: boolean,
  seen: Observed,
  codes: Record<string, number>,
): { failures: string[]; outcome: string } {
  const failures: string[] = [];
  const evName = typeof c.event === "string" ? c.event : String(c.event);
  const calls = seen.events
    .filter((e) => e.nsp === c.nsp && e.event === CALL_EVENT)
    .map((e) => e.args[0] as { event: string; digest: string });
  const errors = seen.events.filter((e) => e.nsp === c.nsp && e.event === ERROR_EVENT).map((e) => e.args[0]);
  const others = seen.events.filter((e) => e.event !== CALL_EVENT && e.event !== ERROR_EVENT);
  if (others.length > 0) failures.push(`unexpected server events: ${preview(others)}`);
  const contractCodes = new Set(ns.errorCodes);
  const accepted = (code: string) => ACCEPTED_CODES.has(code) || contractCodes.has(code);

  // A limit (PAYLOAD_TOO_LARGE...) may answer and then disconnect: the closure is part of that answer.
  const answerCode = ((seen.answer as { error?: { code?: unknown } } | undefined)?.error?.code ?? undefined) as unknown;
  const limited = [answerCode, ...errors.map((e) => (e as { code?: unknown } | undefined)?.code)].some(
    (code) => typeof code === "string" && LIMIT_CODES.has(code),
  );
  if (seen.closed && !limited) {
    const reserved = typeof c.event === "string" && RESERVED_EVENT_NAMES.has(c.event);
    if (!lenient && !reserved)
      failures.push(
        `the server closed the connection${seen.closeCode === undefined ? "" : ` (websocket close code ${seen.closeCode})`}`,
      );
    if (expected.kind !== "valid" && calls.length > 0)
      failures.push(`INVALID DATA REACHED A HANDLER (${preview(calls)})`);
    return { failures, outcome: "closed" };
  }
  // An oversized packet is dropped before it is decoded: its answer is the reserved error event (no ack id is
  // read from it, docs/protocol.md "Limits"), then the disconnect. Nothing of it may reach a handler.
  if (seen.closed && limited && !seen.answered) {
    if (calls.length > 0) failures.push(`AN OVERSIZED PACKET REACHED A HANDLER (${preview(calls)})`);
    return { failures, outcome: "refused: PAYLOAD_TOO_LARGE, disconnected" };
  }
  // The typed error the case got, if any: through the ack, or as the reserved event naming it.
  let error: TypedError | undefined;
  if (c.ack) {
    if (!seen.answered) {
      failures.push("SILENCE: no answer to an ack-bearing call");
      return { failures, outcome: "silence" };
    }
    if (errors.length > 0) failures.push(`an acked call was answered with ${ERROR_EVENT}: ${preview(errors)}`);
    const env = seen.answer as { ok?: unknown; data?: unknown; error?: unknown } | null;
    if (typeof env !== "object" || env === null || (env.ok !== true && env.ok !== false)) {
      failures.push(`the answer is not an envelope: ${preview(seen.answer)}`);
    } else if (env.ok === false) {
      const typed = asTypedError(env.error);
      if (typeof typed === "string") failures.push(`bad error envelope: ${typed}`);
      else error = typed;
    } else if (calls.length === 0) {
      failures.push(`{ ok: true } without a handler call: ${preview(env)}`);
    }
  } else if (errors.length > 1) {
    failures.push(`${errors.length} error events for one event: ${preview(errors)}`);
  } else if (errors.length === 1) {
    const typed = asTypedError(errors[0]);
    if (typeof typed === "string") failures.push(`bad ${ERROR_EVENT}: ${typed}`);
    else {
      error = typed;
      const named = (errors[0] as { event?: unknown }).event;
      if (named !== evName)
        failures.push(`${ERROR_EVENT} names ${JSON.stringify(named)}, not the event ${JSON.stringify(evName)}`);
    }
  }
  if (error !== undefined) {
    codes[error.code] = (codes[error.code] ?? 0) + 1;
    if (!accepted(error.code)) failures.push(`error code ${error.code} is not in the fixed set nor the contract's`);
  }

  switch (expected.kind) {
    case "valid": {
      if (calls.length === 1 && error === undefined) {
        if (calls[0]!.event !== evName || calls[0]!.digest !== expected.digest)
          failures.push(`the handler got another value than the parsed payload (${preview(calls[0])})`);
        if (c.ack) {
          const ev = ns.events.find((e) => e.wire === evName)!;
          const want = ev.ack === undefined ? null : ev.ackValue;
          if (canonical((seen.answer as { data?: unknown }).data) !== canonical(want))
            failures.push(`wrong ack data: ${preview(seen.answer)}`);
        }
        return { failures, outcome: "valid: handled" };
      }
      if (
        calls.length === 0 &&
        error !== undefined &&
        (LIMIT_CODES.has(error.code) || (lenient && error.code === "REQUEST_INVALID"))
      ) {
        return { failures, outcome: `valid: refused ${error.code}` };
      }
      failures.push(
        `a VALID event was not handled exactly once: ${calls.length} handler call(s), error ${preview(error)}`,
      );
      return { failures, outcome: "valid: wrong" };
    }
    case "invalid":
    case "unknown": {
      if (calls.length > 0) failures.push(`INVALID DATA REACHED A HANDLER: ${preview(calls)}`);
      if (error === undefined)
        failures.push(
          c.ack ? "an invalid acked call got { ok: true }" : `no ${ERROR_EVENT} for an invalid fire-and-forget event`,
        );
      else {
        const want = expected.kind === "unknown" ? "UNKNOWN_EVENT" : "REQUEST_INVALID";
        if (error.code !== want && !LIMIT_CODES.has(error.code)) failures.push(`code ${error.code}, expected ${want}`);
      }
      return { failures, outcome: `${expected.kind}: ${error?.code ?? "?"}` };
    }
    case "indeterminate": {
      if (calls.length > 1) failures.push(`${calls.length} handler calls for one event`);
      if (!c.ack && calls.length + (error === undefined ? 0 : 1) !== 1)
        failures.push("neither handled nor refused (or both)");
      return { failures, outcome: "indeterminate" };
    }
  }
}

// ---- workers ----

/** What the server sent on one connection, and a way to wait for more. */
class Inbox {
  events: ServerEvent[] = [];
  private wake: (() => void) | undefined;
  push(event: ServerEvent): void {
    this.events.push(event);
    this.wake?.();
  }
  /** Takes everything received so far. */
  take(): ServerEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }
  /** Resolves once `predicate` holds, `stop()` says so, or after `ms`. */
  async until(predicate: (events: ServerEvent[]) => boolean, stop: () => boolean, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate(this.events) && !stop() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}

const isSignal = (nsp: string) => (e: ServerEvent) =>
  e.nsp === nsp && (e.event === CALL_EVENT || e.event === ERROR_EVENT);

/**
 * One fuzzing connection (a raw one, plus socket.io-client sockets for the `client` cases) to one fixture server.
 * Cases run one at a time. A case ends with its ack, or with the one event it must cause (a handler call or an
 * error event): whatever the server sends after that is left over, and fails the case that caused it (checked
 * at the start of the next case and by a final barrier).
 */
class Worker {
  conn!: RawConnection;
  private readonly inbox = new Inbox();
  private readonly manager: Manager;
  private readonly sockets = new Map<string, ClientSocket>();
  private readonly clientInbox = new Inbox();
  codes: Record<string, number> = {};

  constructor(
    readonly fx: Fixture,
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    this.manager = new Manager(url, { transports: ["websocket"], reconnection: false, autoConnect: false });
  }

  async connectRaw(): Promise<void> {
    (this.conn as RawConnection | undefined)?.close();
    const conn = new RawConnection(this.url);
    await conn.open();
    for (const ns of this.fx.namespaces) {
      const answer = await conn.connect(ns.path, ns.auth);
      if (answer?.type !== 0)
        throw new Error(`${this.fx.name} ${ns.path}: the raw client could not connect: ${JSON.stringify(answer)}`);
    }
    conn.onEvent((e) => this.inbox.push(e));
    this.conn = conn;
  }

  async connectClients(): Promise<void> {
    for (const s of this.sockets.values()) s.disconnect();
    this.sockets.clear();
    for (const ns of this.fx.namespaces) {
      const socket = this.manager.socket(ns.path, ns.auth === undefined ? {} : { auth: ns.auth });
      socket.removeAllListeners();
      socket.offAny();
      socket.onAny((event: unknown, ...args: unknown[]) => this.clientInbox.push({ nsp: ns.path, event, args }));
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", (e) => reject(e));
        socket.connect();
      });
      this.sockets.set(ns.path, socket);
    }
  }

  close(): void {
    (this.conn as RawConnection | undefined)?.close();
    for (const s of this.sockets.values()) s.disconnect();
  }

  /** Events left over from the previous case: it caused more than it should have. */
  leftovers(): string[] {
    const left = [...this.inbox.take(), ...this.clientInbox.take()];
    return left.length === 0 ? [] : [`the server sent more after the previous case ended: ${preview(left)}`];
  }

  /** An unknown event with an ack: every frame sent before it has been processed once it is answered. */
  async barrier(nsp: string): Promise<"ok" | "closed" | "timeout"> {
    const id = this.conn.ackId();
    const wait = this.conn.waitAck(nsp, id, this.timeoutMs);
    this.conn.send(`42${nsp === "/" ? "" : nsp + ","}${id}["${BARRIER_EVENT}"]`);
    const answer = await wait;
    return answer === "timeout" ? "timeout" : answer === undefined ? "closed" : "ok";
  }

  async runEvent(c: EventCase): Promise<{ failures: string[]; outcome: string }> {
    const ns = this.fx.namespaces.find((n) => n.path === c.nsp)!;
    const conn = this.conn;
    const ackId = c.ack ? conn.ackId() : undefined;
    let enc: ReturnType<typeof encodeEvent>;
    try {
      enc = encodeEvent(c.nsp, c.event, c.args, ackId);
    } catch (error) {
      // Deeper than JSON.stringify goes: nothing a client could send either.
      if (error instanceof RangeError) return { failures: [], outcome: "event: not encodable" };
      throw error;
    }
    // A placeholder the parser rejects closes the connection: no event at all (judged as lenient "unknown").
    const expected = enc.wireArgs === undefined ? { kind: "unknown" as const } : expectation(ns, c.event, enc.wireArgs);
    const lenient =
      enc.wireArgs === undefined ||
      enc.size > EXTREME_SIZE ||
      depthOf(enc.wireArgs) >= EXTREME_DEPTH ||
      expected.kind === "indeterminate";
    const ackWait = ackId === undefined ? undefined : conn.waitAck(c.nsp, ackId, this.timeoutMs);
    for (const frame of enc.frames) conn.send(frame);
    const seen: Observed = { answer: undefined, answered: false, closed: false, events: [] };
    if (ackWait !== undefined) {
      const packet = await ackWait;
      if (packet === undefined) seen.closed = true;
      else if (packet !== "timeout") {
        seen.answered = true;
        seen.answer = (packet.data as unknown[] | undefined)?.[0];
      }
    } else {
      await this.inbox.until(
        (events) => events.some(isSignal(c.nsp)),
        () => conn.closed,
        this.timeoutMs,
      );
      if (!conn.closed && !this.inbox.events.some(isSignal(c.nsp))) {
        return {
          failures: [`SILENCE: neither a handler call nor ${ERROR_EVENT} within ${this.timeoutMs} ms`],
          outcome: "silence",
        };
      }
    }
    seen.closed ||= conn.closed;
    seen.events = this.inbox.take();
    seen.closeCode = conn.closeCode;
    const verdict = judge(c, ns, expected, lenient, seen, this.codes);
    // After a payload limit the server may disconnect this client: start afresh rather than find out later.
    if (seen.closed || verdict.outcome.includes("PAYLOAD_TOO_LARGE")) await this.connectRaw();
    return verdict;
  }

  async runClient(c: ClientCase): Promise<{ failures: string[]; outcome: string }> {
    const ns = this.fx.namespaces.find((n) => n.path === c.nsp)!;
    const socket = this.sockets.get(c.nsp)!;
    const extra = () => undefined;
    let list: unknown[] =
      c.callbacks === "first" ? [extra, ...c.args] : c.callbacks === "two" ? [...c.args, extra] : [...c.args];
    // socket.io-client treats a trailing function as the ack callback, whatever the caller meant by it.
    const wantsAck = c.callbacks === "one" || c.callbacks === "two" || typeof list[list.length - 1] === "function";
    if (typeof list[list.length - 1] === "function") list = list.slice(0, -1);
    let wire: unknown[];
    try {
      wire = JSON.parse(JSON.stringify(list)) as unknown[];
    } catch {
      return { failures: [], outcome: "client: not encodable" };
    }
    const expected = expectation(ns, c.event, wire);
    const seen: Observed = { answer: undefined, answered: false, closed: false, events: [] };
    if (wantsAck) {
      try {
        seen.answer = await socket.timeout(this.timeoutMs).emitWithAck(c.event, ...list);
        seen.answered = true;
      } catch {
        seen.closed = !socket.connected;
      }
    } else {
      socket.emit(c.event, ...list);
      await this.clientInbox.until(
        (events) => events.some(isSignal(c.nsp)),
        () => !socket.connected,
        this.timeoutMs,
      );
      if (socket.connected && !this.clientInbox.events.some(isSignal(c.nsp))) {
        return {
          failures: [`SILENCE: neither a handler call nor ${ERROR_EVENT} within ${this.timeoutMs} ms`],
          outcome: "silence",
        };
      }
    }
    seen.closed ||= !socket.connected;
    seen.events = this.clientInbox.take();
    const verdict = judge(
      { label: c.label, nsp: c.nsp, event: c.event, ack: wantsAck },
      ns,
      expected,
      false,
      seen,
      this.codes,
    );
    if (seen.closed || verdict.outcome.includes("PAYLOAD_TOO_LARGE")) await this.connectClients();
    return verdict;
  }

  async runPacket(c: PacketCase): Promise<{ failures: string[]; outcome: string }> {
    const conn = this.conn;
    // A frame that Socket.IO reads as an event with an ack id must get its ack (unless the connection closes).
    const acks: Array<Promise<unknown>> = [];
    if (c.frames.length === 1 && typeof c.frames[0] === "string" && c.frames[0].startsWith("42")) {
      let packet: ReturnType<typeof decodePacket> | undefined;
      try {
        packet = decodePacket(c.frames[0].slice(1));
      } catch {
        packet = undefined;
      }
      const data = packet?.data;
      const readable =
        data === undefined ||
        (Array.isArray(data) &&
          (typeof data[0] === "number" || (typeof data[0] === "string" && !RESERVED_EVENT_NAMES.has(data[0]))));
      if (packet?.id !== undefined && Number.isSafeInteger(packet.id) && readable)
        acks.push(conn.waitAck(packet.nsp, packet.id, this.timeoutMs));
    }
    for (const frame of c.frames) conn.send(frame);
    const failures: string[] = [];
    // The namespace must still answer (or the server closed the connection: a protocol error).
    if (!conn.closed && (await this.barrier(c.nsp)) === "timeout")
      failures.push(`SILENCE: the barrier on ${c.nsp} after the packet got no answer`);
    const outcome = conn.closed ? "packet: closed" : "packet: survived";
    for (const answer of await Promise.all(acks)) {
      if (answer === "timeout" && !conn.closed) failures.push("SILENCE: an event packet with an ack id got no ack");
      else if (typeof answer === "object" && answer !== null) {
        const env = ((answer as { data?: unknown[] }).data ?? [])[0] as { ok?: unknown; error?: unknown } | undefined;
        const typed = env?.ok === false ? asTypedError(env.error) : "not an error envelope";
        if (typeof typed === "string") failures.push(`bad ack: ${typed}`);
      }
    }
    const events = this.inbox.take();
    const calls = events.filter((e) => e.event === CALL_EVENT);
    if (calls.length > 0) failures.push(`a malformed packet reached a handler: ${preview(calls)}`);
    for (const e of events.filter((e) => e.event === ERROR_EVENT)) {
      const typed = asTypedError(e.args[0]);
      if (typeof typed === "string") failures.push(`bad ${ERROR_EVENT}: ${typed}`);
      else this.codes[typed.code] = (this.codes[typed.code] ?? 0) + 1;
    }
    if (conn.protocolErrors.length > 0)
      failures.push(`the server sent what a client cannot read: ${conn.protocolErrors.splice(0).join("; ")}`);
    // A DISCONNECT may have left a namespace in a way a barrier does not always see: then start afresh too.
    if (conn.closed || c.frames.some((f) => typeof f === "string" && f.startsWith("41"))) await this.connectRaw();
    return { failures, outcome };
  }
}

// ---- bystander ----

class Bystander {
  roundTrips = 0;
  rateLimited = 0;
  maxMs = 0;
  readonly failures: string[] = [];
  private stopped = false;
  private done: Promise<void> | undefined;
  private socket: ClientSocket | undefined;

  constructor(
    readonly fx: Fixture,
    readonly url: string,
    readonly timeoutMs: number,
  ) {}

  async start(): Promise<void> {
    const ns = this.fx.namespaces.find((n) => n.events.some((e) => e.ack !== undefined)) ?? this.fx.namespaces[0]!;
    const ev = ns.events.find((e) => e.ack !== undefined) ?? ns.events[0]!;
    const manager = new Manager(this.url, { transports: ["websocket"], reconnection: false, autoConnect: false });
    const socket = manager.socket(ns.path, ns.auth === undefined ? {} : { auth: ns.auth });
    this.socket = socket;
    let calls = 0;
    socket.on(CALL_EVENT, () => calls++);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
      socket.connect();
    });
    const args = ev.payload === undefined ? [] : [ev.seeds[0]];
    this.done = (async () => {
      while (!this.stopped) {
        const started = performance.now();
        const before = calls;
        try {
          if (ev.ack !== undefined) {
            const answer = (await socket.timeout(this.timeoutMs).emitWithAck(ev.wire, ...args)) as {
              ok?: unknown;
              error?: { code?: unknown };
            };
            // Served: the answer, or a rate limit the contract may declare for this event.
            if (answer.ok === false && answer.error?.code === "RATE_LIMITED") this.rateLimited++;
            else if (answer.ok !== true)
              this.failures.push(`${this.fx.name}: ${ev.wire} answered ${JSON.stringify(answer)}`);
            else if (calls !== before + 1)
              this.failures.push(`${this.fx.name}: ${calls - before} handler calls for one valid round trip`);
          } else {
            socket.emit(ev.wire, ...args);
            await socket.timeout(this.timeoutMs).emitWithAck(BARRIER_EVENT);
            if (calls !== before + 1)
              this.failures.push(`${this.fx.name}: ${calls - before} handler calls for one valid round trip`);
          }
        } catch (error) {
          this.failures.push(`${this.fx.name}: bystander round trip failed: ${String(error)}`);
          if (!socket.connected) return;
        }
        this.roundTrips++;
        this.maxMs = Math.max(this.maxMs, performance.now() - started);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
    this.socket?.disconnect();
  }
}

// ---- the run ----

/**
 * A worker's cases, generated a chunk at a time (all of them at once would hold hundreds of MB of huge values,
 * and the GC pauses would stall the bystanders), deterministically from the worker's seed: case #i is always
 * the same case.
 */
class CaseStream {
  private static readonly CHUNK = 100;
  private chunk = -1;
  private batch: FuzzCase[] = [];
  constructor(
    private readonly arbitrary: fc.Arbitrary<FuzzCase>,
    private readonly seed: number,
    readonly length: number,
  ) {}
  at(i: number): FuzzCase {
    const chunk = Math.floor(i / CaseStream.CHUNK);
    if (chunk !== this.chunk) {
      this.chunk = chunk;
      this.batch = fc.sample(this.arbitrary, { seed: (this.seed * 100_003 + chunk) | 0, numRuns: CaseStream.CHUNK });
    }
    return this.batch[i % CaseStream.CHUNK]!;
  }
}

function arbitraryFor(fx: Fixture, mix: NonNullable<FuzzOptions["mix"]>): fc.Arbitrary<FuzzCase> {
  const events = fc.oneof(...fx.namespaces.map((ns) => eventCase(ns)));
  const clients = fc.oneof(...fx.namespaces.map((ns) => clientCase(ns)));
  return fc.oneof(
    { arbitrary: events as fc.Arbitrary<FuzzCase>, weight: mix.event },
    { arbitrary: clients as fc.Arbitrary<FuzzCase>, weight: mix.client },
    { arbitrary: packetCase(fx) as fc.Arbitrary<FuzzCase>, weight: mix.packet },
  );
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const workersPerFixture = options.workersPerFixture ?? 2;
  const mix = options.mix ?? { event: 15, client: 3, packet: 2 };
  const timeoutMs = options.caseTimeoutMs ?? 10_000;
  const maxFailures = options.maxFailures ?? 20;
  const log = options.log ?? (() => {});
  const child = await startChild(options.breakServer);
  const failures: string[] = [];
  const byKind: Record<string, number> = {};
  const timeByKind: Record<string, number> = {};
  let slowest = { ms: 0, what: "" };
  const outcomes: Record<string, number> = {};
  const coverage: Record<string, { handled: number; refused: number }> = {};
  for (const fx of FIXTURES)
    for (const ns of fx.namespaces)
      for (const ev of ns.events)
        coverage[`${fx.name} ${ns.path} ${JSON.stringify(ev.wire)}`] = { handled: 0, refused: 0 };
  const codes: Record<string, number> = {};
  let done = 0;
  const bystanders = FIXTURES.map((fx) => new Bystander(fx, `http://127.0.0.1:${child.ports[fx.name]}`, timeoutMs));
  const workers: Array<{ worker: Worker; cases: CaseStream; seed: number }> = [];
  let heap = { baseline: 0, peak: 0, afterWithRecovery: 0, after: 0, ratio: 0 };
  let exitDuringRun: string | undefined;
  const cpu = { childStart: 0, server: 0, clients: 0 };
  const lagMs = { server: 0, fuzzer: 0 };
  let pollutionKeyPayloads = 0;
  const fuzzerLag = monitorEventLoopDelay({ resolution: 10 });
  fuzzerLag.enable();
  const started = performance.now();
  try {
    const perWorker = Math.ceil(options.cases / (FIXTURES.length * workersPerFixture));
    FIXTURES.forEach((fx, f) => {
      for (let w = 0; w < workersPerFixture; w++) {
        const seed = options.seed + f * 1000 + w;
        if (options.only !== undefined && (options.only.fixture !== fx.name || options.only.seed !== seed)) continue;
        const cases = new CaseStream(arbitraryFor(fx, mix), seed, perWorker);
        workers.push({ worker: new Worker(fx, `http://127.0.0.1:${child.ports[fx.name]}`, timeoutMs), cases, seed });
      }
    });
    // Every worker's first chunk now, before anyone is timed: generating them all at once stalls this process.
    for (const { cases } of workers) if (cases.length > 0) cases.at(0);
    await Promise.all(bystanders.map((b) => b.start()));
    for (const { worker } of workers) {
      await worker.connectRaw();
      await worker.connectClients();
    }
    const base = await child.heap();
    cpu.childStart = base.cpuMs;
    const parentCpu = process.cpuUsage();
    heap.baseline = base.heapUsed;
    heap.peak = base.heapUsed;
    let lastLog = performance.now();
    const sampler = setInterval(() => {
      void child.heap().then(
        (h) => (heap.peak = Math.max(heap.peak, h.heapUsed)),
        () => {},
      );
    }, 2000);
    try {
      await Promise.all(
        workers.map(async ({ worker, cases, seed }) => {
          for (let i = 0; i < cases.length && failures.length < maxFailures && child.exit === undefined; i++) {
            const c = cases.at(i);
            let verdict: { failures: string[]; outcome: string };
            const caseStart = performance.now();
            const left = worker.leftovers();
            if (left.length > 0)
              failures.push(`[${worker.fx.name}] (seed ${seed}, case #${i - 1}): ${left.join("; ")}`);
            try {
              verdict =
                c.kind === "event"
                  ? await worker.runEvent(c)
                  : c.kind === "client"
                    ? await worker.runClient(c)
                    : await worker.runPacket(c);
            } catch (error) {
              verdict = {
                failures: [`the harness failed: ${error instanceof Error ? error.stack : String(error)}`],
                outcome: "harness error",
              };
            }
            done++;
            const caseMs = performance.now() - caseStart;
            timeByKind[c.kind] = (timeByKind[c.kind] ?? 0) + caseMs;
            if (caseMs > slowest.ms)
              slowest = { ms: caseMs, what: `[${worker.fx.name}] ${c.label} (seed ${seed}, case #${i})` };
            byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
            outcomes[verdict.outcome] = (outcomes[verdict.outcome] ?? 0) + 1;
            if (c.kind !== "packet") {
              const cov = coverage[`${worker.fx.name} ${c.nsp} ${JSON.stringify(c.event)}`];
              if (cov !== undefined && verdict.outcome === "valid: handled") cov.handled++;
              if (cov !== undefined && verdict.outcome.startsWith("invalid:")) cov.refused++;
            }
            if (options.trace)
              log(
                `  #${i} ${c.label} ${c.kind === "packet" ? preview(c.frames.map(String)) : preview("args" in c ? [c.event, ...c.args] : c)}`.slice(
                  0,
                  300,
                ) + ` -> ${verdict.outcome} (${(performance.now() - caseStart).toFixed(0)} ms)`,
              );
            if (verdict.failures.length > 0) {
              const what =
                c.kind === "packet"
                  ? preview(c.frames.map((f) => (typeof f === "string" ? f : `<${f.byteLength} bytes>`)))
                  : preview("args" in c ? [c.event, ...c.args] : c);
              failures.push(
                `[${worker.fx.name} ${c.nsp}] ${c.label} (seed ${seed}, case #${i}): ${verdict.failures.join("; ")}\n    sent: ${what}`,
              );
            }
            if (performance.now() - lastLog > 5000) {
              lastLog = performance.now();
              log(`  ${done} cases, ${Math.round(done / ((lastLog - started) / 1000))}/s, ${failures.length} failures`);
            }
          }
        }),
      );
    } finally {
      clearInterval(sampler);
    }
    for (const { worker, seed } of workers) {
      // Whatever the last case caused arrives before the answer to a barrier on each namespace.
      for (const ns of worker.fx.namespaces) await worker.barrier(ns.path);
      const left = worker.leftovers();
      if (left.length > 0) failures.push(`[${worker.fx.name}] (seed ${seed}, last case): ${left.join("; ")}`);
      worker.close();
      for (const [code, n] of Object.entries(worker.codes)) codes[code] = (codes[code] ?? 0) + n;
    }
    // The fuzzing connections are gone once the server counts only the bystanders; then measure.
    const deadline = Date.now() + 10_000;
    let after = await child.heap();
    while (after.connections > bystanders.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      after = await child.heap();
    }
    const settled = await child.heap(true);
    heap = {
      ...heap,
      afterWithRecovery: after.heapUsed,
      after: settled.heapUsed,
      ratio: settled.heapUsed / heap.baseline,
    };
    cpu.server = (after.cpuMs - cpu.childStart) / 1000;
    lagMs.server = after.maxLagMs;
    pollutionKeyPayloads = after.pollutionKeyPayloads;
    lagMs.fuzzer = fuzzerLag.max / 1e6;
    const used = process.cpuUsage(parentCpu);
    cpu.clients = (used.user + used.system) / 1e6;
    exitDuringRun = child.exit;
  } finally {
    exitDuringRun ??= child.exit;
    await Promise.all(bystanders.map((b) => b.stop()));
    for (const { worker } of workers) worker.close();
    await child.stop();
  }
  const durationMs = performance.now() - started;
  return {
    seed: options.seed,
    cases: done,
    byKind,
    msPerCase: Object.fromEntries(
      Object.entries(timeByKind).map(([k, t]) => [k, Math.round((t / (byKind[k] ?? 1)) * 10) / 10]),
    ),
    outcomes,
    coverage,
    codes,
    failures,
    problems: child.problems,
    durationMs,
    casesPerSecond: done / (durationMs / 1000),
    heap,
    bystander: {
      roundTrips: bystanders.reduce((n, b) => n + b.roundTrips, 0),
      failures: bystanders.flatMap((b) => b.failures),
      maxMs: Math.max(...bystanders.map((b) => b.maxMs)),
    },
    childExit: exitDuringRun,
    cpuSeconds: { server: cpu.server, clients: cpu.clients },
    maxEventLoopDelayMs: lagMs,
    slowestCase: slowest,
    pollutionKeyPayloads,
  };
}

export function formatReport(r: FuzzReport): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return [
    `fuzz seed ${r.seed} (set FUZZ_SEED to reproduce): ${r.cases} cases in ${(r.durationMs / 1000).toFixed(1)} s, ${Math.round(r.casesPerSecond)} cases/s`,
    `  cpu: server ${r.cpuSeconds.server.toFixed(1)} s, fuzzer ${r.cpuSeconds.clients.toFixed(1)} s; ` +
      `longest event-loop stall: server ${r.maxEventLoopDelayMs.server.toFixed(0)} ms, fuzzer ` +
      `${r.maxEventLoopDelayMs.fuzzer.toFixed(0)} ms`,
    `  slowest case: ${r.slowestCase.ms.toFixed(0)} ms, ${r.slowestCase.what}`,
    `  kinds: ${JSON.stringify(r.byKind)}, mean ms per case: ${JSON.stringify(r.msPerCase)}`,
    `  outcomes: ${JSON.stringify(r.outcomes)}`,
    `  error codes: ${JSON.stringify(r.codes)}`,
    `  server heap: baseline ${mb(r.heap.baseline)}, peak ${mb(r.heap.peak)}, after ${mb(r.heap.after)} ` +
      `(after/baseline ${r.heap.ratio.toFixed(2)}; ${mb(r.heap.afterWithRecovery)} before dropping ` +
      `recovery state)`,
    `  payloads with __proto__/constructor/prototype keys that reached a handler: ${r.pollutionKeyPayloads}`,
    `  bystanders: ${r.bystander.roundTrips} round trips, slowest ${r.bystander.maxMs.toFixed(0)} ms, ${r.bystander.failures.length} failures`,
    `  failures: ${r.failures.length}, server problems: ${r.problems.length}, server exit: ${r.childExit ?? "still running at the end"}`,
  ].join("\n");
}

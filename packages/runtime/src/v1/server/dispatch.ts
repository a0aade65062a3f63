/**
 * Dispatch: one client→server event, from socket.io's `onAny` to the answer. In order: look the event up,
 * refuse it while shutting down or over its rate limit, answer a retried idempotency key from the store, check
 * the payload, call the handler, check its ack, answer. The error policy is here too: what a thrown value
 * travels as (../errors.ts), and how a refusal of the client's own making takes from its budget.
 *
 * Per message: one Map lookup, one validator call, one handler call; no closure unless the handler is async.
 */
import type { Socket } from "socket.io";
import type { DedupeEntry, DedupeStore } from "../dedupe";
import { type ResolvedEvent, type ResolvedNamespace, issueDetails, isThenable } from "../spec";
import { CHECK_THREW, describeThrow, isAsyncError, whereItThrows } from "../guard";
import {
  boundIssues,
  refusalCost,
  sendDirect,
  stopReading,
  takeRefusal,
  truncateName,
  type RefusalBudget,
} from "../limits";
import {
  type AckEnvelope,
  ERROR_EVENT,
  type ErrorEventPayload,
  IocontractError,
  type Issue,
  type WireError,
  WireErrorCode,
  formatIssues,
  idempotencyKeyOf,
} from "../wire";
import type { ErrorInfo } from "./options";
import type { RateLimitSlot } from "./rate-limit";
import { notify } from "./notice";
import type { Shutdown } from "./shutdown";

/** A client→server event as dispatch needs it: its handler bound, its rate limit resolved. */
export type InboundEvent = ResolvedEvent & {
  readonly handler: (...args: unknown[]) => unknown;
  readonly rateLimit: RateLimitSlot | undefined;
  /** Idempotency keys are per namespace and event: the store's key is this plus the client's. */
  readonly keyPrefix: string;
};

/** What dispatch needs of a connection's context. */
export interface DispatchContext {
  /** Takes a token for a rate-limited event: 0 when allowed, else how many ms until one is free. */
  take(limit: RateLimitSlot): number;
  /** The connection's identity in the idempotency store, set from its first key. */
  keyHolder: string | undefined;
}

/** What dispatch needs of its namespace and server. */
export interface DispatchHost {
  readonly spec: ResolvedNamespace;
  readonly inbound: ReadonlyMap<string, InboundEvent>;
  readonly validateOutgoing: boolean;
  readonly invalidEventBudget: Required<RefusalBudget> | undefined;
  /** The idempotency store (undefined: keys are ignored). */
  readonly dedupe: DedupeStore | undefined;
  /** The context admission made for this socket. */
  contextOf(socket: Socket): DispatchContext | undefined;
  /**
   * The server's shutdown (./shutdown.ts): once it is draining, events are answered SHUTTING_DOWN; it counts each
   * async handler as running until its promise settles (close() waits for them).
   */
  readonly shutdown: Pick<Shutdown, "draining" | "track">;
  /** The error answer a thrown value may travel as (../errors.ts), or undefined: HANDLER_FAILED. */
  wireErrorOf(error: unknown): WireError | undefined;
  report(error: unknown, info: ErrorInfo): void;
}

type Ack = (answer: unknown) => void;

/** Refusals a well-behaved client does not cause: they take from `invalidEventBudget`. */
export function isClientsFault(code: string): boolean {
  return (
    code === WireErrorCode.UNKNOWN_EVENT ||
    code === WireErrorCode.REQUEST_INVALID ||
    code === WireErrorCode.RATE_LIMITED
  );
}

/** A client's identity for the idempotency store: what precedes the last "." of its key (all of it if none). */
export function holderOf(key: string): string {
  const dot = key.lastIndexOf(".");
  return dot > 0 ? key.slice(0, dot) : key;
}

/** One issue about the payload as a whole. */
function single(message: string): { issues: Issue[]; total: number } {
  return { issues: [{ path: [], message }], total: 1 };
}

export class Dispatcher {
  constructor(private readonly host: DispatchHost) {}

  /** One event from socket.io's `onAny`: `event` is its name, `args` its arguments (the ack last, if any). */
  dispatch(socket: Socket, event: unknown, args: unknown[]): void {
    const host = this.host;
    // An EVENT packet with an ack id but no data (`427`) reaches onAny as the ack callback alone, in the name's place.
    if (typeof event === "function") {
      args.push(event);
      event = undefined;
    }
    let ack = typeof args[args.length - 1] === "function" ? (args.pop() as Ack) : undefined;
    const ev = typeof event === "string" ? host.inbound.get(event) : undefined;
    if (ev === undefined) {
      // The name is echoed once (in `event`, or in the ack's message), cut short: an answer never outgrows the request.
      const name = truncateName(typeof event === "string" ? event : String(event));
      const what = `${host.spec.contractName} ${host.spec.path}: unknown event`;
      return this.reply(socket, name, ack, {
        code: WireErrorCode.UNKNOWN_EVENT,
        message: ack === undefined ? what : `${what} ${JSON.stringify(name)}`,
      });
    }
    const ctx = host.contextOf(socket);
    if (ctx === undefined) {
      // Every connection goes through admission (even a recovered one); never drop silently.
      host.report(new Error(`${ev.label}: a socket without a context sent an event`), {
        namespace: host.spec.path,
        event: ev.wire,
        sid: socket.id,
      });
      return this.reply(socket, ev.wire, ack, {
        code: WireErrorCode.HANDLER_FAILED,
        message: `${ev.label}: the handler failed`,
      });
    }
    if (host.shutdown.draining) {
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
    if (args.length === (ev.payload === undefined ? 1 : 2) && host.dedupe !== undefined) {
      const key = idempotencyKeyOf(args[args.length - 1]);
      if (key !== undefined) {
        args.pop();
        const dedupe = host.dedupe;
        // The client's identity for the store's per-client bound: its key's prefix (`<client id>.<n>`), taken from
        // the socket's first key and kept, so one connection cannot spread its keys over many identities.
        const seen = dedupe.seen(ev.keyPrefix + key, Date.now(), (ctx.keyHolder ??= holderOf(key)));
        if (seen !== undefined) {
          if (ack !== undefined) dedupe.join(seen, ack);
          return;
        }
        ack = this.recordingAck(socket, ev, dedupe, dedupe.latest, ack);
      }
    }
    this.run(socket, ctx, ev, args, ack);
  }

  /** The ack of a keyed event: records the first answer for retries, then answers (or reports) as usual. */
  private recordingAck(
    socket: Socket,
    ev: InboundEvent,
    dedupe: DedupeStore,
    entry: DedupeEntry,
    ack: Ack | undefined,
  ): Ack {
    return (answer: unknown) => {
      const envelope = answer as AckEnvelope<unknown>;
      dedupe.record(entry, envelope);
      if (ack !== undefined) ack(envelope);
      else if (!envelope.ok) this.reply(socket, ev.wire, undefined, envelope.error);
    };
  }

  private run(socket: Socket, ctx: DispatchContext, ev: InboundEvent, args: unknown[], ack: Ack | undefined): void {
    let result: unknown;
    try {
      if (ev.payload === undefined) {
        if (args.length !== 0)
          return this.invalid(socket, ev, ack, single(`expected no payload, got ${args.length} argument(s)`));
        result = ev.handler(ctx);
      } else {
        if (args.length > 1)
          return this.invalid(socket, ev, ack, single(`expected 1 payload argument, got ${args.length}`));
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
    if (isThenable(result)) this.host.shutdown.track(this.awaitHandler(socket, ev, ack, result));
    else this.answer(socket, ev, ack, result);
  }

  /** Awaits an async handler, then answers (no closures per message). Never rejects. */
  private async awaitHandler(
    socket: Socket,
    ev: ResolvedEvent,
    ack: Ack | undefined,
    result: PromiseLike<unknown>,
  ): Promise<void> {
    try {
      let value: unknown;
      try {
        value = await result;
      } catch (error) {
        return this.failed(socket, ev, ack, error);
      }
      this.answer(socket, ev, ack, value);
    } catch (error) {
      this.host.report(error, { namespace: this.host.spec.path, event: ev.wire, sid: socket.id });
    }
  }

  /**
   * Reports an async check (every value fails it: the server's bug). A synchronous throw is the value's fault
   * (a transform that throws on bad input, as JSON.parse does): not reported.
   */
  private reportThrow(socket: Socket, ev: ResolvedEvent, value: unknown): void {
    const found = whereItThrows(ev.payload!, value);
    if (found === undefined || !isAsyncError(found.error)) return;
    this.host.report(new Error(`${ev.label}: ${describeThrow(found)}`), {
      namespace: this.host.spec.path,
      event: ev.wire,
      sid: socket.id,
    });
  }

  private invalid(
    socket: Socket,
    ev: ResolvedEvent,
    ack: Ack | undefined,
    checked: { issues: Issue[]; total: number },
  ): void {
    const bounded = boundIssues(checked);
    this.reply(socket, ev.wire, ack, {
      code: WireErrorCode.REQUEST_INVALID,
      message: `${ev.label}: ${formatIssues(bounded.issues, undefined, bounded.total)}`,
      details: issueDetails(bounded),
    });
  }

  private answer(socket: Socket, ev: ResolvedEvent, ack: Ack | undefined, value: unknown): void {
    if (ack === undefined) return;
    if (ev.ack === undefined) return ack({ ok: true, data: null } satisfies AckEnvelope<null>);
    if (this.host.validateOutgoing || ev.encodeAck) {
      const checked = (ev.encodeAck ?? ev.checkAck)!(value);
      if (!checked.ok) {
        this.host.report(
          new IocontractError(
            WireErrorCode.RESPONSE_INVALID,
            `${ev.label}: the handler's ack is invalid: ${formatIssues(checked.issues, "(ack)", checked.total)}`,
            {
              details: issueDetails(checked),
              event: ev.wire,
            },
          ),
          { namespace: this.host.spec.path, event: ev.wire, sid: socket.id },
        );
        return ack({
          ok: false,
          error: {
            code: WireErrorCode.RESPONSE_INVALID,
            message: `${ev.label}: the server's answer did not match the contract`,
          },
        } satisfies AckEnvelope<never>);
      }
      if (ev.encodeAck) value = checked.value;
    }
    ack({ ok: true, data: value } satisfies AckEnvelope<unknown>);
  }

  /** The error policy: an error made to travel travels; anything else is reported, and HANDLER_FAILED to the client. */
  private failed(socket: Socket, ev: ResolvedEvent, ack: Ack | undefined, error: unknown): void {
    const wire = this.host.wireErrorOf(error);
    if (wire !== undefined) return this.reply(socket, ev.wire, ack, wire);
    this.host.report(error, { namespace: this.host.spec.path, event: ev.wire, sid: socket.id });
    this.reply(socket, ev.wire, ack, {
      code: WireErrorCode.HANDLER_FAILED,
      message: `${ev.label}: the handler failed`,
    });
  }

  /**
   * Answers through the ack when there is one, else with the reserved error event (sent to this connection
   * only, not kept for connection-state recovery: see ../limits.ts). A refusal of the client's own making
   * takes from the socket's budget (1 token plus 1 per 16 KiB of its packet); past it, the socket gets a notice
   * and is disconnected.
   */
  private reply(socket: Socket, event: string, ack: Ack | undefined, error: WireError): void {
    const budget = this.host.invalidEventBudget;
    if (budget !== undefined && isClientsFault(error.code) && !takeRefusal(socket, budget, refusalCost(socket.conn))) {
      if (!socket.connected) return;
      notify(
        socket,
        this.host.spec.contractName,
        "",
        WireErrorCode.TOO_MANY_INVALID_EVENTS,
        `too many refused events (over ${budget.burst} at once or ${budget.perSecond}/s); disconnecting`,
        {
          burst: budget.burst,
          perSecond: budget.perSecond,
        },
      );
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
}

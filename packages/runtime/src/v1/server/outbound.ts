/**
 * What the server sends: server→client events (validated, encoded where the contract has a codec), to one
 * socket, a room selection ({@link Broadcast}) or a namespace, and server→client requests with their answers
 * checked against the contract. The per-event methods are built once per namespace as prototypes
 * (../targets.ts); sending costs one object per selection, no closure per message.
 */
import { type ResolvedEvent, type ResolvedNamespace, payloadArgs, issueDetails } from "../spec";
import {
  type AckEnvelope,
  IocontractError,
  LocalErrorCode,
  type WireError,
  WireErrorCode,
  formatIssues,
  isAckEnvelope,
} from "../wire";
import { answerErrorProblem, receivedError } from "../errors";
import { over } from "../targets";
import type { AnyServerNamespaceTypes, Broadcast as BroadcastApi, RequestOptions } from "../server-api";
import type { RequestTracker } from "./requests";

export interface EmitTarget {
  emit(event: string, ...args: unknown[]): unknown;
}
export interface AckTarget {
  timeout(ms: number): { emit(event: string, ...args: unknown[]): unknown };
}
/** socket.io's BroadcastOperator (or a Namespace, or a socket's `broadcast`), as the runtime uses it. */
export type Operator = EmitTarget &
  AckTarget & {
    to(room: string | string[]): Operator;
    except(room: string | string[]): Operator;
  };

/** What outbound needs of its namespace and server. */
export interface OutboundHost {
  readonly spec: ResolvedNamespace;
  readonly validateOutgoing: boolean;
  readonly validateAnswers: boolean;
}

/** The senders of one namespace, built once. */
export class Outbound {
  readonly spec: ResolvedNamespace;
  /** The server→client `message` event without an ack, which `send()` emits (python-socketio's `send`). */
  readonly messageEvent: ResolvedEvent | undefined;
  /** Methods `emit.<event>(payload)` over an {@link EmitTarget}. */
  readonly emitProto: object;
  /** Methods `request.<event>(payload, options)` answering an array of envelopes, over an {@link AckTarget}. */
  readonly broadcastRequestProto: object;
  /** Methods `request.<event>(payload, options)` answering one value, over an {@link AckTarget} (and a sid or tracker). */
  readonly singleRequestProto: object;
  private readonly validateOutgoing: boolean;
  private readonly validateAnswers: boolean;

  constructor(host: OutboundHost) {
    const spec = (this.spec = host.spec);
    this.validateOutgoing = host.validateOutgoing;
    this.validateAnswers = host.validateAnswers;
    const emitProto: Record<string, unknown> = {};
    const broadcastRequestProto: Record<string, unknown> = {};
    const singleRequestProto: Record<string, unknown> = {};
    this.messageEvent = spec.serverToClient.find((ev) => ev.wire === "message" && ev.ack === undefined);
    const out = this;
    for (const ev of spec.serverToClient) {
      if (ev.ack === undefined) {
        emitProto[ev.method] =
          ev.payload === undefined
            ? function (this: { target: EmitTarget }) {
                this.target.emit(ev.wire);
              }
            : function (this: { target: EmitTarget }, payload: unknown) {
                this.target.emit(ev.wire, ...out.args(ev, payload));
              };
      } else {
        // `(payload, options?)`, or `(options?)` for an event without a payload.
        const hasPayload = ev.payload !== undefined;
        broadcastRequestProto[ev.method] = function (this: { target: AckTarget }, first?: unknown, second?: unknown) {
          return out.requestAll(
            this.target,
            ev,
            hasPayload ? first : undefined,
            (hasPayload ? second : first) as RequestOptions | undefined,
          );
        };
        singleRequestProto[ev.method] = function (
          this: { target: AckTarget; sid: string | undefined; tracker: RequestTracker | undefined },
          first?: unknown,
          second?: unknown,
        ) {
          return out.requestOne(
            this.target,
            this.sid,
            ev,
            hasPayload ? first : undefined,
            (hasPayload ? second : first) as RequestOptions | undefined,
            this.tracker,
          );
        };
      }
    }
    this.emitProto = emitProto;
    this.broadcastRequestProto = broadcastRequestProto;
    this.singleRequestProto = singleRequestProto;
  }

  /** The arguments one payload travels as (../spec.ts `payloadArgs`); throws REQUEST_INVALID for an invalid one. */
  args(ev: ResolvedEvent, payload: unknown): unknown[] {
    return payloadArgs(ev, payload, "cannot send: ", !this.validateOutgoing);
  }

  /** Turns one client's raw answer to a request into a checked envelope. */
  checkAnswer(ev: ResolvedEvent, raw: unknown): AckEnvelope<unknown> {
    if (!isAckEnvelope(raw)) {
      return {
        ok: false,
        error: {
          code: WireErrorCode.CONTRACT_MISMATCH,
          message: `${ev.label}: the client's answer is not an ack envelope ({ ok, data | error })`,
        },
      };
    }
    if (!this.validateAnswers) return raw;
    if (!raw.ok) {
      // The one rule for error answers (../errors.ts): a code this namespace declares, or one the client's runtime
      // answers by itself. The client bundle cannot carry the rule, so its receiver applies it.
      const problem = answerErrorProblem(raw.error, this.spec.errors, true);
      if (problem === undefined) return raw;
      return {
        ok: false,
        error: { code: WireErrorCode.RESPONSE_INVALID, message: `${ev.label}: the client's error answer: ${problem}` },
      };
    }
    if (ev.ack === undefined) return raw;
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

  /** Many sockets: one checked envelope per answer; TIMEOUT (with the answers that came) if some did not answer. */
  requestAll(
    target: AckTarget,
    ev: ResolvedEvent,
    payload: unknown,
    options?: RequestOptions,
  ): Promise<AckEnvelope<unknown>[]> {
    return new Promise((resolve, reject) => {
      const args = this.args(ev, payload);
      const timeoutMs = options?.timeoutMs ?? ev.timeoutMs;
      target.timeout(timeoutMs).emit(ev.wire, ...args, (error: unknown, answers: unknown[]) => {
        const envelopes = (answers ?? []).map((raw) => this.checkAnswer(ev, raw));
        if (error) {
          reject(
            new IocontractError(
              WireErrorCode.TIMEOUT,
              `${ev.label}: not every client answered within ${timeoutMs} ms`,
              {
                details: { answers: envelopes },
                event: ev.wire,
              },
            ),
          );
        } else {
          resolve(envelopes);
        }
      });
    });
  }

  /**
   * One socket, one answer: the data, or a rejection with the typed error. `sid`: the socket was chosen by id
   * (sent as a broadcast to its room, which works across nodes). `tracker`: asking the connection of a handler
   * (`ctx.request`): a disconnect rejects at once instead of waiting for the timeout.
   */
  requestOne(
    target: AckTarget,
    sid: string | undefined,
    ev: ResolvedEvent,
    payload: unknown,
    options: RequestOptions | undefined,
    tracker: RequestTracker | undefined,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const args = this.args(ev, payload);
      const timeoutMs = options?.timeoutMs ?? ev.timeoutMs;
      const abort = () =>
        reject(
          new IocontractError(LocalErrorCode.DISCONNECTED, `${ev.label}: the client disconnected before answering`, {
            event: ev.wire,
          }),
        );
      if (tracker !== undefined) {
        if (!tracker.track(abort)) return abort();
      }
      const done = (error: unknown, raw: unknown) => {
        tracker?.untrack(abort);
        if (error) {
          return reject(
            new IocontractError(WireErrorCode.TIMEOUT, `${ev.label}: no answer within ${timeoutMs} ms`, {
              event: ev.wire,
            }),
          );
        }
        if (sid !== undefined) {
          // Zero answers to the sid's room means no such socket.
          const answers = raw as unknown[];
          if (answers.length === 0) {
            return reject(
              new IocontractError(LocalErrorCode.DISCONNECTED, `${ev.label}: no connected socket ${sid}`, {
                event: ev.wire,
              }),
            );
          }
          raw = answers[0];
        }
        const envelope = this.checkAnswer(ev, raw);
        if (envelope.ok) resolve(envelope.data);
        else reject(receivedError(IocontractError.fromWire(envelope.error, ev.wire)));
      };
      target.timeout(timeoutMs).emit(ev.wire, ...args, done);
    });
  }
}

/** A room selection: `to(room).except(sid).emit.x(...)`, `.request.y(...)` (the public `Broadcast` API). */
export class Broadcast implements BroadcastApi<AnyServerNamespaceTypes> {
  constructor(
    private readonly out: Outbound,
    private readonly op: Operator,
  ) {}
  get emit(): object {
    return over(this.out.emitProto, this.op);
  }
  get request(): object {
    return over(this.out.broadcastRequestProto, this.op);
  }
  to(room: string | string[]): Broadcast {
    return new Broadcast(this.out, this.op.to(room));
  }
  in(room: string | string[]): Broadcast {
    return this.to(room);
  }
  except(room: string | string[]): Broadcast {
    return new Broadcast(this.out, this.op.except(room));
  }
}

/**
 * The client half of the runtime (browsers and Node). Generated code calls {@link createClient} and casts the
 * result to its generated interface. One socket.io-client `Socket` per namespace; sockets to the same URL share
 * one connection (socket.io-client's Manager).
 */
import { type ManagerOptions, type Socket, type SocketOptions, io } from "socket.io-client";
import { type EventSpec, type NamespaceSpec, type RuntimeSpec, isThenable, issueDetails, resolveNamespace } from "./spec";
import {
  type AckEnvelope,
  CONTRACT_QUERY_KEY,
  ERROR_EVENT,
  IDEMPOTENCY_KEY,
  IocontractError,
  LocalErrorCode,
  type WireError,
  WireErrorCode,
  formatIssues,
  isAckEnvelope,
} from "./wire";

export { IocontractError } from "./wire";
export type { RuntimeSpec } from "./spec";
export type { AckEnvelope, WireError, Issue } from "./wire";

export type Unsubscribe = () => void;

export interface CallOptions {
  /** Overrides the contract's timeout for this call (each attempt gets this long). */
  readonly timeoutMs?: number;
  /** Overrides {@link ClientOptions.retries} for this call. */
  readonly retries?: number;
}

export const DEFAULT_RETRIES = 2;

export interface ClientOptions {
  /** The handshake auth, validated against the contract before anything is sent. */
  readonly auth?: unknown;
  /** Validate events and answers from the server. Default: true. Invalid ones are reported, never delivered. */
  readonly validateIncoming?: boolean;
  /** Passed to socket.io-client's `io()` as they are (transports, reconnection, path, query...). */
  readonly socket?: Partial<ManagerOptions & SocketOptions>;
  /** Connect at once (default) or wait for `connect()`. */
  readonly autoConnect?: boolean;
  /**
   * At-least-once delivery of acked events: when the connection drops before the answer, no answer comes in
   * time, or the server is shutting down, the call is sent again (after the reconnect) with the same
   * idempotency key, so the server runs its handler once and answers the retry with the first answer.
   * At most this many retries per call. Default 2. `0` sends no key and never retries.
   */
  readonly retries?: number;
}

type Listener = (...args: unknown[]) => void;
type Answerer = (payload: unknown) => unknown;

function namespaceUrl(url: string | undefined, path: string): string {
  if (url === undefined) return path;
  const base = url.replace(/\/+$/, "");
  return path === "/" ? base : base + path;
}

/** Maps socket.io-client's connect_error to a typed error: the server's refusal, or a network failure. */
export function toConnectError(error: Error & { data?: unknown }): IocontractError {
  const data = error.data as Partial<WireError> | undefined;
  if (typeof data === "object" && data !== null && typeof data.code === "string" && typeof data.message === "string") {
    return IocontractError.fromWire(data as WireError);
  }
  // The server refused without a { code, message } (socket.io-client sets `data` only from a CONNECT_ERROR packet):
  // python-socketio's one-argument ConnectionRefusedError("..."), or its "Unable to connect" to a namespace it lacks.
  if (Object.prototype.hasOwnProperty.call(error, "data")) {
    return new IocontractError(WireErrorCode.UNAUTHORIZED, error.message || "the server refused the connection", { cause: error });
  }
  return new IocontractError(LocalErrorCode.CONNECTION_FAILED, error.message, { cause: error });
}

class ClientRuntime {
  readonly spec: NamespaceSpec;
  readonly socket: Socket;
  readonly validateIncoming: boolean;
  private readonly inbound = new Map<string, EventSpec>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly answerers = new Map<string, Answerer>();
  private readonly errorListeners = new Set<(error: IocontractError) => void>();
  private readonly retries: number;
  /** Random per client: idempotency keys are `<clientId>.<n>`, unguessable by other clients. */
  private readonly clientId = randomId();
  private keySeq = 0;
  /** What the server said about the connection before closing it (SHUTTING_DOWN, PAYLOAD_TOO_LARGE). */
  private notice: IocontractError | undefined;

  readonly emit: Record<string, unknown> = {};
  readonly on: Record<string, unknown> = {};
  readonly once: Record<string, unknown> = {};
  readonly handle: Record<string, unknown> = {};

  constructor(spec: NamespaceSpec, url: string | undefined, options: ClientOptions) {
    this.spec = spec;
    this.validateIncoming = options.validateIncoming ?? true;
    this.retries = options.retries ?? DEFAULT_RETRIES;
    const socketOptions: Partial<ManagerOptions & SocketOptions> = { ...options.socket };
    if (options.auth !== undefined) {
      // The sender's value travels as written (the server parses it); a function form is socket.io's own.
      const auth = options.auth;
      if (spec.auth !== undefined && typeof auth !== "function") {
        const checked = spec.checkAuth!(auth);
        if (!checked.ok) {
          throw new IocontractError(
            WireErrorCode.REQUEST_INVALID,
            `${spec.contractName} ${spec.path}: handshake auth invalid: ${formatIssues(checked.issues, "(auth)", checked.total)}`,
            { details: issueDetails(checked) },
          );
        }
      }
      socketOptions.auth = auth as NonNullable<SocketOptions["auth"]>;
    }
    const query = typeof socketOptions.query === "object" && socketOptions.query !== null ? socketOptions.query : {};
    socketOptions.query = { ...query, [CONTRACT_QUERY_KEY]: `${spec.contractName}@${spec.contractVersion}` };
    if (options.autoConnect !== undefined) socketOptions.autoConnect = options.autoConnect;
    this.socket = io(namespaceUrl(url, spec.path), socketOptions);

    for (const ev of spec.clientToServer) this.emit[ev.method] = this.makeEmit(ev);
    for (const ev of spec.serverToClient) {
      this.inbound.set(ev.wire, ev);
      if (ev.ack === undefined) {
        this.on[ev.method] = (listener: Listener) => this.subscribe(ev.wire, listener);
        this.once[ev.method] = (listener: Listener) => {
          const off = this.subscribe(ev.wire, (...args: unknown[]) => {
            off();
            listener(...args);
          });
          return off;
        };
      } else {
        this.handle[ev.method] = (answerer: Answerer): Unsubscribe => {
          this.answerers.set(ev.wire, answerer);
          return () => {
            if (this.answerers.get(ev.wire) === answerer) this.answerers.delete(ev.wire);
          };
        };
      }
    }
    this.on["connect"] = (listener: () => void) => this.lifecycle("connect", listener);
    this.on["disconnect"] = (listener: (reason: string, notice: IocontractError | undefined) => void) =>
      this.lifecycle("disconnect", (reason: string) => listener(reason, this.notice));
    this.on["connectError"] = (listener: (error: IocontractError) => void) =>
      this.lifecycle("connect_error", (error: Error) => listener(toConnectError(error)));
    this.socket.on("connect", () => {
      this.notice = undefined;
    });

    this.on["reconnect"] = (listener: (attempt: number) => void) => {
      this.socket.io.on("reconnect", listener);
      return () => void this.socket.io.off("reconnect", listener);
    };
    this.on["eventError"] = (listener: (error: IocontractError) => void) => {
      this.errorListeners.add(listener);
      return () => void this.errorListeners.delete(listener);
    };

    this.socket.onAny((event: string, ...args: unknown[]) => this.dispatch(event, args));
  }

  private lifecycle(event: string, listener: (...args: never[]) => void): Unsubscribe {
    this.socket.on(event, listener as Listener);
    return () => void this.socket.off(event, listener as Listener);
  }

  private subscribe(wire: string, listener: Listener): Unsubscribe {
    let set = this.listeners.get(wire);
    if (set === undefined) this.listeners.set(wire, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  private report(error: IocontractError): void {
    if (this.errorListeners.size === 0) {
      console.warn(`iocontract: ${error.message}`);
      return;
    }
    for (const listener of [...this.errorListeners]) listener(error);
  }

  private makeEmit(ev: EventSpec): (...args: unknown[]) => unknown {
    /** An invalid payload never leaves: it throws (or rejects) here. */
    const validate = (payload: unknown): void => {
      if (ev.payload !== undefined) {
        const checked = ev.checkPayload!(payload);
        if (!checked.ok) {
          throw new IocontractError(WireErrorCode.REQUEST_INVALID, `${ev.label}: ${formatIssues(checked.issues, undefined, checked.total)}`, {
            details: issueDetails(checked),
            event: ev.wire,
          });
        }
      }
    };
    const hasPayload = ev.payload !== undefined;
    // JSON cannot carry `undefined`: an undefined payload travels as no argument.
    const toArgs = (payload: unknown): unknown[] => (hasPayload && payload !== undefined ? [payload] : []);
    if (ev.ack === undefined) {
      return (...args: unknown[]) => {
        validate(args[0]);
        this.socket.emit(ev.wire, ...toArgs(args[0]));
      };
    }
    return (...args: unknown[]) =>
      new Promise((resolve, reject) => {
        const payloadArgs = toArgs(args[0]);
        const options = (hasPayload ? args[1] : args[0]) as CallOptions | undefined;
        validate(args[0]);
        const timeoutMs = options?.timeoutMs ?? ev.timeoutMs;
        // The key stays the same across retries: that is what lets the server run the handler once. A payload
        // that travels as no argument (undefined) gets neither: the key would take its place.
        const retries = payloadArgs.length === (hasPayload ? 1 : 0) ? (options?.retries ?? this.retries) : 0;
        if (retries > 0) payloadArgs.push({ [IDEMPOTENCY_KEY]: `${this.clientId}.${(this.keySeq++).toString(36)}` });
        let attempts = 0;
        const send = (): void => {
          attempts++;
          // While disconnected, socket.io-client buffers the packet and sends it once reconnected.
          this.socket.timeout(timeoutMs).emit(ev.wire, ...payloadArgs, onAnswer);
        };
        // socket.active stays true after a transport close even when the manager will not reconnect.
        const canRetry = () => attempts <= retries && this.socket.active && (this.socket.connected || this.socket.io.reconnection());
        const onAnswer = (error: Error | null, answer: unknown): void => {
          if (error) {
            if (canRetry()) return send();
            if (/disconnected/.test(error.message)) {
              // Cut off by our own oversized packet: say so. Otherwise the outcome is unknown: DISCONNECTED.
              if (this.notice?.code === WireErrorCode.PAYLOAD_TOO_LARGE) return reject(this.notice);
              return reject(new IocontractError(LocalErrorCode.DISCONNECTED, `${ev.label}: the connection closed before the answer`, { event: ev.wire }));
            }
            const tries = attempts > 1 ? ` (${attempts} attempts)` : "";
            return reject(new IocontractError(WireErrorCode.TIMEOUT, `${ev.label}: no answer within ${timeoutMs} ms${tries}`, { event: ev.wire }));
          }
          if (isAckEnvelope(answer) && !answer.ok && answer.error.code === WireErrorCode.SHUTTING_DOWN && canRetry()) {
            // Not handled: this server is about to close the connection (close() does, once its running
            // handlers are done). Send again after that: socket.io-client buffers it until the reconnect.
            return void this.socket.once("disconnect", send);
          }
          if (!isAckEnvelope(answer)) {
            return reject(
              new IocontractError(WireErrorCode.CONTRACT_MISMATCH, `${ev.label}: the server's answer is not an ack envelope ({ ok, data | error })`, {
                event: ev.wire,
              }),
            );
          }
          if (!answer.ok) return reject(IocontractError.fromWire(answer.error, ev.wire));
          if (!this.validateIncoming || ev.ack === undefined) return resolve(answer.data);
          const checked = ev.checkAck!(answer.data);
          if (checked.ok) resolve(checked.value);
          else
            reject(
              new IocontractError(WireErrorCode.RESPONSE_INVALID, `${ev.label}: the server's answer is invalid: ${formatIssues(checked.issues, "(ack)", checked.total)}`, {
                details: issueDetails(checked),
                event: ev.wire,
              }),
            );
        };
        send();
      });
  }

  private dispatch(event: string, args: unknown[]): void {
    if (event === ERROR_EVENT) {
      const payload = args[0] as Partial<WireError> & { event?: unknown };
      if (typeof payload === "object" && payload !== null && typeof payload.code === "string" && typeof payload.message === "string") {
        const error = IocontractError.fromWire(payload as WireError, typeof payload.event === "string" && payload.event !== "" ? payload.event : undefined);
        // An error about the connection itself comes just before the server closes it: the disconnect
        // listeners get it, and so do calls still waiting for an answer.
        if (error.code === WireErrorCode.SHUTTING_DOWN || error.code === WireErrorCode.PAYLOAD_TOO_LARGE) this.notice = error;
        if (error.code !== WireErrorCode.SHUTTING_DOWN) this.report(error);
      }
      return;
    }
    const ev = this.inbound.get(event);
    const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (answer: AckEnvelope<unknown>) => void) : undefined;
    // With connection-state recovery on, the server appends the packet's offset (a string) to every event sent
    // without an ack; socket.io-client reads it the same way (`_pid` is set only when recovery is on).
    if (ack === undefined && (this.socket as unknown as { _pid?: string })._pid && typeof args[args.length - 1] === "string") args.pop();
    if (ev === undefined) {
      ack?.({ ok: false, error: { code: WireErrorCode.UNKNOWN_EVENT, message: `${this.spec.contractName} ${this.spec.path}: unknown event ${JSON.stringify(event)}` } });
      return;
    }
    let payload: unknown;
    if (ev.payload !== undefined) {
      payload = args[0];
      if (this.validateIncoming) {
        const checked = ev.checkPayload!(payload);
        if (!checked.ok) {
          const message = `${ev.label}: the server sent an invalid payload: ${formatIssues(checked.issues, undefined, checked.total)}`;
          if (ack !== undefined) ack({ ok: false, error: { code: WireErrorCode.REQUEST_INVALID, message, details: issueDetails(checked) } });
          this.report(new IocontractError(WireErrorCode.CONTRACT_MISMATCH, message, { details: issueDetails(checked), event: ev.wire }));
          return;
        }
        payload = checked.value;
      }
    }
    if (ev.ack === undefined) {
      const set = this.listeners.get(ev.wire);
      if (set === undefined) return;
      for (const listener of [...set]) {
        // One listener's exception must not keep the others (or socket.io-client's own processing) from running.
        try {
          if (ev.payload === undefined) listener();
          else listener(payload);
        } catch (error) {
          console.error(`iocontract: a listener of ${ev.label} threw:`, error);
        }
      }
      return;
    }
    this.answer(ev, payload, ack);
  }

  private answer(ev: EventSpec, payload: unknown, ack: ((answer: AckEnvelope<unknown>) => void) | undefined): void {
    const answerer = this.answerers.get(ev.wire);
    const fail = (error: unknown) => {
      if (ack === undefined) return;
      if (error instanceof IocontractError) ack({ ok: false, error: error.toWire() });
      else ack({ ok: false, error: { code: WireErrorCode.HANDLER_FAILED, message: `${ev.label}: the client's handler failed` } });
    };
    if (answerer === undefined) {
      return fail(new IocontractError(WireErrorCode.UNKNOWN_EVENT, `${ev.label}: this client does not handle the request`));
    }
    const respond = (value: unknown) => {
      if (ack === undefined) return;
      if (ev.ack !== undefined) {
        const checked = ev.checkAck!(value);
        if (!checked.ok) {
          return fail(new IocontractError(WireErrorCode.RESPONSE_INVALID, `${ev.label}: the client's answer is invalid: ${formatIssues(checked.issues, "(ack)", checked.total)}`));
        }
      }
      ack({ ok: true, data: value });
    };
    try {
      const result = ev.payload === undefined ? (answerer as () => unknown)() : answerer(payload);
      if (isThenable(result)) result.then(respond, fail);
      else respond(result);
    } catch (error) {
      fail(error);
    }
  }
}

/** 128 random bits (Web Crypto, also in insecure browser contexts and Node ≥ 20), base 36. */
function randomId(): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(36)).join("");
}

/** The object generated `create<Name>Client()` returns (typed there). */
export interface RuntimeClient {
  readonly socket: Socket;
  readonly emit: Record<string, unknown>;
  readonly on: Record<string, unknown>;
  readonly once: Record<string, unknown>;
  readonly handle: Record<string, unknown>;
  readonly id: string | undefined;
  readonly connected: boolean;
  connect(): RuntimeClient;
  disconnect(): RuntimeClient;
  /** Resolves once connected; rejects with the typed connect error (a refusal, or CONNECTION_FAILED). */
  ready(): Promise<void>;
}

export function createClient(spec: RuntimeSpec, path: string, url: string | undefined, options: ClientOptions = {}): RuntimeClient {
  const rt = new ClientRuntime(resolveNamespace(spec, path), url, options);
  const client: RuntimeClient = {
    socket: rt.socket,
    emit: rt.emit,
    on: rt.on,
    once: rt.once,
    handle: rt.handle,
    get id() {
      return rt.socket.id;
    },
    get connected() {
      return rt.socket.connected;
    },
    connect() {
      rt.socket.connect();
      return client;
    },
    disconnect() {
      rt.socket.disconnect();
      return client;
    },
    ready() {
      if (rt.socket.connected) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onConnect = () => {
          rt.socket.off("connect_error", onError);
          resolve();
        };
        const onError = (error: Error) => {
          rt.socket.off("connect", onConnect);
          reject(toConnectError(error));
        };
        rt.socket.once("connect", onConnect);
        rt.socket.once("connect_error", onError);
      });
    },
  };
  return client;
}

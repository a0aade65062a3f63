/**
 * The client half of the runtime (browsers and Node). Generated code calls {@link createClient} and casts the
 * result to its generated interface. One socket.io-client `Socket` per namespace; sockets to the same URL share
 * one connection (socket.io-client's Manager).
 */
import { DEFAULT_RETRIES } from "./defaults";
import { type ManagerOptions, type SocketOptions, io } from "socket.io-client";
import {
  type ResolvedEvent,
  type RuntimeSpec,
  type ValidatorFactory,
  eventError,
  invalidEvent,
  isThenable,
  issueDetails,
  payloadArgs,
  resolveClientNamespace,
} from "./spec";
import {
  type AckEnvelope,
  CONTRACT_QUERY_KEY,
  ERROR_EVENT,
  IDEMPOTENCY_KEY,
  type BuiltinErrorCode,
  IocontractError,
  formatIssues,
  isAckEnvelope,
  isWireError,
} from "./wire";

import type { AnyClientNamespaceTypes, Client, ClientNamespaceTypes, Unsubscribe } from "./client-api";

export { IocontractError } from "./wire";
export type { RuntimeSpec } from "./spec";
export type { AckEnvelope, WireError, Issue } from "./wire";
export type * from "./client-api";
export { DEFAULT_RETRIES } from "./defaults";

export interface CallOptions {
  /** Overrides the contract's timeout for this call (each attempt gets this long). */
  readonly timeoutMs?: number;
  /** Overrides {@link ClientOptions.retries} for this call. */
  readonly retries?: number;
}

/** `Auth`: the handshake auth a sender writes (generated options fill it in; `never` when the contract has none). */
export interface ClientOptions<Auth = unknown> {
  /** The handshake auth, validated against the contract before anything is sent. */
  readonly auth?: Auth;
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

/**
 * Codes are written as literals, checked by `satisfies` (not `WireErrorCode.X`): the client bundle then carries
 * no table of codes.
 */
type Code = BuiltinErrorCode;
type Listener = (...args: unknown[]) => void;
type Answerer = (payload: unknown) => unknown;
type Ack = (answer: AckEnvelope<unknown>) => void;

function namespaceUrl(url: string | undefined, path: string): string {
  return url === undefined ? path : url.replace(/\/+$/, "") + (path === "/" ? "" : path);
}

/** Maps socket.io-client's connect_error to a typed error: the server's refusal, or a network failure. */
export function toConnectError(error: Error & { data?: unknown }): IocontractError {
  if (isWireError(error.data)) return IocontractError.fromWire(error.data);
  // The server refused without a { code, message } (socket.io-client sets `data` only from a CONNECT_ERROR packet):
  // python-socketio's one-argument ConnectionRefusedError("..."), or its "Unable to connect" to a namespace it lacks.
  if ("data" in error) {
    return new IocontractError("UNAUTHORIZED" satisfies Code, error.message || "the server refused the connection", {
      cause: error,
    });
  }
  return new IocontractError("CONNECTION_FAILED" satisfies Code, error.message, { cause: error });
}

/** 128 random bits (Web Crypto, also in insecure browser contexts and Node ≥ 20), base 36. */
function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(36)).join("");
}

/** What {@link createClient} builds: a {@link Client} of any namespace. */
export type RuntimeClient = Client<AnyClientNamespaceTypes>;

/**
 * One client of one namespace. Everything lives in this function's scope (no class): per-client state is a few
 * variables, and the bundle stays small because a minifier can shorten local names but not property names.
 */
export function createClient<T extends ClientNamespaceTypes = AnyClientNamespaceTypes>(
  spec: RuntimeSpec,
  path: string,
  url: string | undefined,
  options: ClientOptions<unknown> = {},
  /** How validators are made: zod's `safeParse` here; Node's entry (./client-node.ts) passes compiled ones. */
  makeValidator?: ValidatorFactory,
): Client<T> {
  const ns = resolveClientNamespace(spec, path, makeValidator);
  const validateIncoming = options.validateIncoming ?? true;
  const defaultRetries = options.retries ?? DEFAULT_RETRIES;
  /** Random per client: idempotency keys are `<clientId>.<n>`, unguessable by other clients. */
  const clientId = randomId();
  let keySeq = 0;
  /** What the server said about the connection before closing it (SHUTTING_DOWN, PAYLOAD_TOO_LARGE). */
  let notice: IocontractError | undefined;
  const inbound = new Map<string, ResolvedEvent>();
  const listeners = new Map<string, Set<Listener>>();
  const answerers = new Map<string, Answerer>();
  const errorListeners = new Set<(error: IocontractError) => void>();
  const emit: Record<string, unknown> = {};
  const on: Record<string, unknown> = {};
  const once: Record<string, unknown> = {};
  const handle: Record<string, unknown> = {};

  const socketOptions: Partial<ManagerOptions & SocketOptions> = { ...options.socket };
  if (options.auth !== undefined) {
    // The sender's value travels as written (the server parses it); a function form is socket.io's own.
    const auth = options.auth;
    if (ns.checkAuth !== undefined && typeof auth !== "function") {
      const checked = ns.checkAuth(auth);
      if (!checked.ok) {
        throw new IocontractError(
          "REQUEST_INVALID" satisfies Code,
          `${ns.contractName} ${ns.path}: handshake auth invalid: ${formatIssues(checked.issues, "(auth)", checked.total)}`,
          { details: issueDetails(checked) },
        );
      }
    }
    socketOptions.auth = auth as NonNullable<SocketOptions["auth"]>;
  }
  // (socket.io-client's `query` is an object; spreading undefined or null adds nothing.)
  socketOptions.query = { ...socketOptions.query, [CONTRACT_QUERY_KEY]: `${ns.contractName}@${ns.contractVersion}` };
  if (options.autoConnect !== undefined) socketOptions.autoConnect = options.autoConnect;
  const socket = io(namespaceUrl(url, ns.path), socketOptions);

  const lifecycle = (event: string, listener: (...args: never[]) => void): Unsubscribe => {
    socket.on(event, listener as Listener);
    return () => void socket.off(event, listener as Listener);
  };
  const subscribe = (wire: string, listener: Listener): Unsubscribe => {
    let set = listeners.get(wire);
    if (set === undefined) listeners.set(wire, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  };
  const report = (error: IocontractError): void => {
    if (errorListeners.size === 0) console.warn(`iocontract: ${error.message}`);
    else for (const listener of [...errorListeners]) listener(error);
  };

  for (const ev of ns.clientToServer) emit[ev.method] = makeEmit(ev);
  for (const ev of ns.serverToClient) {
    inbound.set(ev.wire, ev);
    if (ev.ack === undefined) {
      on[ev.method] = (listener: Listener) => subscribe(ev.wire, listener);
      once[ev.method] = (listener: Listener) => {
        const off = subscribe(ev.wire, (...args: unknown[]) => {
          off();
          listener(...args);
        });
        return off;
      };
    } else {
      handle[ev.method] = (answerer: Answerer): Unsubscribe => {
        answerers.set(ev.wire, answerer);
        return () => {
          if (answerers.get(ev.wire) === answerer) answerers.delete(ev.wire);
        };
      };
    }
  }
  on["connect"] = (listener: () => void) => lifecycle("connect", listener);
  on["disconnect"] = (listener: (reason: string, notice: IocontractError | undefined) => void) =>
    lifecycle("disconnect", (reason: string) => listener(reason, notice));
  on["connectError"] = (listener: (error: IocontractError) => void) =>
    lifecycle("connect_error", (error: Error) => listener(toConnectError(error)));
  socket.on("connect", () => {
    notice = undefined;
  });
  on["reconnect"] = (listener: (attempt: number) => void) => {
    socket.io.on("reconnect", listener);
    return () => void socket.io.off("reconnect", listener);
  };
  on["eventError"] = (listener: (error: IocontractError) => void) => {
    errorListeners.add(listener);
    return () => void errorListeners.delete(listener);
  };
  socket.onAny(dispatch);

  function makeEmit(ev: ResolvedEvent): (...args: unknown[]) => unknown {
    const hasPayload = ev.payload !== undefined;
    // An invalid payload never leaves: it throws (or rejects) here; an undefined payload travels as no argument
    // (./spec.ts `payloadArgs`, the rule of every sender).
    if (ev.ack === undefined) return (payload: unknown) => void socket.emit(ev.wire, ...payloadArgs(ev, payload));
    return (first: unknown, second: unknown) =>
      new Promise((resolve, reject) => {
        const args = payloadArgs(ev, first);
        const options = (hasPayload ? second : first) as CallOptions | undefined;
        const timeoutMs = options?.timeoutMs ?? ev.timeoutMs;
        // The key stays the same across retries: that is what lets the server run the handler once. A payload
        // that travels as no argument (undefined) gets neither: the key would take its place.
        const retries = args.length === (hasPayload ? 1 : 0) ? (options?.retries ?? defaultRetries) : 0;
        if (retries > 0) args.push({ [IDEMPOTENCY_KEY]: `${clientId}.${(keySeq++).toString(36)}` });
        let attempts = 0;
        const onAnswer = (error: Error | null, answer: unknown): void => {
          // socket.active stays true after a transport close even when the manager will not reconnect.
          const canRetry = attempts <= retries && socket.active && (socket.connected || socket.io.reconnection());
          if (error) {
            // While disconnected, socket.io-client buffers the packet and sends it once reconnected.
            if (canRetry) send();
            // Cut off by our own oversized packet: say so. Otherwise the outcome is unknown: DISCONNECTED.
            else if (/disconnected/.test(error.message)) {
              reject(
                notice?.code === ("PAYLOAD_TOO_LARGE" satisfies Code)
                  ? notice
                  : eventError("DISCONNECTED", ev, "the connection closed before the answer"),
              );
            } else
              reject(
                eventError(
                  "TIMEOUT",
                  ev,
                  `no answer within ${timeoutMs} ms${attempts > 1 ? ` (${attempts} attempts)` : ""}`,
                ),
              );
          } else if (!isAckEnvelope(answer)) {
            reject(eventError("CONTRACT_MISMATCH", ev, "the server's answer is not an ack envelope"));
          } else if (answer.ok) {
            const checked = validateIncoming && ev.checkAck!(answer.data);
            if (!checked) resolve(answer.data);
            else if (checked.ok) resolve(checked.value);
            else reject(invalidEvent("RESPONSE_INVALID", ev, "the server's answer is invalid: ", checked, "(ack)"));
          } else if (answer.error.code === ("SHUTTING_DOWN" satisfies Code) && canRetry) {
            // Not handled: this server is about to close the connection (close() does, once its running
            // handlers are done). Send again after that: socket.io-client buffers it until the reconnect.
            socket.once("disconnect", send);
          } else reject(IocontractError.fromWire(answer.error, ev.wire));
        };
        const send = (): void => {
          attempts++;
          socket.timeout(timeoutMs).emit(ev.wire, ...args, onAnswer);
        };
        send();
      });
  }

  function dispatch(event: string, ...args: unknown[]): void {
    if (event === ERROR_EVENT) {
      const payload = args[0];
      if (isWireError(payload)) {
        const about = (payload as { event?: unknown }).event;
        const error = IocontractError.fromWire(payload, (typeof about === "string" && about) || undefined);
        // An error about the connection itself comes just before the server closes it: the disconnect
        // listeners get it, and so do calls still waiting for an answer.
        if (error.code === ("SHUTTING_DOWN" satisfies Code) || error.code === ("PAYLOAD_TOO_LARGE" satisfies Code))
          notice = error;
        if (error.code !== ("SHUTTING_DOWN" satisfies Code)) report(error);
      }
      return;
    }
    const ev = inbound.get(event);
    const ack = typeof args[args.length - 1] === "function" ? (args.pop() as Ack) : undefined;
    // With connection-state recovery on, the server appends the packet's offset (a string) to every event sent
    // without an ack; socket.io-client reads it the same way (`_pid` is set only when recovery is on).
    if (ack === undefined && (socket as unknown as { _pid?: string })._pid && typeof args[args.length - 1] === "string")
      args.pop();
    if (ev === undefined) {
      ack?.({
        ok: false,
        error: {
          code: "UNKNOWN_EVENT" satisfies Code,
          message: `${ns.contractName} ${ns.path}: unknown event ${JSON.stringify(event)}`,
        },
      });
      return;
    }
    let payload: unknown;
    if (ev.payload !== undefined) {
      payload = args[0];
      if (validateIncoming) {
        const checked = ev.checkPayload!(payload);
        if (!checked.ok) {
          const error = invalidEvent("CONTRACT_MISMATCH", ev, "the server sent an invalid payload: ", checked);
          ack?.({ ok: false, error: { ...error.toWire(), code: "REQUEST_INVALID" satisfies Code } });
          report(error);
          return;
        }
        payload = checked.value;
      }
    }
    if (ev.ack === undefined) {
      const set = listeners.get(ev.wire);
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
    } else answer(ev, payload, ack);
  }

  /** A request from the server (an event with an ack): the registered answerer's value, checked, or an error. */
  function answer(ev: ResolvedEvent, payload: unknown, ack: Ack | undefined): void {
    const answerer = answerers.get(ev.wire);
    const fail = (error: unknown) =>
      ack?.({
        ok: false,
        error:
          error instanceof IocontractError
            ? error.toWire()
            : { code: "HANDLER_FAILED" satisfies Code, message: `${ev.label}: the client's handler failed` },
      });
    if (answerer === undefined) {
      return fail(eventError("UNKNOWN_EVENT", ev, "not handled by this client"));
    }
    const respond = (value: unknown) => {
      if (ack === undefined) return;
      const checked = (ev.encodeAck ?? ev.checkAck)!(value);
      if (checked.ok) ack({ ok: true, data: ev.encodeAck ? checked.value : value });
      // (No details on the wire: the server learns that its request's answer failed, not the client's values.)
      else
        fail(
          eventError(
            "RESPONSE_INVALID",
            ev,
            `the client's answer is invalid: ${formatIssues(checked.issues, "(ack)", checked.total)}`,
          ),
        );
    };
    try {
      const result = ev.payload === undefined ? (answerer as () => unknown)() : answerer(payload);
      if (isThenable(result)) result.then(respond, fail);
      else respond(result);
    } catch (error) {
      fail(error);
    }
  }

  const client: RuntimeClient = {
    socket,
    emit,
    on,
    once,
    handle,
    get id() {
      return socket.id;
    },
    get connected() {
      return socket.connected;
    },
    connect() {
      socket.connect();
      return client;
    },
    disconnect() {
      socket.disconnect();
      return client;
    },
    ready() {
      if (socket.connected) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onConnect = () => {
          socket.off("connect_error", onError);
          resolve();
        };
        const onError = (error: Error) => {
          socket.off("connect", onConnect);
          reject(toConnectError(error));
        };
        socket.once("connect", onConnect);
        socket.once("connect_error", onError);
      });
    },
    error: <Code extends string>(code: Code, details: unknown, message: string = code) =>
      new IocontractError(code, message, { details }),
  };
  // `T` comes from the same generated file as `spec`: the methods built above are T's events.
  return client as unknown as Client<T>;
}

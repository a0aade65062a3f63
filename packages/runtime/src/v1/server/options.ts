/**
 * The server's options: what `create<Name>Server()` takes ({@link ServerOptions}), the defaults it fills in
 * ({@link resolveSettings}) and how they map onto socket.io's own `Server` options ({@link ioOptionsOf}).
 * Pure: nothing here opens a socket.
 */
import type * as http from "node:http";
import type { ServerOptions as IoServerOptions } from "socket.io";
import type { IdempotencyOptions } from "../dedupe";
import type { AllowedHostsOption } from "../host-check";
import type { ConnectionLimits } from "../connections";
import type { RefusalBudget } from "../limits";
import {
  DEFAULT_ATTACHMENT_TIMEOUT_MS,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_RECOVERY_MAX_BYTES,
  DEFAULT_RECOVERY_MS,
  DEFAULT_REFUSAL_BURST,
  DEFAULT_REFUSAL_PER_SECOND,
} from "../defaults";
import type { Server } from "socket.io";

/** Where an error happened, for {@link ServerOptions.onError}. */
export interface ErrorInfo {
  readonly namespace: string;
  /** The event's wire name, or `connect` / `disconnect`. */
  readonly event: string;
  readonly sid: string | undefined;
}

/** `Handlers`: one handler object per namespace, keyed by path (generated `<Name>ServerHandlers`). */
export interface ServerOptions<Handlers extends object = object> {
  /** One handler object per namespace of the contract, keyed by namespace path (typed by the generated code). */
  readonly handlers: Handlers;
  /** Attach to this HTTP(S) server (plain `http`, Express's, Fastify's...). Without it, call `listen()`. */
  readonly httpServer?: http.Server | import("node:https").Server;
  /**
   * Add the contract's namespaces to this existing socket.io `Server` instead of creating one (incremental
   * adoption): its other namespaces, middleware, adapter and options are left alone. The options that configure
   * a `Server` or its connections (`httpServer`, `socketio`, `adapter`, `cors`, `allowedHosts`, `logRefusals`,
   * `connectionLimits`, `connectionStateRecovery`, `keepHttpRequest`, `maxPayloadBytes`, `attachmentTimeoutMs`)
   * must then be left out: set what socket.io offers on your `Server`; the Host/Origin checks, connection limits
   * and packet watch of iocontract's own Server do not apply to it. `listen()` is not available (listen on
   * your HTTP server); `close()` drains and disconnects only the contract's namespaces. A Server with
   * connection-state recovery must set `connectionStateRecovery.skipMiddlewares: false` (a recovered connection
   * goes through the contract's handshake checks like any other).
   */
  readonly io?: Server;
  /** Passed to socket.io's `Server` as they are (cors, path, transports, connectionStateRecovery...). */
  readonly socketio?: Partial<IoServerOptions>;
  /** Any socket.io adapter (Redis, Redis streams, cluster...). Same as `socketio.adapter`. */
  readonly adapter?: IoServerOptions["adapter"];
  /** Validate what the server sends (payloads, acks, error details) against the contract. Default: true. */
  readonly validateOutgoing?: boolean;
  /**
   * Validate what clients send. Default: true. `false` (or false for a namespace path) lets payloads reach
   * handlers unchecked: only for peers you trust, or to measure what validation costs (bench/).
   */
  readonly validateIncoming?: boolean | ((namespace: string) => boolean);
  /**
   * Keep each connection's whole first HTTP request (`socket.request`), as socket.io does by default. Default:
   * false: only what `ctx.handshake` reads is kept (socket.io's memory tip; see ../memory.ts). Set it when a
   * middleware reads `socket.request` later (express-session, passport).
   */
  readonly keepHttpRequest?: boolean;
  /** Validate the answers clients give to server→client requests. Default: true. */
  readonly validateAnswers?: boolean;
  /** Refuse clients that announce another contract or major version (`?iocontract=name@x.y.z`). Default: true. */
  readonly checkContractVersion?: boolean;
  /**
   * Called for every error the client does not get to see in full: a handler that threw something other than
   * a contract error, an invalid ack or outgoing payload. Default: `console.error`.
   */
  readonly onError?: (error: unknown, info: ErrorInfo) => void;
  /**
   * The largest packet a client may send, in bytes (default 1 000 000, socket.io's own default). A bigger one is
   * answered with `PAYLOAD_TOO_LARGE` on the reserved error event, then the client is disconnected; it never
   * reaches a handler. Packets over twice the limit are cut by the transport itself, without a message.
   */
  readonly maxPayloadBytes?: number;
  /**
   * Server→client events missed during a brief disconnect are delivered after the reconnect (socket.io's
   * connection-state recovery), where the adapter supports it (in-memory, Redis streams). Default: on, for
   * 2 minutes. `false` turns it off. `socketio.connectionStateRecovery`, when given, wins. With socket.io's
   * in-memory adapter the packets kept for it are bounded by `maxBytes` (default 32 MiB, counted as each
   * packet's encoded length plus 256), oldest dropped first; see ../limits.ts. The runtime's own error answers
   * are never kept.
   */
  readonly connectionStateRecovery?: false | { readonly maxDisconnectionDuration?: number; readonly maxBytes?: number };
  /**
   * Idempotency keys (client→server retries run the handler once; see docs/reliability.md). Default: on,
   * answers kept 2 minutes, at most 50 000 keys in all and 10 000 per client (docs/security.md). `false` turns
   * it off (keys are then ignored).
   */
  readonly idempotency?: false | IdempotencyOptions;
  /**
   * Which browser pages may connect, checked on every transport (websocket included) by the `Origin` header.
   * Default `"same-origin"`: pages served from this server's own host, plus clients that send no `Origin`
   * (Node, Python, mobile). `"*"` allows any origin; a list allows those origins (strings compared exactly,
   * or RegExps). Setting `socketio.cors` or `socketio.allowRequest` yourself turns this check off (the `Host`
   * check of {@link allowedHosts} stays). A refusal is logged (see {@link logRefusals}).
   */
  readonly cors?: "same-origin" | "*" | ReadonlyArray<string | RegExp>;
  /**
   * Host names the server answers to, checked on every handshake by the `Host` header (against DNS rebinding).
   * Default `"loopback"`: on a loopback address (127.0.0.1, ::1) only `localhost`, `*.localhost` and IP
   * addresses; on other addresses any host. A list accepts those names (without port; strings or RegExps)
   * besides the loopback ones, and on any address refuses the names it does not list. `"*"`: no check.
   */
  readonly allowedHosts?: AllowedHostsOption;
  /**
   * Where the one-line notes about refused handshakes go (a disallowed Origin or Host: one line per value per
   * minute, naming the option that allows it). Default `console.warn`; `false`: nowhere.
   */
  readonly logRefusals?: false | ((line: string) => void);
  /**
   * How many refused events (unknown, invalid, over a rate limit) one socket may send: `burst` at once, then
   * `perSecond`. Past it the socket gets `TOO_MANY_INVALID_EVENTS` on the reserved error event and is
   * disconnected. Default `{ burst: 100, perSecond: 10 }`; `false` turns it off.
   */
  readonly invalidEventBudget?: false | RefusalBudget;
  /**
   * How long the binary attachments of one event may take to arrive, in ms (default 5 000). Late: the client
   * gets `ATTACHMENTS_INCOMPLETE` on the reserved error event and is disconnected (what had arrived is freed).
   * An event's attachments count towards `maxPayloadBytes` with its packet.
   */
  readonly attachmentTimeoutMs?: number;
  /** Connection limits in total and per address (see ../connections.ts). Default: none. */
  readonly connectionLimits?: ConnectionLimits;
}

/** Options that configure a socket.io `Server`: refused together with {@link ServerOptions.io}. */
const SERVER_SETTINGS = [
  "httpServer",
  "socketio",
  "adapter",
  "cors",
  "allowedHosts",
  "logRefusals",
  "connectionLimits",
  "connectionStateRecovery",
  "keepHttpRequest",
  "maxPayloadBytes",
  "attachmentTimeoutMs",
] as const;

/** The options every part of the server reads, defaults filled in. */
export interface ServerSettings {
  readonly validateOutgoing: boolean;
  readonly validateAnswers: boolean;
  readonly validatesIncoming: (namespace: string) => boolean;
  readonly checkContractVersion: boolean;
  readonly onError: (error: unknown, info: ErrorInfo) => void;
  /** Attached to a socket.io `Server` the application made ({@link ServerOptions.io}): its settings are not ours. */
  readonly attached: boolean;
  readonly maxPayloadBytes: number;
  readonly invalidEventBudget: Required<RefusalBudget> | undefined;
  readonly attachmentTimeoutMs: number;
  /** The recovery buffer's byte bound (only on a Server of our own, with recovery on). */
  readonly recoveryMaxBytes: number | undefined;
}

/** Fills in the defaults; throws (naming the contract) for options that cannot go together. */
export function resolveSettings(contractName: string, options: ServerOptions): ServerSettings {
  const attached = options.io !== undefined;
  if (attached) {
    // Incremental adoption: the application's Server keeps its own settings; only namespaces are added.
    const conflicting = SERVER_SETTINGS.filter((key) => options[key] !== undefined);
    if (conflicting.length > 0) {
      throw new Error(
        `iocontract: ${contractName}: with \`io\` (an existing socket.io Server), set ${conflicting.join(", ")} on that Server instead`,
      );
    }
  }
  const validateIncoming = options.validateIncoming ?? true;
  const budget = options.invalidEventBudget;
  const recovery = options.connectionStateRecovery;
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (!attached && (!Number.isInteger(maxPayloadBytes) || maxPayloadBytes < 1024)) {
    throw new Error(`iocontract: ${contractName}: maxPayloadBytes must be an integer >= 1024 (got ${maxPayloadBytes})`);
  }
  return {
    validateOutgoing: options.validateOutgoing ?? true,
    validateAnswers: options.validateAnswers ?? true,
    validatesIncoming: typeof validateIncoming === "function" ? validateIncoming : () => validateIncoming,
    checkContractVersion: options.checkContractVersion ?? true,
    onError:
      options.onError ??
      ((error, info) => {
        console.error(
          `iocontract: ${contractName} ${info.namespace} ${JSON.stringify(info.event)} (sid ${info.sid ?? "-"}):`,
          error,
        );
      }),
    attached,
    maxPayloadBytes,
    invalidEventBudget:
      budget === false
        ? undefined
        : { burst: budget?.burst ?? DEFAULT_REFUSAL_BURST, perSecond: budget?.perSecond ?? DEFAULT_REFUSAL_PER_SECOND },
    attachmentTimeoutMs: options.attachmentTimeoutMs ?? DEFAULT_ATTACHMENT_TIMEOUT_MS,
    // The recovery buffer's bound acts on the Server's adapter: only on our own.
    recoveryMaxBytes: attached || recovery === false ? undefined : (recovery?.maxBytes ?? DEFAULT_RECOVERY_MAX_BYTES),
  };
}

/**
 * The socket.io options of a Server of our own, and the Origin rule left to iocontract's own check (undefined
 * when the user set `socketio.cors` or `socketio.allowRequest`: socket.io's then). `allowRequest` is the user's
 * own still: the server wraps it (./admission.ts).
 */
export function ioOptionsOf(
  options: ServerOptions,
  maxPayloadBytes: number,
): { ioOptions: Partial<IoServerOptions>; cors: NonNullable<ServerOptions["cors"]> | undefined } {
  const ioOptions: Partial<IoServerOptions> = { ...options.socketio };
  if (options.adapter !== undefined) ioOptions.adapter = options.adapter;
  if (!("connectionStateRecovery" in ioOptions) && options.connectionStateRecovery !== false) {
    ioOptions.connectionStateRecovery = {
      maxDisconnectionDuration: options.connectionStateRecovery?.maxDisconnectionDuration ?? DEFAULT_RECOVERY_MS,
    };
  }
  // A recovered connection must go through admission like any other (auth, context, connect handler):
  // socket.io skips middlewares for it unless told otherwise.
  if (ioOptions.connectionStateRecovery) {
    ioOptions.connectionStateRecovery = { ...ioOptions.connectionStateRecovery, skipMiddlewares: false };
  }
  // The transport's own cap stays above ours, so that a packet over our limit gets a clear answer first.
  ioOptions.maxHttpBufferSize = Math.max(ioOptions.maxHttpBufferSize ?? 0, maxPayloadBytes * 2);
  let cors: NonNullable<ServerOptions["cors"]> | undefined;
  if (ioOptions.cors === undefined && ioOptions.allowRequest === undefined) {
    cors = options.cors ?? "same-origin";
    if (options.cors !== undefined && options.cors !== "same-origin") {
      // Cross-origin long-polling needs the CORS response headers too (websockets do not).
      ioOptions.cors = { origin: options.cors === "*" ? "*" : [...options.cors] };
    }
  }
  return { ioOptions, cors };
}

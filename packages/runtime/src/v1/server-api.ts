/**
 * The server API, written once: generic interfaces over a namespace's generated types. Generated code declares
 * each namespace's names as thin instances (`interface ChatContext extends Context<ChatTypes> {}`) and supplies
 * the contract's parts in a {@link ServerNamespaceTypes} record: the per-event method interfaces (with the
 * contract's docs), the handshake auth, the session, the error codes. The classes in ./server/ implement
 * these interfaces for {@link AnyServerNamespaceTypes}.
 *
 * Types only: nothing here is in any bundle.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { ParsedUrlQuery } from "node:querystring";
import type { DisconnectReason, Namespace, Socket } from "socket.io";
import type { IocontractError } from "./wire";

/** One room (or sid), or several. */
export type Rooms = string | readonly string[];

/**
 * What the generic API of one namespace is parameterised by; generated code writes one per namespace
 * (`ChatTypes` for "/"). Each member is a type the contract determines.
 */
export interface ServerNamespaceTypes {
  /** The namespace's path, as a literal type (`"/"`, `"/admin"`). */
  readonly path: string;
  /** Fire-and-forget server→client events: one method per event, `(payload) => void`. */
  readonly emit: object;
  /** Server→client requests to one socket: one method per event, resolving with its typed answer. */
  readonly request: object;
  /** Server→client requests to many sockets: one method per event, resolving with one envelope per socket. */
  readonly broadcastRequest: object;
  /** The handshake auth after validation (`Record<string, unknown>` when the contract declares none). */
  readonly auth: unknown;
  /** The session (`socketData`) as handlers read it. */
  readonly session: unknown;
  /** The session as `setSession` takes it (zod's input type). */
  readonly sessionInput: unknown;
  /** The contract's error codes of this namespace, each with the details a thrower writes. */
  readonly errors: object;
  /** socket.io's `Socket`, typed with the namespace's event maps. */
  readonly socket: unknown;
  /** socket.io's `Namespace`, typed with the namespace's event maps. */
  readonly nsp: unknown;
}

/** The untyped instance the runtime's own classes implement: any namespace's values fit it. */
export interface AnyServerNamespaceTypes extends ServerNamespaceTypes {
  readonly errors: Record<string, unknown>;
  readonly socket: Socket;
  readonly nsp: Namespace;
}

/** What `connect` and every handler see of the handshake. */
export interface Handshake<Auth> {
  /** Validated against the contract before `connect` runs (unvalidated when the contract declares no auth). */
  readonly auth: Auth;
  readonly headers: IncomingHttpHeaders;
  readonly query: ParsedUrlQuery;
  readonly address: string;
  readonly time: string;
  readonly secure: boolean;
  readonly url: string;
  /**
   * The contract version the client announced (generated clients send `name@version`; the server has refused another
   * major version with CONTRACT_MISMATCH). Undefined for clients that announce none (python-socketio, raw clients).
   */
  readonly contractVersion: string | undefined;
}

/** A selection of sockets of one namespace: rooms, sids, minus exceptions. */
export interface Broadcast<T extends ServerNamespaceTypes> {
  /** Fire-and-forget events to every selected socket. Payloads are validated before they leave. */
  readonly emit: T["emit"];
  /** Ask every selected socket: one envelope per socket that answered (TIMEOUT if some did not). */
  readonly request: T["broadcastRequest"];
  /** Adds rooms (or sids) to the selection. */
  to(room: Rooms): Broadcast<T>;
  /** Same as `to`. */
  in(room: Rooms): Broadcast<T>;
  /** Leaves out rooms (or sids), python-socketio's `skip_sid`. */
  except(room: Rooms): Broadcast<T>;
}

/** What every handler of a namespace receives: one per connection. */
export interface Context<T extends ServerNamespaceTypes> {
  readonly sid: string;
  readonly namespace: T["path"];
  readonly handshake: Handshake<T["auth"]>;
  /** Set by `setSession`; undefined before. */
  readonly session: T["session"] | undefined;
  readonly rooms: string[];
  readonly connected: boolean;
  /** To this socket. */
  readonly emit: T["emit"];
  /** Ask this socket and await its answer (rejects with DISCONNECTED if it goes first). */
  readonly request: T["request"];
  /** To every other socket of the namespace (the sender is left out). */
  readonly broadcast: Broadcast<T>;
  /** The socket.io socket, as an escape hatch. */
  readonly socket: T["socket"];
  /** Stores the per-connection session (python-socketio's `save_session`), validated against the contract. */
  setSession(value: T["sessionInput"]): void;
  join(room: Rooms): void;
  leave(room: string): void;
  /** To rooms (or sids); the sender is included if it is in them (`.except(ctx.sid)` leaves it out). */
  to(room: Rooms): Broadcast<T>;
  /** To every other socket but these rooms (or sids): the sender is left out, as with `broadcast`. */
  except(room: Rooms): Broadcast<T>;
  disconnect(): void;
  /** A contract error to throw: `throw ctx.error("NOT_IN_ROOM", { room })`; the caller receives the code and details. */
  error<Code extends keyof T["errors"] & string>(
    code: Code,
    details: T["errors"][Code],
    message?: string,
  ): IocontractError<Code>;
  /** From `connect`: `throw ctx.refuse("UNAUTHORIZED", "bad token")`; the client's connect error carries it. */
  refuse(code: "UNAUTHORIZED" | "CONTRACT_MISMATCH", message?: string, details?: unknown): IocontractError;
  /** From `connect`: refuses with one of the contract's codes; the client's connect error carries the details. */
  refuse<Code extends keyof T["errors"] & string>(
    code: Code,
    message: string,
    details: T["errors"][Code],
  ): IocontractError<Code>;
}

/** The handlers every namespace may have besides its events. */
export interface LifecycleHandlers<Ctx> {
  /** Runs after the handshake auth is validated, before the client is connected. Throw `ctx.refuse(...)` to refuse. */
  connect?(ctx: Ctx): void | Promise<void>;
  disconnect?(ctx: Ctx, reason: DisconnectReason): void | Promise<void>;
}

/** One socket by id, on any node. */
export interface SocketTarget<T extends ServerNamespaceTypes> {
  readonly emit: T["emit"];
  readonly request: T["request"];
}

/** Options of a server→client request. */
export interface RequestOptions {
  /** Overrides the contract's timeout for this request. */
  readonly timeoutMs?: number;
}

/** Options of `send()` (python-socketio's `send`). */
export interface SendOptions {
  /** Rooms or sids; everyone when absent. */
  readonly to?: Rooms;
  /** Rooms or sids to skip (python-socketio's `skip_sid`). */
  readonly except?: Rooms;
}

/** The server side of one namespace, usable outside any handler. */
export interface ServerNamespace<T extends ServerNamespaceTypes> {
  /** To every socket of the namespace. */
  readonly emit: T["emit"];
  /** Ask every socket of the namespace. */
  readonly request: T["broadcastRequest"];
  /** The socket.io namespace, as an escape hatch. */
  readonly nsp: T["nsp"];
  to(room: Rooms): Broadcast<T>;
  in(room: Rooms): Broadcast<T>;
  except(room: Rooms): Broadcast<T>;
  /** One socket by id, on any node (python-socketio's `room=sid`). */
  socket(sid: string): SocketTarget<T>;
  enterRoom(sid: string, room: Rooms): Promise<void>;
  leaveRoom(sid: string, room: string): Promise<void>;
  /** The rooms of a socket, its own sid room included; [] when it is not connected. */
  rooms(sid: string): Promise<string[]>;
  /** The ids of the sockets in a room (or all), on every node. */
  sids(room?: string): Promise<string[]>;
  disconnectSockets(room?: string): void;
}

/** Options of `server.close()`. */
export interface CloseOptions {
  /** How long in-flight handlers get to finish before connections are closed anyway, in ms. Default 10 000. */
  readonly deadlineMs?: number;
}

/** The server as a whole: generated `<Name>Server` interfaces extend it (and the root namespace's API). */
export interface ContractServer<IO, Namespaces> {
  /** The socket.io server, as an escape hatch (the one given as `io`, when attached to an existing one). */
  readonly io: IO;
  readonly httpServer: import("node:http").Server | import("node:https").Server;
  readonly namespaces: Namespaces;
  /**
   * Listens when no `httpServer` (and no `io`) was given (default host 127.0.0.1, port 0 = any free port).
   */
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /**
   * Graceful shutdown: refuses new connections and events (SHUTTING_DOWN), lets running handlers finish (until
   * `deadlineMs`), tells every client, closes their connections (they reconnect) and the HTTP server. Attached
   * to an existing `io`, only the contract's namespaces are drained and their sockets disconnected.
   */
  close(options?: CloseOptions): Promise<void>;
}

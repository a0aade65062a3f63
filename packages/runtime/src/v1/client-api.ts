/**
 * The client API, written once: generic interfaces over a namespace's generated types. Generated code declares
 * `interface ChatClient extends Client<ChatClientTypes> {}` and supplies, in a {@link ClientNamespaceTypes}
 * record, the per-event method interfaces (with the contract's docs) and the error codes. `createClient` in
 * ./client.ts returns an object of this shape.
 *
 * Types only: nothing here is in any bundle.
 */
import type { Socket } from "socket.io-client";
import type { IocontractError } from "./wire";

export type Unsubscribe = () => void;

/** What the generic client API of one namespace is parameterised by; generated code writes one per namespace. */
export interface ClientNamespaceTypes {
  /** Client→server events: one method per event (fire-and-forget, or resolving with the typed ack). */
  readonly emit: object;
  /** Server→client events and the connection's lifecycle ({@link ClientLifecycle}): each returns an unsubscribe. */
  readonly on: object;
  /** Server→client events, once: each returns an unsubscribe. */
  readonly once: object;
  /** Answers to server→client requests: one method per request event. */
  readonly handle: object;
  /** socket.io-client's `Socket`, typed with the namespace's event maps. */
  readonly socket: unknown;
  /** The contract's error codes of this namespace, each with its details (what {@link Client.error} takes). */
  readonly errors?: object;
}

/** The contract's error codes of a namespace, with their details (none when the generated types predate them). */
type ErrorsOf<T extends ClientNamespaceTypes> = T extends { readonly errors: infer E extends object }
  ? E
  : Record<never, never>;

/** The untyped instance `createClient` builds: any namespace's values fit it. */
export interface AnyClientNamespaceTypes extends ClientNamespaceTypes {
  readonly emit: Record<string, unknown>;
  readonly on: Record<string, unknown>;
  readonly once: Record<string, unknown>;
  readonly handle: Record<string, unknown>;
  readonly socket: Socket;
  readonly errors: Record<string, unknown>;
}

/** The connection's lifecycle, on every client's `on`; `Code` is the namespace's error codes. */
export interface ClientLifecycle<Code extends string> {
  connect(listener: () => void): Unsubscribe;
  /** `notice`: what the server said before closing the connection (SHUTTING_DOWN: it reconnects by itself; PAYLOAD_TOO_LARGE). */
  disconnect(listener: (reason: Socket.DisconnectReason, notice: IocontractError | undefined) => void): Unsubscribe;
  /** The server's refusal (its code, message and details), or CONNECTION_FAILED. */
  connectError(listener: (error: IocontractError<Code>) => void): Unsubscribe;
  reconnect(listener: (attempt: number) => void): Unsubscribe;
  /** A fire-and-forget event this client sent was rejected (`error.event` names it), or the server sent an invalid payload. */
  eventError(listener: (error: IocontractError<Code>) => void): Unsubscribe;
}

/** A client of one namespace. */
export interface Client<T extends ClientNamespaceTypes> {
  /** Client→server events. Payloads are validated before they leave; an invalid one throws (or rejects) with REQUEST_INVALID. */
  readonly emit: T["emit"];
  /** Server→client events and the connection's lifecycle: each returns an unsubscribe function. */
  readonly on: T["on"];
  /** Server→client events, delivered once: each returns an unsubscribe function. */
  readonly once: T["once"];
  /** Answers to server→client requests: return the ack, or throw an IocontractError. */
  readonly handle: T["handle"];
  /** The socket.io-client socket, as an escape hatch. */
  readonly socket: T["socket"];
  readonly id: string | undefined;
  readonly connected: boolean;
  connect(): Client<T>;
  disconnect(): Client<T>;
  /** Resolves once connected; rejects with the typed connect error (a refusal, or CONNECTION_FAILED). */
  ready(): Promise<void>;
  /**
   * An error for an answerer of a server→client request to throw, as `ctx.error()` is on the server:
   * `throw chat.error("NOT_IN_ROOM", { room })`. The server's request rejects with the code and the details;
   * the message defaults to the code in words ("not in room").
   */
  error<Code extends keyof ErrorsOf<T> & string>(
    code: Code,
    details: ErrorsOf<T>[Code],
    message?: string,
  ): IocontractError<Code, ErrorsOf<T>[Code]>;
}

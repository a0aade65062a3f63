/**
 * Notices about a connection itself, on the reserved error event, just before the server closes it
 * (TOO_MANY_INVALID_EVENTS, PAYLOAD_TOO_LARGE, ATTACHMENTS_INCOMPLETE, SHUTTING_DOWN).
 */
import type { Socket } from "socket.io";
import { sendDirect, stopReading } from "../limits";
import { ERROR_EVENT, type ErrorEventPayload } from "../wire";

/** The part of engine.io's Socket the runtime uses. */
export type EngineSocket = Socket["conn"];

/** A notice about the connection on the reserved error event (this socket only, never kept for recovery). */
export function notify(
  socket: Socket,
  contract: string,
  event: string,
  code: string,
  what: string,
  details?: unknown,
): void {
  const message = `${contract} ${socket.nsp.name}: ${what}`;
  const payload: ErrorEventPayload =
    details === undefined ? { event, code, message } : { event, code, message, details };
  sendDirect(socket, ERROR_EVENT, payload);
}

/**
 * Tells every socket of `conn` (`sockets`: the contract's sockets on it) why, then closes the connection. A
 * client's mistake, answered in full to that client: not a server error for onError.
 */
export function closeWith(
  conn: EngineSocket,
  sockets: readonly Socket[],
  contract: string,
  event: string,
  code: string,
  what: string,
  details: unknown,
): void {
  for (const socket of sockets) notify(socket, contract, event, code, what, details);
  // DISCONNECT packets after the error events (same write buffer), then the connection closes once flushed.
  if (sockets.length > 0) sockets[0]!.disconnect(true);
  else conn.close();
  stopReading(conn);
}

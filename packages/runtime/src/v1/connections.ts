/**
 * Connection limits (ServerOptions.connectionLimits): engine.io connections in total and per remote address,
 * checked at the handshake, before engine.io makes a session. Off by default. A refused handshake gets engine.io's
 * HTTP refusal (403 for polling, 400 for a websocket upgrade) whose message starts with `TOO_MANY_CONNECTIONS`;
 * Socket.IO clients retry it with their reconnection back-off.
 *
 * Handshakes allowed but not yet connected are counted too (a burst of simultaneous handshakes cannot overshoot);
 * such a reservation lapses after {@link RESERVATION_MS} if its handshake never completes.
 */
import type { IncomingMessage } from "node:http";

export interface ConnectionLimits {
  /** Connections in total. Default: no limit. */
  readonly total?: number;
  /** Connections per remote address. Default: no limit. */
  readonly perAddress?: number;
  /**
   * A request header that carries the client's address, set by your proxy (`"x-forwarded-for"`,
   * `"x-real-ip"`...): its first comma-separated value is the address. Only name it when every request comes
   * through that proxy (anyone can send the header). Default: the TCP peer's address.
   */
  readonly trustProxyHeader?: string;
}

const TOO_MANY_CONNECTIONS = "TOO_MANY_CONNECTIONS";
const RESERVATION_MS = 10_000;

const kReservation = Symbol("iocontract.reservation");
type Reserved = { [kReservation]?: { address: string; timer: NodeJS.Timeout } };

/** The address connections are counted under. */
export function clientAddress(
  headers: IncomingMessage["headers"],
  peer: string | undefined,
  trustProxyHeader: string | undefined,
): string {
  if (trustProxyHeader !== undefined) {
    const value = headers[trustProxyHeader.toLowerCase()];
    const first = (Array.isArray(value) ? value[0] : value)?.split(",")[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  return peer ?? "?";
}

export class ConnectionCounter {
  private total = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly limits: ConnectionLimits) {
    for (const key of ["total", "perAddress"] as const) {
      const n = limits[key];
      if (n !== undefined && (!Number.isInteger(n) || n < 1))
        throw new Error(`iocontract: connectionLimits.${key} must be an integer >= 1 (got ${n})`);
    }
  }

  /** At the handshake: undefined and a reservation when allowed, else the refusal message. */
  admit(req: IncomingMessage): string | undefined {
    const address = clientAddress(req.headers, req.socket?.remoteAddress, this.limits.trustProxyHeader);
    if (this.limits.total !== undefined && this.total >= this.limits.total) {
      return `${TOO_MANY_CONNECTIONS}: the server has its ${this.limits.total} connections (connectionLimits.total)`;
    }
    const mine = this.perAddress.get(address) ?? 0;
    if (this.limits.perAddress !== undefined && mine >= this.limits.perAddress) {
      return `${TOO_MANY_CONNECTIONS}: ${this.limits.perAddress} connections from this address already (connectionLimits.perAddress)`;
    }
    this.add(address);
    const timer = setTimeout(() => this.lapse(req as Reserved), RESERVATION_MS);
    timer.unref?.();
    (req as Reserved)[kReservation] = { address, timer };
    return undefined;
  }

  /**
   * engine.io made the session of `req`: the reservation becomes the connection, released by `onClose`.
   * Returns the release function (call it when the connection closes).
   */
  connected(req: unknown): (() => void) | undefined {
    const reservation = (req as Reserved | undefined)?.[kReservation];
    if (reservation === undefined) return undefined;
    clearTimeout(reservation.timer);
    delete (req as Reserved)[kReservation];
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.remove(reservation.address);
    };
  }

  get count(): number {
    return this.total;
  }

  private lapse(req: Reserved): void {
    const reservation = req[kReservation];
    if (reservation === undefined) return;
    delete req[kReservation];
    this.remove(reservation.address);
  }

  private add(address: string): void {
    this.total++;
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
  }

  private remove(address: string): void {
    this.total--;
    const n = (this.perAddress.get(address) ?? 1) - 1;
    if (n <= 0) this.perAddress.delete(address);
    else this.perAddress.set(address, n);
  }
}

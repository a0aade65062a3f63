/**
 * Who may open a connection, checked by engine.io's `allowRequest` on every handshake (polling and websocket):
 *
 * - `Host` (against DNS rebinding): a page on `evil.example` whose name an attacker re-points at 127.0.0.1 sends
 *   `Host: evil.example` (and `Origin: http://evil.example`, which matches it: same-origin alone lets it in).
 *   A server reached on a loopback address therefore accepts only loopback host names (`localhost`,
 *   `*.localhost`, IP addresses) and the names in `allowedHosts`. On other addresses, any `Host` unless
 *   `allowedHosts` is given. The address is the one the request arrived on (`req.socket.localAddress`), so it
 *   holds for a server attached to the user's own HTTP server too.
 * - `Origin` (browsers): `"same-origin"` by default, `"*"`, or a list.
 *
 * Every refusal is logged, one line per refused origin or host per minute (at most 20 different ones per minute),
 * naming the option that would allow it: a cross-origin failure is never silent on the server.
 */
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

export type CorsOption = "same-origin" | "*" | ReadonlyArray<string | RegExp>;
/** `"loopback"` (the default rule above), `"*"` (no check), or the host names (without port) to accept too. */
export type AllowedHostsOption = "loopback" | "*" | ReadonlyArray<string | RegExp>;

/** True for 127.0.0.0/8, ::1, and IPv4-mapped loopback (`::ffff:127.0.0.1`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.startsWith("::ffff:") ? address.slice(7) : address;
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** The host name of a `Host` header value, lower-cased, without port or IPv6 brackets; undefined if unreadable. */
export function hostName(host: string | undefined): string | undefined {
  if (host === undefined || host.length === 0 || host.length > 255) return undefined;
  const h = host.toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end < 0 ? undefined : h.slice(1, end);
  }
  const colon = h.indexOf(":");
  return colon < 0 ? h : h.slice(0, colon);
}

/** Names that never need listing: loopback names and IP literals (a rebinding page has a domain name). */
function alwaysAllowed(name: string): boolean {
  return name === "localhost" || name.endsWith(".localhost") || isIP(name) !== 0;
}

/** True when `req` may be served under `allowed`. */
export function hostAllowed(req: Pick<IncomingMessage, "headers" | "socket">, allowed: AllowedHostsOption): boolean {
  if (allowed === "*") return true;
  const name = hostName(req.headers.host);
  if (name === undefined) return false;
  if (
    allowed !== "loopback" &&
    allowed.some((rule) => (typeof rule === "string" ? rule.toLowerCase() === name : rule.test(name)))
  )
    return true;
  if (alwaysAllowed(name)) return true;
  // Not listed: a loopback-bound server refuses; elsewhere only a given list restricts.
  return allowed === "loopback" && !isLoopbackAddress(req.socket?.localAddress);
}

/** True when the `Origin` of `req` is allowed by `cors` (a request without one is: not a browser). */
export function originAllowed(req: Pick<IncomingMessage, "headers">, cors: CorsOption): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || cors === "*") return true;
  if (cors === "same-origin") {
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }
  return cors.some((rule) => (typeof rule === "string" ? rule === origin : rule.test(origin)));
}

/** Longest header value a log line repeats. */
const MAX_LOGGED = 100;
const clip = (value: string) => (value.length <= MAX_LOGGED ? value : `${value.slice(0, MAX_LOGGED)}…`);

/** One log line per distinct refused value per `windowMs`, at most `maxPerWindow` distinct values per window. */
export class RefusalLog {
  private seen = new Set<string>();
  private windowStart = 0;
  private suppressed = 0;

  constructor(
    private readonly log: (line: string) => void,
    private readonly windowMs = 60_000,
    private readonly maxPerWindow = 20,
    private readonly now: () => number = Date.now,
  ) {}

  refused(key: string, line: string): void {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0)
        this.log(`iocontract: ${this.suppressed} more refused connection(s) in the last minute were not logged`);
      this.seen = new Set();
      this.windowStart = now;
      this.suppressed = 0;
    }
    if (this.seen.has(key)) return;
    if (this.seen.size >= this.maxPerWindow) {
      this.suppressed++;
      return;
    }
    this.seen.add(key);
    this.log(line);
  }
}

/**
 * engine.io's `allowRequest` for the Host and Origin rules; `cors` undefined leaves origins to socket.io (the
 * user set `socketio.cors` or `socketio.allowRequest`). The refusal message is what engine.io answers the client.
 */
export function accessCheck(options: {
  readonly contract: string;
  readonly cors: CorsOption | undefined;
  readonly allowedHosts: AllowedHostsOption;
  readonly log: RefusalLog | undefined;
}): (req: IncomingMessage) => string | undefined {
  const { contract, cors, allowedHosts, log } = options;
  return (req) => {
    if (!hostAllowed(req, allowedHosts)) {
      const host = clip(String(req.headers.host ?? ""));
      log?.refused(
        `host ${host}`,
        `iocontract: ${contract}: refused a connection for Host ${JSON.stringify(host)} on loopback address ` +
          `${req.socket?.localAddress ?? "?"} (DNS rebinding defence); to allow it, add ` +
          `"${hostName(req.headers.host) ?? host}" to ServerOptions.allowedHosts`,
      );
      return `host ${host} is not allowed (ServerOptions.allowedHosts)`;
    }
    if (cors !== undefined && !originAllowed(req, cors)) {
      const origin = clip(String(req.headers.origin));
      log?.refused(
        `origin ${origin}`,
        `iocontract: ${contract}: refused a connection from Origin ${JSON.stringify(origin)} (Host ` +
          `${JSON.stringify(clip(String(req.headers.host ?? "")))}); to allow it, add "${origin}" to ` +
          `ServerOptions.cors`,
      );
      return `origin ${origin} is not allowed (ServerOptions.cors)`;
    }
    return undefined;
  };
}

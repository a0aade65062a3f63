/**
 * socket.io's documented memory tip (https://socket.io/docs/v4/memory-usage/): by default every connection keeps
 * a reference to the first HTTP request of its session (an `IncomingMessage`, its raw headers, its socket),
 * although after the handshake only a few of its fields are ever read. Dropping it is socket.io's advice; here
 * the request is replaced by the little that socket.io's `socket.handshake` (and so `ctx.handshake`) reads
 * from it — headers, url, parsed query, whether the connection is encrypted — so that nothing the runtime
 * offers changes. Code that needs the whole request later (express-session's `socket.request.session`, the raw
 * TCP socket) sets the server option `keepHttpRequest: true`.
 */
import type { IncomingMessage } from "node:http";
import type { Server } from "socket.io";

/** What socket.io reads from `conn.request` once the connection exists (socket.io 4.8 `Socket#buildHandshake`). */
export interface HandshakeRequest {
  readonly headers: IncomingMessage["headers"];
  readonly url: string | undefined;
  readonly _query: unknown;
  readonly connection: { readonly encrypted: boolean };
}

const ENCRYPTED = Object.freeze({ encrypted: true });
const PLAIN = Object.freeze({ encrypted: false });

/** Makes every new engine.io connection keep a {@link HandshakeRequest} instead of the whole request. */
export function keepOnlyHandshakeRequest(io: Server): void {
  io.engine.on("connection", (raw: { request: unknown }) => {
    const request = raw.request as (IncomingMessage & { _query?: unknown }) | null | undefined;
    if (request === null || request === undefined) return;
    const slim: HandshakeRequest = {
      headers: request.headers,
      url: request.url,
      _query: request._query,
      connection: (request.socket as { encrypted?: boolean } | null)?.encrypted === true ? ENCRYPTED : PLAIN,
    };
    raw.request = slim;
  });
}

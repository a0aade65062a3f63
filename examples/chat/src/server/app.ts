/** The chat app: an HTTP server for the page, with the generated Socket.IO server attached to it. */
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { type ChatServer, createChatServer } from "@iocontract/chat-server-sdk";
import { AdminHandlersImpl, ChatHandlersImpl, Directory } from "./handlers";
import type { NameClaims } from "./names";

export interface ChatAppOptions {
  /** Folder with index.html and app.js (the build puts them in dist/web). */
  readonly webRoot: string;
  /** The `/admin` namespace's token. None (or empty): `/admin` refuses every connection. There is no default. */
  readonly adminToken?: string | undefined;
  /** Where user names are claimed: in memory by default; `RedisNameClaims` for several nodes (./names.ts). */
  readonly names?: NameClaims;
  /** Passed to the generated server (socket.io options, an adapter...). */
  readonly socketio?: Parameters<typeof createChatServer>[0]["socketio"];
  readonly onError?: Parameters<typeof createChatServer>[0]["onError"];
  /** A socket.io adapter: Redis for several nodes (see ./redis.ts); in memory when absent. */
  readonly adapter?: Parameters<typeof createChatServer>[0]["adapter"];
  /** Any other option of the generated server (limits, allowedHosts...), passed as it is. */
  readonly serverOptions?: Omit<Parameters<typeof createChatServer>[0], "handlers" | "httpServer">;
}

const STATIC: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  // The contract's reference (iocontract docs --format html), linked from the page.
  "/docs": { file: "docs.html", type: "text/html; charset=utf-8" },
};

export function createChatApp(options: ChatAppOptions): {
  server: ChatServer;
  httpServer: http.Server;
  directory: Directory;
} {
  const webRoot = options.webRoot;
  // Engine.io owns /socket.io/; everything else is the page.
  const httpServer = http.createServer((req, res) => {
    // A request line no URL parser reads (`GET //[ HTTP/1.1`) is the client's mistake: 400, never a throw.
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      res.writeHead(400, { "content-type": "text/plain" }).end("bad request");
      return;
    }
    const entry = Object.hasOwn(STATIC, url.pathname) ? STATIC[url.pathname] : undefined;
    if (url.pathname === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    if (req.method !== "GET" || entry === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    readFile(path.join(webRoot, entry.file)).then(
      (body) => res.writeHead(200, { "content-type": entry.type, "cache-control": "no-store" }).end(body),
      () => res.writeHead(500, { "content-type": "text/plain" }).end(`missing ${entry.file}: run "npm run build"`),
    );
  });
  const directory = new Directory(options.names);
  let server: ChatServer | undefined;
  const get = () => server!;
  server = createChatServer({
    ...options.serverOptions,
    httpServer,
    handlers: {
      "/": new ChatHandlersImpl(directory, get),
      "/admin": new AdminHandlersImpl(options.adminToken, get),
    },
    ...(options.socketio === undefined ? {} : { socketio: options.socketio }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
    ...(options.adapter === undefined ? {} : { adapter: options.adapter }),
  });
  return { server, httpServer, directory };
}

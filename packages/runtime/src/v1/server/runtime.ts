/**
 * The server wiring: the socket.io Server (our own, made from the options, or the application's `io`), one
 * {@link NamespaceRuntime} per namespace of the contract, the per-connection watches (connection limits,
 * packet-size limit), shutdown, and the error report. Each part gets the narrow host it needs from here.
 */
import * as http from "node:http";
import { Server, type ServerOptions as IoServerOptions, type Socket } from "socket.io";
import { ConnectionCounter } from "../connections";
import { DedupeStore } from "../dedupe";
import { makeCompiledValidator } from "../compiled";
import { guardKeys } from "../guard";
import { RefusalLog, accessCheck } from "../host-check";
import { boundRecoveryBuffer } from "../limits";
import { keepOnlyHandshakeRequest } from "../memory";
import { type RuntimeSpec, type ValidatorFactory, resolveNamespace } from "../spec";
import { handshakeCheck } from "./admission";
import { NamespaceApi, NamespaceRuntime } from "./namespace";
import { type EngineSocket, closeWith } from "./notice";
import { type ErrorInfo, type ServerOptions, type ServerSettings, ioOptionsOf, resolveSettings } from "./options";
import { watchPackets } from "./packet-limit";
import { Shutdown, closeIo } from "./shutdown";

/**
 * The server's validators: zod's compiled parsers where allowed, plus the prototype-pollution check for schemas
 * that let unknown keys through (server side only: what a client receives comes from its own server).
 */
const guardedValidator: ValidatorFactory = (schema) => guardKeys(schema, makeCompiledValidator(schema));

export class ServerRuntime {
  readonly io: Server;
  readonly httpServer: http.Server | import("node:https").Server;
  readonly settings: ServerSettings;
  readonly namespaces: Record<string, NamespaceApi> = {};
  readonly shutdown: Shutdown;
  private readonly runtimes: NamespaceRuntime[] = [];
  private readonly contractName: string;
  private readonly connections: ConnectionCounter | undefined;

  constructor(spec: RuntimeSpec, options: ServerOptions) {
    const contractName = (this.contractName = spec.contract.name);
    const settings = (this.settings = resolveSettings(contractName, options));
    const dedupe = options.idempotency === false ? undefined : new DedupeStore(options.idempotency);
    // Connection limits act on the Server's engine: only on our own.
    this.connections =
      settings.attached || options.connectionLimits === undefined
        ? undefined
        : new ConnectionCounter(options.connectionLimits);
    this.shutdown = new Shutdown({
      contractName,
      attached: settings.attached,
      sockets: () => this.sockets(),
      stopListening: () => {
        if (this.httpServer.listening) this.httpServer.close();
      },
      closeServer: () => closeIo(this.io),
    });
    if (options.io !== undefined) {
      // A recovered connection must go through admission like any other: socket.io skips middlewares for it by
      // default. (`opts` is private in socket.io's declarations; it holds the options the Server was made with.)
      const recovery = (options.io as unknown as { opts: Partial<IoServerOptions> }).opts.connectionStateRecovery;
      if (recovery && recovery.skipMiddlewares !== false) {
        throw new Error(
          `iocontract: ${contractName}: the socket.io Server given as \`io\` recovers connections without ` +
            `running middlewares; set connectionStateRecovery.skipMiddlewares to false on it`,
        );
      }
      this.io = options.io;
      // The HTTP server socket.io was attached to (socket.io's own type also admits HTTP/2 servers).
      this.httpServer = options.io.httpServer as http.Server;
    } else {
      this.httpServer = options.httpServer ?? http.createServer();
      this.io = this.makeIo(options);
    }
    const shutdown = this.shutdown;
    const host = {
      validateOutgoing: settings.validateOutgoing,
      validateAnswers: settings.validateAnswers,
      validatesIncoming: settings.validatesIncoming,
      checkContractVersion: settings.checkContractVersion,
      invalidEventBudget: settings.invalidEventBudget,
      dedupe,
      shutdown,
      report: (error: unknown, info: ErrorInfo) => this.report(error, info),
    };
    for (const path of Object.keys(spec.namespaces)) {
      // socket.io makes "/" itself: a namespace is the application's own once something listens on it.
      if (settings.attached && (options.io!._nsps.get(path)?.listenerCount("connection") ?? 0) > 0) {
        throw new Error(
          `iocontract: ${contractName}: namespace ${JSON.stringify(path)} of the socket.io Server already has connection listeners`,
        );
      }
      const handlers = (options.handlers as Record<string, unknown>)[path];
      if (typeof handlers !== "object" || handlers === null) {
        throw new Error(`iocontract: ${contractName}: no handlers for namespace ${JSON.stringify(path)}`);
      }
      // Compiled validators where generated code may run (zod's compile()); the plain ones elsewhere.
      const runtime = new NamespaceRuntime(
        host,
        resolveNamespace(spec, path, guardedValidator),
        this.io.of(path),
        handlers,
      );
      if (settings.recoveryMaxBytes !== undefined) boundRecoveryBuffer(runtime.nsp.adapter, settings.recoveryMaxBytes);
      this.runtimes.push(runtime);
      this.namespaces[path] = new NamespaceApi(runtime);
    }
  }

  /** The socket.io Server of a runtime that owns it: our options, packet-size watch and handshake checks applied. */
  private makeIo(options: ServerOptions): Server {
    const { ioOptions, cors } = ioOptionsOf(options, this.settings.maxPayloadBytes);
    const logRefusals = options.logRefusals ?? ((line: string) => console.warn(line));
    ioOptions.allowRequest = handshakeCheck({
      draining: () => this.shutdown.draining,
      access: accessCheck({
        contract: this.contractName,
        cors,
        allowedHosts: options.allowedHosts ?? "loopback",
        log: logRefusals === false ? undefined : new RefusalLog(logRefusals),
      }),
      user: ioOptions.allowRequest,
      limit: (req) => this.connections?.admit(req),
    });
    const io = new Server(this.httpServer, ioOptions);
    const packetLimit = {
      maxPayloadBytes: this.settings.maxPayloadBytes,
      attachmentTimeoutMs: this.settings.attachmentTimeoutMs,
      closeWith: (conn: EngineSocket, event: string, code: string, what: string, details: unknown) =>
        closeWith(conn, this.socketsOf(conn), this.contractName, event, code, what, details),
    };
    io.engine.on("connection", (conn: EngineSocket) => {
      const release = this.connections?.connected(conn.request);
      if (release !== undefined) conn.once("close", release);
      watchPackets(packetLimit, conn);
    });
    if (options.keepHttpRequest !== true) keepOnlyHandshakeRequest(io);
    return io;
  }

  /** The contract's connected sockets, every namespace. */
  private *sockets(): Iterable<Socket> {
    for (const rt of this.runtimes) yield* rt.nsp.sockets.values();
  }

  /** The contract's sockets on one engine.io connection. */
  private socketsOf(conn: EngineSocket): Socket[] {
    const sockets: Socket[] = [];
    for (const socket of this.sockets()) if (socket.conn === conn) sockets.push(socket);
    return sockets;
  }

  report(error: unknown, info: ErrorInfo): void {
    try {
      this.settings.onError(error, info);
    } catch {
      // an onError hook that throws must not take the server down
    }
  }
}

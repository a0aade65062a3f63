/**
 * The server half of the runtime (the `@iocontract/runtime/v1/server` entry). Generated code calls
 * {@link createServer} with its {@link RuntimeSpec} and casts the result to its generated interfaces; everything
 * here is untyped at the event level on purpose (the types live in the generated files, the behaviour lives
 * here, once).
 *
 * The server is a folder of concerns, each behind a narrow host interface, imports pointing down:
 *
 * - server/options.ts: the options, their defaults (./defaults.ts) and their mapping to socket.io's options;
 * - server/admission.ts: the handshake (Host, Origin, connection limits), the contract tag, the auth, `connect`;
 * - server/dispatch.ts: one inbound event: lookup, rate limit, idempotency, validation, handler, answer, error policy;
 * - server/outbound.ts: emits, room selections, server→client requests and their answers;
 * - server/context.ts: what a handler receives (with ./rate-limit.ts and ./requests.ts, per connection);
 * - server/packet-limit.ts: `maxPayloadBytes` and binary attachments; server/notice.ts: the notices before a close;
 * - server/shutdown.ts: draining, running handlers, the deadline;
 * - server/namespace.ts and server/runtime.ts: the wiring.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "socket.io";
import { DEFAULT_CLOSE_DEADLINE_MS } from "./defaults";
import type { RuntimeSpec } from "./spec";
import type { AnyServerNamespaceTypes, CloseOptions, ContractServer, ServerNamespace } from "./server-api";
import type { ServerOptions } from "./server/options";
import { ServerRuntime } from "./server/runtime";

export { IocontractError } from "./wire";
export { ContractError } from "./errors";
export { DEFAULT_CLOSE_DEADLINE_MS, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_RECOVERY_MS } from "./defaults";
export type * from "./server-api";
export type { ErrorInfo, ServerOptions } from "./server/options";
export type { IdempotencyOptions } from "./dedupe";
export type { AllowedHostsOption } from "./host-check";
export type { ConnectionLimits } from "./connections";
export type { RefusalBudget } from "./limits";
export type { RuntimeSpec } from "./spec";
export type { AckEnvelope, WireError, Issue } from "./wire";

/** The object generated `create<Name>Server()` returns (typed there). */
export interface RuntimeServer
  extends ContractServer<Server, Readonly<Record<string, ServerNamespace<AnyServerNamespaceTypes>>>> {}

/**
 * Creates the server of a contract. `S` is the generated `<Name>Server` interface, from the same generated file
 * as `spec`: the runtime builds one method per event of the spec, which is what `S` declares.
 */
export function createServer(spec: RuntimeSpec, options: ServerOptions): RuntimeServer;
export function createServer<S extends ContractServer<unknown, unknown>>(spec: RuntimeSpec, options: ServerOptions): S;
export function createServer<S extends ContractServer<unknown, unknown>>(spec: RuntimeSpec, options: ServerOptions): S {
  const rt = new ServerRuntime(spec, options);
  // The root namespace's API is also the server's own (`server.emit.x()`, `server.to(room)`): the server object
  // inherits from it, so its getters and methods run with the same runtime behind them.
  const root = rt.namespaces["/"];
  const server = Object.create(root ?? Object.prototype) as RuntimeServer & Record<string, unknown>;
  // The server's own properties, beside the root namespace's inherited API (whose `nsp` is the root Namespace).
  const own = {
    io: rt.io,
    httpServer: rt.httpServer,
    namespaces: rt.namespaces,
    listen(port = 0, host = "127.0.0.1"): Promise<AddressInfo> {
      if (rt.settings.attached) {
        return Promise.reject(
          new Error(
            `iocontract: ${spec.contract.name}: attached to an existing socket.io Server (\`io\`): listen on its HTTP server instead`,
          ),
        );
      }
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        rt.httpServer.once("error", onError);
        rt.httpServer.listen(port, host, () => {
          rt.httpServer.off("error", onError);
          resolve(rt.httpServer.address() as AddressInfo);
        });
      });
    },
    /**
     * Graceful shutdown (./server/shutdown.ts): refuse new connections and events (SHUTTING_DOWN), let running
     * handlers finish (up to the deadline), tell every client, then close their transports so that they reconnect.
     */
    close(options?: CloseOptions): Promise<void> {
      return rt.shutdown.close(options?.deadlineMs ?? DEFAULT_CLOSE_DEADLINE_MS);
    },
  };
  for (const [key, value] of Object.entries(own)) {
    Object.defineProperty(server, key, { value, enumerable: true });
  }
  return server as unknown as S;
}

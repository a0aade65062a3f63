/**
 * Admission: who may connect. Two gates, in order:
 *
 * 1. engine.io's `allowRequest`, once per HTTP handshake ({@link handshakeCheck}): refused while shutting down,
 *    then the Host and Origin rules (../host-check.ts), the user's own `allowRequest`, the connection limits.
 * 2. a namespace middleware, once per namespace connection ({@link admit}): the contract tag the client
 *    announced, the handshake auth, then the handler object's `connect`. A recovered connection (socket.io's
 *    connection-state recovery) goes through it too and gets its session back.
 *
 * A refusal of the second gate reaches the client as CONNECT_ERROR with `{ code, message, details? }`
 * ({@link refusal}).
 */
import type * as http from "node:http";
import type { Socket } from "socket.io";
import { type ResolvedNamespace, issueDetails } from "../spec";
import {
  CONTRACT_QUERY_KEY,
  IocontractError,
  WireErrorCode,
  type WireError,
  formatIssues,
  parseContractTag,
} from "../wire";
import type { ErrorInfo } from "./options";
import type { Shutdown } from "./shutdown";

type AllowRequest = (
  req: http.IncomingMessage,
  callback: (err: string | null | undefined, success: boolean) => void,
) => void;

/**
 * engine.io's `allowRequest` for a Server of our own. While draining, a new connection is refused by engine.io
 * (an HTTP error): every Socket.IO client retries those by itself, unlike a Socket.IO-level refusal. Only
 * handshakes are checked, not requests of open sessions. Then Host and Origin (`access`), the user's own
 * `allowRequest`, and last the connection limits (`limit`: a refusal message, or undefined to admit).
 */
export function handshakeCheck(gates: {
  readonly draining: () => boolean;
  readonly access: (req: http.IncomingMessage) => string | undefined;
  readonly user: AllowRequest | undefined;
  readonly limit: (req: http.IncomingMessage) => string | undefined;
}): AllowRequest {
  const { draining, access, user, limit } = gates;
  const limited: AllowRequest = (req, callback) => {
    const refusal = limit(req);
    callback(refusal ?? null, refusal === undefined);
  };
  return (req, callback) => {
    if (draining()) return callback("the server is shutting down", false);
    const refusal = access(req);
    if (refusal !== undefined) return callback(refusal, false);
    if (user === undefined) return limited(req, callback);
    user(req, (err, success) => (success ? limited(req, callback) : callback(err, success)));
  };
}

/**
 * The refusal for a client that announced another contract, or another major version of this one (`tag`: the
 * handshake's `?iocontract=` value); undefined when it may connect (no tag: python-socketio, raw clients).
 */
export function contractTagRefusal(
  spec: Pick<ResolvedNamespace, "contractName" | "contractVersion">,
  tag: unknown,
): IocontractError | undefined {
  if (tag === undefined) return undefined;
  const parsed = typeof tag === "string" ? parseContractTag(tag) : undefined;
  const ours = parseContractTag(`${spec.contractName}@${spec.contractVersion}`)!;
  if (parsed !== undefined && parsed.name === ours.name && parsed.major === ours.major) return undefined;
  return new IocontractError(
    WireErrorCode.CONTRACT_MISMATCH,
    `this server speaks ${spec.contractName}@${spec.contractVersion}; the client announced ${JSON.stringify(tag)}`,
  );
}

/** What admission needs of its namespace. */
export interface AdmissionHost {
  readonly spec: ResolvedNamespace;
  readonly handlers: Record<string, unknown>;
  readonly checkContractVersion: boolean;
  /** The server's shutdown (./shutdown.ts): while it drains, connections are refused SHUTTING_DOWN. */
  readonly shutdown: Pick<Shutdown, "draining">;
  /** Makes the connection's context (and hangs it on the socket). */
  newContext(socket: Socket, auth: unknown): { recoverSession(): void };
  /** The error answer a thrown value may travel as (../errors.ts), or undefined: HANDLER_FAILED. */
  wireErrorOf(error: unknown): WireError | undefined;
  report(error: unknown, info: ErrorInfo): void;
}

/** The namespace middleware: resolves when the socket may connect, rejects with why not. */
export async function admit(host: AdmissionHost, socket: Socket): Promise<void> {
  const spec = host.spec;
  if (host.shutdown.draining) {
    throw new IocontractError(
      WireErrorCode.SHUTTING_DOWN,
      `${spec.contractName} ${spec.path}: the server is shutting down; connect to another one`,
    );
  }
  if (host.checkContractVersion) {
    const refused = contractTagRefusal(spec, socket.handshake.query[CONTRACT_QUERY_KEY]);
    if (refused !== undefined) throw refused;
  }
  let auth: unknown = socket.handshake.auth;
  if (spec.auth !== undefined) {
    const checked = spec.checkAuth!(socket.handshake.auth ?? {});
    if (!checked.ok) {
      throw new IocontractError(
        WireErrorCode.UNAUTHORIZED,
        `${spec.contractName} ${spec.path}: handshake auth invalid: ${formatIssues(checked.issues, "(auth)", checked.total)}`,
        { details: issueDetails(checked) },
      );
    }
    auth = checked.value;
  }
  const ctx = host.newContext(socket, auth);
  if (socket.recovered) ctx.recoverSession();
  const connect = host.handlers["connect"];
  if (typeof connect === "function") await connect.call(host.handlers, ctx);
}

/** The error socket.io sends as CONNECT_ERROR: `{ message, data: { code, message, details? } }`. */
export function refusal(
  host: Pick<AdmissionHost, "spec" | "wireErrorOf" | "report">,
  socket: Socket,
  error: unknown,
): Error & { data: WireError } {
  let wire = host.wireErrorOf(error);
  if (wire === undefined) {
    host.report(error, { namespace: host.spec.path, event: "connect", sid: socket.id });
    wire = { code: WireErrorCode.HANDLER_FAILED, message: "the connect handler failed" };
  }
  const err = new Error(`${wire.code}: ${wire.message}`) as Error & { data: WireError };
  err.data = wire;
  return err;
}

/**
 * The contract DSL: `defineContract` checks the shape of a contract and returns it unchanged (frozen), so the
 * generator can read it and generated code can validate with its schemas at run time.
 *
 * Deeper checks that need the whole picture (identifier collisions, reserved names, unsupported schema
 * constructs) belong to the generator, which reports them with the contract, namespace, event and field path.
 */
import type * as core from "zod/v4/core";

/** Any zod 4 schema (classic `zod` or `zod/mini`). */
export type Schema = core.$ZodType;

export interface EventDef {
  /** The payload schema. Omit for an event that carries no data (`sio.emit("chat")`). */
  readonly payload?: Schema;
  /** The acknowledgement schema. When present, the receiver answers and the sender awaits the typed answer. */
  readonly ack?: Schema;
  /** Default time to wait for the acknowledgement, in milliseconds (only with `ack`). Default: 10000. */
  readonly timeoutMs?: number;
  /** Shown as JSDoc on every generated method for this event. */
  readonly doc?: string;
  /** Overrides the identifier derived from the wire name (`"my custom event"` → `myCustomEvent`). */
  readonly identifier?: string;
  /**
   * Client→server events only: how often one connection may send this event. A token bucket per connection and
   * event: `burst` events at once (default: `perSecond`, at least 1), refilled at `perSecond`. Events over the
   * limit are answered with `RATE_LIMITED` (details `{ retryAfterMs }`) and never reach the handler.
   */
  readonly rateLimit?: RateLimit;
}

export interface RateLimit {
  /** Sustained rate: events per second (may be fractional: 0.5 is one event every two seconds). */
  readonly perSecond: number;
  /** Events allowed at once, on top of nothing used recently. Default: `max(1, perSecond)`. */
  readonly burst?: number;
}

export interface NamespaceDef {
  readonly doc?: string;
  /** The handshake `auth` payload, validated before the `connect` handler runs. */
  readonly auth?: Schema;
  /** The per-connection session (python-socketio's `save_session`), set and read by handlers. */
  readonly socketData?: Schema;
  /** Error codes handlers may throw, each with the schema of its `details`. Codes are UPPER_SNAKE_CASE. */
  readonly errors?: Readonly<Record<string, Schema>>;
  readonly clientToServer?: Readonly<Record<string, EventDef>>;
  readonly serverToClient?: Readonly<Record<string, EventDef>>;
  /**
   * Inter-server events (socket.io's `serverSideEmit`): one node of a cluster tells the others. Payloads are
   * validated when sent and when received. No acks. Needs an adapter that spans nodes (Redis...); with the
   * in-memory adapter there are no other nodes and sending does nothing.
   */
  readonly serverToServer?: Readonly<Record<string, ServerToServerEventDef>>;
}

/** An inter-server event: what `serverSideEmit` carries. */
export type ServerToServerEventDef = Pick<EventDef, "payload" | "doc" | "identifier">;

export interface ContractDef {
  /** Lower-case name, used for generated identifiers (`chat` → `createChatServer`). */
  readonly name: string;
  /** Semantic version; clients send it in the handshake and a different major version is refused. */
  readonly version: string;
  readonly doc?: string;
  /**
   * Schemas to print as named types. A schema used in several places, or a recursive one, is printed once under
   * this name. (`.meta({ id: "Name" })` on the schema works too.)
   */
  readonly types?: Readonly<Record<string, Schema>>;
  readonly namespaces: Readonly<Record<string, NamespaceDef>>;
}

/** The marker that tells the generator an export is a contract. */
export const CONTRACT_MARK: unique symbol = Symbol.for("iocontract.contract");

export type Contract<C extends ContractDef = ContractDef> = C & { readonly [CONTRACT_MARK]: true };

// The runtime's defaults, for the generator and tools that document a contract (./v1/defaults.ts).
export * from "./v1/defaults";

const NAME_RE = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
const SEMVER_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const ERROR_CODE_RE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** Thrown for a contract whose shape is wrong. The message names the contract and the place. */
export class ContractDefinitionError extends Error {
  override name = "ContractDefinitionError";
}

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && "_zod" in value;
}

/**
 * Declares a contract. Returns the same object, frozen and marked, with its literal types kept (`const C`), so
 * generated code can reach `contract.namespaces["/"].clientToServer["my message"].payload` with full types.
 */
export function defineContract<const C extends ContractDef>(def: C): Contract<C> {
  const where = `contract ${JSON.stringify(def?.name)}`;
  const fail = (msg: string): never => {
    throw new ContractDefinitionError(`${where}: ${msg}`);
  };
  if (typeof def !== "object" || def === null) fail("defineContract() takes an object");
  if (typeof def.name !== "string" || !NAME_RE.test(def.name)) {
    fail(`name must be lower-case letters and digits, words joined by "-" or "_" (got ${JSON.stringify(def.name)})`);
  }
  if (typeof def.version !== "string" || !SEMVER_RE.test(def.version)) {
    fail(`version must be a semantic version such as "1.0.0" (got ${JSON.stringify(def.version)})`);
  }
  for (const [typeName, schema] of Object.entries(def.types ?? {})) {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(typeName)) fail(`types.${typeName}: a type name is PascalCase`);
    if (!isSchema(schema)) fail(`types.${typeName}: not a zod schema`);
  }
  const namespaces = Object.entries(def.namespaces ?? {});
  if (namespaces.length === 0) fail('declare at least one namespace ("/" is the default one)');
  for (const [path, ns] of namespaces) {
    const at = `namespace ${JSON.stringify(path)}`;
    if (!/^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]*$/.test(path) || (path.length > 1 && path.endsWith("/"))) {
      fail(`${at}: a namespace is a path such as "/" or "/admin"`);
    }
    if (typeof ns !== "object" || ns === null) fail(`${at}: not an object`);
    if (ns.auth !== undefined && !isSchema(ns.auth)) fail(`${at}: auth is not a zod schema`);
    if (ns.socketData !== undefined && !isSchema(ns.socketData)) fail(`${at}: socketData is not a zod schema`);
    for (const [code, schema] of Object.entries(ns.errors ?? {})) {
      if (!ERROR_CODE_RE.test(code)) fail(`${at}: error code ${JSON.stringify(code)} must be UPPER_SNAKE_CASE`);
      if (!isSchema(schema)) fail(`${at}: errors.${code} is not a zod schema (the schema of its details)`);
    }
    for (const direction of ["clientToServer", "serverToClient"] as const) {
      for (const [wire, ev] of Object.entries(ns[direction] ?? {})) {
        const evAt = `${at}, ${direction} event ${JSON.stringify(wire)}`;
        if (wire.length === 0) fail(`${at}: an event name cannot be empty`);
        if (typeof ev !== "object" || ev === null) fail(`${evAt}: not an object (use {} for an event with no payload)`);
        for (const key of Object.keys(ev)) {
          if (!["payload", "ack", "timeoutMs", "doc", "identifier", "rateLimit"].includes(key)) {
            fail(
              `${evAt}: unknown key ${JSON.stringify(key)} (expected payload, ack, timeoutMs, doc, identifier, rateLimit)`,
            );
          }
        }
        if (ev.rateLimit !== undefined) {
          if (direction !== "clientToServer") fail(`${evAt}: rateLimit applies to clientToServer events only`);
          if (typeof ev.rateLimit !== "object" || ev.rateLimit === null)
            fail(`${evAt}: rateLimit is { perSecond, burst? }`);
          const { perSecond, burst } = ev.rateLimit;
          if (typeof perSecond !== "number" || !Number.isFinite(perSecond) || perSecond <= 0) {
            fail(`${evAt}: rateLimit.perSecond must be a positive number`);
          }
          if (burst !== undefined && (!Number.isInteger(burst) || burst < 1))
            fail(`${evAt}: rateLimit.burst must be a positive integer`);
        }
        if (ev.payload !== undefined && !isSchema(ev.payload)) fail(`${evAt}: payload is not a zod schema`);
        if (ev.ack !== undefined && !isSchema(ev.ack)) fail(`${evAt}: ack is not a zod schema`);
        if (ev.timeoutMs !== undefined) {
          if (ev.ack === undefined) fail(`${evAt}: timeoutMs needs an ack schema`);
          if (!Number.isInteger(ev.timeoutMs) || ev.timeoutMs <= 0)
            fail(`${evAt}: timeoutMs must be a positive integer`);
        }
      }
    }
    checkServerToServer(ns, at, fail);
  }
  Object.defineProperty(def, CONTRACT_MARK, { value: true, enumerable: false });
  return Object.freeze(def) as Contract<C>;
}

function checkServerToServer(ns: NamespaceDef, at: string, fail: (msg: string) => never): void {
  for (const [wire, ev] of Object.entries(ns.serverToServer ?? {})) {
    const evAt = `${at}, serverToServer event ${JSON.stringify(wire)}`;
    if (wire.length === 0) fail(`${at}: an event name cannot be empty`);
    if (typeof ev !== "object" || ev === null) fail(`${evAt}: not an object (use {} for an event with no payload)`);
    for (const key of Object.keys(ev)) {
      if (!["payload", "doc", "identifier"].includes(key)) {
        fail(
          `${evAt}: unknown key ${JSON.stringify(key)} (expected payload, doc, identifier; inter-server events have no ack)`,
        );
      }
    }
    if (ev.payload !== undefined && !isSchema(ev.payload)) fail(`${evAt}: payload is not a zod schema`);
  }
}

export function isContract(value: unknown): value is Contract {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[CONTRACT_MARK] === true;
}

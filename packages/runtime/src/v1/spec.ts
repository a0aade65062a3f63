/**
 * Two stages, two names: the {@link RuntimeSpec} is the table generated code hands to the runtime (wire name →
 * method name); the runtime resolves it once, at start-up, against the contract into {@link ResolvedNamespace}s
 * of {@link ResolvedEvent}s (schemas, validators, timeouts), so that the per-message path does one map lookup
 * and no schema lookups by name.
 */
import { safeEncode, safeParse } from "zod/v4/core";
import type { Contract, EventDef, Schema } from "../contract";
import { DEFAULT_ACK_TIMEOUT_MS } from "./defaults";
import { type BuiltinErrorCode, IocontractError, type Issue, formatIssues, toIssues } from "./wire";

/** The generated table: the contract, and per namespace the wire name → method name of each event. */
export interface RuntimeSpec {
  readonly contract: Contract;
  readonly namespaces: Readonly<
    Record<
      string,
      {
        readonly clientToServer: Readonly<Record<string, string>>;
        readonly serverToClient: Readonly<Record<string, string>>;
        /** Inter-server events (`serverSideEmit`); absent when the namespace declares none. */
        readonly serverToServer?: Readonly<Record<string, string>>;
        /**
         * Events whose schemas hold a `z.codec()`, per direction: wire name → 1 (payload), 2 (ack) or 3 (both).
         * Their senders write zod's output type and the runtime encodes it (zod's `encode`) before sending.
         */
        readonly encode?: Readonly<Partial<Record<Direction, Readonly<Record<string, number>>>>>;
      }
    >
  >;
}

/** Checks a value against one schema; made once per schema at start-up (see {@link makeValidator}). */
export type Validator = (value: unknown) => Checked;

/** One event of one namespace and direction, resolved once from the {@link RuntimeSpec} and the contract. */
export interface ResolvedEvent {
  readonly wire: string;
  readonly method: string;
  readonly payload: Schema | undefined;
  readonly ack: Schema | undefined;
  /** Validates the payload (undefined when the event has none). */
  readonly checkPayload: Validator | undefined;
  /** Validates the ack (undefined when the event has none). */
  readonly checkAck: Validator | undefined;
  /**
   * Set when the payload's schema holds a codec (`z.codec()`, per the generated spec's `encode`): validates what
   * a sender wrote and encodes it (zod's `encode`); its `value` is what travels. Without it, a sender checks with
   * {@link checkPayload} and the payload travels as written (the receiver parses it).
   */
  readonly encodePayload: Validator | undefined;
  /** As {@link encodePayload}, for the ack. */
  readonly encodeAck: Validator | undefined;
  readonly timeoutMs: number;
  /** `chat / "my message"`, for error messages. */
  readonly label: string;
  /** The event as the contract declares it: set for the server's clientToServer events (it reads `rateLimit`). */
  readonly def?: EventDef;
}

/** What the client needs of one namespace (the server's {@link ResolvedNamespace} adds its own parts). */
export interface ResolvedClientNamespace {
  readonly path: string;
  readonly contractName: string;
  readonly contractVersion: string;
  readonly auth: Schema | undefined;
  readonly checkAuth: Validator | undefined;
  readonly clientToServer: readonly ResolvedEvent[];
  readonly serverToClient: readonly ResolvedEvent[];
}

export interface ResolvedNamespace extends ResolvedClientNamespace {
  readonly socketData: Schema | undefined;
  readonly checkSocketData: Validator | undefined;
  readonly errors: ReadonlyMap<string, Schema>;
  readonly serverToServer: readonly ResolvedEvent[];
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

export type Checked =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      /** At most {@link MAX_ISSUES}, so that a small bad request cannot buy a huge answer. */
      readonly issues: Issue[];
      /** How many issues there were in all. */
      readonly total: number;
    };

const MAX_ISSUES = 20;

/**
 * Validates with any zod 4 schema (classic or mini). The one place the runtime calls zod. Never throws: a schema
 * whose transform or refinement throws (or is async, which a synchronous check cannot run) makes the value
 * invalid, without echoing what was thrown.
 */
export function check(schema: Schema, value: unknown, run: typeof safeParse = safeParse): Checked {
  let result: ReturnType<typeof safeParse>;
  try {
    result = run(schema, value);
  } catch {
    // (The server recognizes this message: guard.ts's CHECK_THREW. A constant here would cost the client bytes.)
    return {
      ok: false,
      issues: [{ path: [], message: "Invalid input: the contract's check failed on this value" }],
      total: 1,
    };
  }
  if (result.success) return { ok: true, value: result.data };
  const issues = toIssues(result.error);
  return { ok: false, issues: issues.slice(0, MAX_ISSUES), total: issues.length };
}

/**
 * What a sender's payload travels as — the one rule of every sender (server, emitter, inter-server, client):
 * validated against the contract (and encoded, for a schema with a codec: even with `validate` false, since a
 * Date or a bigint is not JSON), then as an argument list: none for an event without a payload or for an
 * undefined payload (JSON cannot carry `undefined`: it travels as no argument), else the payload. An invalid
 * payload never leaves: it throws REQUEST_INVALID, `<event>: <what><issues>`. `unchecked`: the sender's
 * `validateOutgoing: false` (a codec still encodes, and throws for what it cannot encode).
 */
export function payloadArgs(ev: ResolvedEvent, payload: unknown, what = "", unchecked?: boolean): unknown[] {
  if (ev.payload === undefined) return [];
  if (!unchecked || ev.encodePayload) {
    const checked = (ev.encodePayload ?? ev.checkPayload)!(payload);
    if (!checked.ok) throw invalidEvent("REQUEST_INVALID", ev, what, checked);
    if (ev.encodePayload) payload = checked.value;
  }
  return payload === undefined ? [] : [payload];
}

/** `<contract> <namespace> "<event>": <what>`: an error about one event. */
export function eventError(
  code: BuiltinErrorCode,
  ev: ResolvedEvent,
  what: string,
  details?: unknown,
): IocontractError {
  return new IocontractError(code, `${ev.label}: ${what}`, { details, event: ev.wire });
}

/** An invalid value of one event: the message lists the issues after `what`, the details carry them. */
export function invalidEvent(
  code: BuiltinErrorCode,
  ev: ResolvedEvent,
  what: string,
  checked: Failed,
  root?: string,
): IocontractError {
  return eventError(code, ev, what + formatIssues(checked.issues, root, checked.total), issueDetails(checked));
}

/** A failed check. */
export type Failed = Extract<Checked, { ok: false }>;

/** `{ issues }`, plus `total` when there were more than were kept. */
export function issueDetails(checked: { readonly issues: Issue[]; readonly total: number }): {
  issues: Issue[];
  total?: number;
} {
  return checked.total > checked.issues.length
    ? { issues: checked.issues, total: checked.total }
    : { issues: checked.issues };
}

/**
 * The plain validator: zod's `safeParse`. Where generated code may run, the server uses compiled ones instead
 * (`./compiled.ts`, passed to {@link resolveNamespace}); both answer the same.
 */
export function makeValidator(schema: Schema): Validator {
  return (value) => check(schema, value);
}
const plainValidators: ValidatorFactory = makeValidator;

/** Makes a validator from a schema, once per schema at start-up. */
export type ValidatorFactory = (schema: Schema) => Validator;

type Direction = "clientToServer" | "serverToClient" | "serverToServer";

/** Validates what a sender wrote and encodes it (zod's `encode`): `value` is what travels. */
const makeEncoder =
  (schema: Schema): Validator =>
  (value) =>
    check(schema, value, safeEncode as typeof safeParse);

function resolveEvents(
  spec: RuntimeSpec,
  path: string,
  direction: Direction,
  makeValidator: ValidatorFactory,
): ResolvedEvent[] {
  const name = spec.contract.name;
  const encode = spec.namespaces[path]!.encode?.[direction];
  return Object.entries(spec.namespaces[path]![direction] ?? {}).map(([wire, method]) => {
    const ev: EventDef | undefined = spec.contract.namespaces[path]![direction]?.[wire];
    if (ev === undefined) {
      throw new Error(
        // (Generated code names an event the contract lacks: the generated files are stale.)
        `iocontract: contract ${JSON.stringify(name)} has no ${direction} event ${JSON.stringify(wire)} in ${JSON.stringify(path)}: run "npm run generate"`,
      );
    }
    // (undefined & 1 is 0: no entry, no encoding.)
    const encodes = encode?.[wire] as number;
    return {
      wire,
      method,
      payload: ev.payload,
      ack: ev.ack,
      checkPayload: ev.payload && makeValidator(ev.payload),
      checkAck: ev.ack && makeValidator(ev.ack),
      encodePayload: encodes & 1 ? makeEncoder(ev.payload!) : undefined,
      encodeAck: encodes & 2 ? makeEncoder(ev.ack!) : undefined,
      timeoutMs: ev.timeoutMs ?? DEFAULT_ACK_TIMEOUT_MS,
      label: `${name} ${path} ${JSON.stringify(wire)}`,
    };
  });
}

/** The client's part of a namespace: no inter-server events, session schema or error table. */
export function resolveClientNamespace(
  spec: RuntimeSpec,
  path: string,
  makeValidator: ValidatorFactory = plainValidators,
): ResolvedClientNamespace {
  const contract = spec.contract;
  const def = contract.namespaces[path];
  if (spec.namespaces[path] === undefined || def === undefined) {
    throw new Error(`iocontract: contract ${JSON.stringify(contract.name)} has no namespace ${JSON.stringify(path)}`);
  }
  return {
    path,
    contractName: contract.name,
    contractVersion: contract.version,
    auth: def.auth,
    checkAuth: def.auth && makeValidator(def.auth),
    clientToServer: resolveEvents(spec, path, "clientToServer", makeValidator),
    serverToClient: resolveEvents(spec, path, "serverToClient", makeValidator),
  };
}

/** The whole namespace, as the server needs it: the client's part plus the server's own. */
export function resolveNamespace(
  spec: RuntimeSpec,
  path: string,
  makeValidator: ValidatorFactory = plainValidators,
): ResolvedNamespace {
  const base = resolveClientNamespace(spec, path, makeValidator);
  const def = spec.contract.namespaces[path]!;
  return {
    ...base,
    clientToServer: base.clientToServer.map((ev) => ({ ...ev, def: def.clientToServer![ev.wire]! })),
    socketData: def.socketData,
    checkSocketData: def.socketData && makeValidator(def.socketData),
    errors: new Map(Object.entries(def.errors ?? {})),
    serverToServer: resolveEvents(spec, path, "serverToServer", makeValidator),
  };
}

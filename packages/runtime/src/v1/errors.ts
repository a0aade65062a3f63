/**
 * What an error answer may carry: the rule that decides whether a thrown value travels to the peer as it is, or
 * as HANDLER_FAILED (revealing nothing) while the error is reported locally. There is one error class,
 * {@link IocontractError}: what travels is decided by its code and its origin, not by a subclass.
 */
import type { Schema } from "../contract";
import { check } from "./spec";
import { IocontractError, WireErrorCode, type WireError, formatIssues } from "./wire";

/**
 * @deprecated The same class as {@link IocontractError} (one error class for both sides), kept so that code written
 * against it, and generated files that re-export it, keep working. Throw `ctx.error(...)` from a handler.
 */
export const ContractError = IocontractError;
/** @deprecated {@link IocontractError}. */
export type ContractError<Code extends string = string, Details = unknown> = IocontractError<Code, Details>;

/** Errors received from the peer (a client's answer to a request): the receiver's to handle, never to forward. */
const fromPeer = new WeakSet<object>();

/** Marks an error made from the peer's answer ({@link sendableError} never lets it travel on). */
export function receivedError<E extends IocontractError>(error: E): E {
  fromPeer.add(error);
  return error;
}

/** The built-in codes an error made on purpose may carry besides the contract's own: those meant for callers. */
export const CALLER_CODES: ReadonlySet<string> = new Set<string>([
  WireErrorCode.UNAUTHORIZED,
  WireErrorCode.RATE_LIMITED,
  WireErrorCode.CONTRACT_MISMATCH,
  WireErrorCode.SHUTTING_DOWN,
]);

/**
 * The built-in codes a client's runtime answers a server→client request with by itself (client.ts `answer`): no
 * answerer for the event, an invalid request, an invalid answer, an answerer that failed.
 */
const ANSWERER_CODES: ReadonlySet<string> = new Set<string>([
  WireErrorCode.UNKNOWN_EVENT,
  WireErrorCode.REQUEST_INVALID,
  WireErrorCode.RESPONSE_INVALID,
  WireErrorCode.HANDLER_FAILED,
]);

/**
 * The one rule for what an error answer may carry, for both sides: a code of the contract's (`errors`, with
 * details that match the code's schema when `checkDetails`) or one of `builtins`. Answers why not, or undefined
 * when it may travel. The server applies it to its own errors before sending them ({@link sendableError},
 * builtins {@link CALLER_CODES}) and to each client's error answer on receipt ({@link answerErrorProblem},
 * builtins {@link ANSWERER_CODES}): the client bundle's size budget leaves the client's side of the rule to
 * `client.error()`'s types and to the receiving server.
 */
function errorProblem(
  code: string,
  details: unknown,
  errors: ReadonlyMap<string, Schema>,
  builtins: ReadonlySet<string>,
  checkDetails: boolean,
): string | undefined {
  const schema = errors.get(code);
  if (schema === undefined) return builtins.has(code) ? undefined : `error code ${clip(code)} is not in the contract`;
  if (!checkDetails) return undefined;
  const checked = check(schema, details);
  return checked.ok
    ? undefined
    : `details of error ${code} are invalid: ${formatIssues(checked.issues, "(details)", checked.total)}`;
}

/** A peer's string in a message, cut to a readable length (a client chooses its error codes). */
const clip = (text: string): string => JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);

/**
 * Why a client's error answer to a server→client request breaks {@link errorProblem}'s rule, or undefined when
 * it keeps it: a code the namespace declares (details checked when `checkDetails`) or one of
 * {@link ANSWERER_CODES}. The server's caller then gets RESPONSE_INVALID instead (server/outbound.ts).
 */
export function answerErrorProblem(
  error: WireError,
  errors: ReadonlyMap<string, Schema>,
  checkDetails: boolean,
): string | undefined {
  return errorProblem(error.code, error.details, errors, ANSWERER_CODES, checkDetails);
}

/**
 * The wire form of a thrown value when it may travel, else undefined. An {@link IocontractError} travels when its
 * code is one of the contract's (`errors`, whose details must match the code's schema when `checkDetails`) or one
 * of the {@link CALLER_CODES}, and it was not received from the peer ({@link receivedError}): `ctx.error()`,
 * `ctx.refuse()`, the runtime's own refusals. Anything else (a plain Error, the runtime's own errors about this
 * side: an invalid outgoing payload, invalid session data, a request's TIMEOUT; a client's error answer passed
 * on) is a bug of the side that threw: the caller reports it and answers HANDLER_FAILED. Details that do not
 * match are told to `invalidDetails` (a message naming the code and field).
 */
export function sendableError(
  error: unknown,
  errors: ReadonlyMap<string, Schema>,
  checkDetails: boolean,
  invalidDetails: (message: string, error: IocontractError) => void,
): WireError | undefined {
  if (!(error instanceof IocontractError) || fromPeer.has(error)) return undefined;
  const problem = errorProblem(error.code, error.details, errors, CALLER_CODES, checkDetails);
  if (problem === undefined) return error.toWire();
  if (errors.has(error.code)) invalidDetails(problem, error);
  return undefined;
}

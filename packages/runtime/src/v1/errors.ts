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
  const schema = errors.get(error.code);
  if (schema === undefined) return CALLER_CODES.has(error.code) ? error.toWire() : undefined;
  if (checkDetails) {
    const checked = check(schema, error.details);
    if (!checked.ok) {
      invalidDetails(
        `details of error ${error.code} are invalid: ${formatIssues(checked.issues, "(details)", checked.total)}`,
        error,
      );
      return undefined;
    }
  }
  return error.toWire();
}

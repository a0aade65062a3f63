/**
 * What an error answer may carry: the rule that decides whether a thrown value travels to the peer as it is, or
 * as HANDLER_FAILED (revealing nothing) while the error is reported locally.
 */
import type { Schema } from "../contract";
import { check } from "./spec";
import { IocontractError, WireErrorCode, type WireError, formatIssues } from "./wire";

/** Throw it (or return `ctx.error(...)`) from a handler: the client receives the code and typed details. */
export class ContractError<Code extends string = string, Details = unknown> extends IocontractError<Code, Details> {}

/** The built-in codes an error made on purpose may carry besides the contract's own: those meant for callers. */
export const CALLER_CODES: ReadonlySet<string> = new Set<string>([
  WireErrorCode.UNAUTHORIZED,
  WireErrorCode.RATE_LIMITED,
  WireErrorCode.CONTRACT_MISMATCH,
  WireErrorCode.SHUTTING_DOWN,
]);

/**
 * The wire form of a thrown value when it may travel, else undefined. Only errors made on purpose travel: a
 * {@link ContractError} (`ctx.error`, `ctx.refuse`, or the runtime's own refusals) with one of the contract's
 * codes (`errors`, whose details must match the code's schema when `checkDetails`) or one of the
 * {@link CALLER_CODES}. Anything else, the runtime's own IocontractErrors included (an invalid outgoing payload,
 * invalid session data, a peer's answer), is a bug of the side that threw: the caller reports it and answers
 * HANDLER_FAILED. Details that do not match are told to `invalidDetails` (a message naming the code and field).
 */
export function sendableError(
  error: unknown,
  errors: ReadonlyMap<string, Schema>,
  checkDetails: boolean,
  invalidDetails: (message: string, error: IocontractError) => void,
): WireError | undefined {
  if (!(error instanceof ContractError)) return undefined;
  const schema = errors.get(error.code);
  if (schema === undefined) return CALLER_CODES.has(error.code) ? error.toWire() : undefined;
  if (checkDetails) {
    const checked = check(schema, error.details);
    if (!checked.ok) {
      invalidDetails(`details of error ${error.code} are invalid: ${formatIssues(checked.issues, "(details)", checked.total)}`, error);
      return undefined;
    }
  }
  return error.toWire();
}

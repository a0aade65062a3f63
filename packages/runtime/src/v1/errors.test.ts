/** Unit tests of ./errors.ts: the rule for what an error answer may carry. */
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { CALLER_CODES, ContractError, sendableError } from "./errors";
import { IocontractError } from "./wire";

const errors = new Map([["NOT_IN_ROOM", z.object({ room: z.string() })]]);

describe("sendableError", () => {
  const invalid: string[] = [];
  const rule = (error: unknown, checkDetails = true) => sendableError(error, errors, checkDetails, (message) => void invalid.push(message));

  it("a contract error with one of the contract's codes travels, details checked", () => {
    expect(rule(new ContractError("NOT_IN_ROOM", "no", { details: { room: "a" } }))).toEqual({ code: "NOT_IN_ROOM", message: "no", details: { room: "a" } });
    invalid.length = 0;
    expect(rule(new ContractError("NOT_IN_ROOM", "no", { details: { room: 1 } }))).toBeUndefined();
    expect(invalid).toEqual(["details of error NOT_IN_ROOM are invalid: room: Invalid input: expected string, received number"]);
    expect(rule(new ContractError("NOT_IN_ROOM", "no", { details: { room: 1 } }), false)).toMatchObject({ code: "NOT_IN_ROOM" }); // validateOutgoing: false
  });

  it("of the built-in codes, only those meant for callers travel", () => {
    expect([...CALLER_CODES].sort()).toEqual(["CONTRACT_MISMATCH", "RATE_LIMITED", "SHUTTING_DOWN", "UNAUTHORIZED"]);
    for (const code of CALLER_CODES) expect(rule(new ContractError(code, "m"))).toEqual({ code, message: "m" });
    for (const code of ["HANDLER_FAILED", "TIMEOUT", "REQUEST_INVALID", "DISCONNECTED", "UNKNOWN_CODE"]) expect(rule(new ContractError(code, "m"))).toBeUndefined();
  });

  it("anything not made to travel does not", () => {
    expect(rule(new IocontractError("NOT_IN_ROOM", "no", { details: { room: "a" } }))).toBeUndefined();
    expect(rule(new Error("x"))).toBeUndefined();
    expect(rule("a string")).toBeUndefined();
  });
});

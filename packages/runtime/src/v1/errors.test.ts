/** Unit tests of ./errors.ts: the rule for what an error answer may carry. */
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { CALLER_CODES, ContractError, receivedError, sendableError } from "./errors";
import { IocontractError } from "./wire";

const errors = new Map([["NOT_IN_ROOM", z.object({ room: z.string() })]]);

describe("sendableError", () => {
  const invalid: string[] = [];
  const rule = (error: unknown, checkDetails = true) =>
    sendableError(error, errors, checkDetails, (message) => void invalid.push(message));

  it("an error with one of the contract's codes travels, details checked", () => {
    expect(rule(new IocontractError("NOT_IN_ROOM", "no", { details: { room: "a" } }))).toEqual({
      code: "NOT_IN_ROOM",
      message: "no",
      details: { room: "a" },
    });
    invalid.length = 0;
    expect(rule(new IocontractError("NOT_IN_ROOM", "no", { details: { room: 1 } }))).toBeUndefined();
    expect(invalid).toEqual([
      "details of error NOT_IN_ROOM are invalid: room: Invalid input: expected string, received number",
    ]);
    expect(rule(new IocontractError("NOT_IN_ROOM", "no", { details: { room: 1 } }), false)).toMatchObject({
      code: "NOT_IN_ROOM",
    }); // validateOutgoing: false
  });

  it("of the built-in codes, only those meant for callers travel", () => {
    expect([...CALLER_CODES].sort()).toEqual(["CONTRACT_MISMATCH", "RATE_LIMITED", "SHUTTING_DOWN", "UNAUTHORIZED"]);
    for (const code of CALLER_CODES) expect(rule(new IocontractError(code, "m"))).toEqual({ code, message: "m" });
    for (const code of ["HANDLER_FAILED", "TIMEOUT", "REQUEST_INVALID", "DISCONNECTED", "UNKNOWN_CODE"])
      expect(rule(new IocontractError(code, "m"))).toBeUndefined();
  });

  it("one class: an IocontractError travels by its code; ContractError is the same class", () => {
    expect(ContractError).toBe(IocontractError);
    expect(rule(new IocontractError("NOT_IN_ROOM", "no", { details: { room: "a" } }))).toEqual({
      code: "NOT_IN_ROOM",
      message: "no",
      details: { room: "a" },
    });
  });

  it("an error received from the peer is never passed on, nor is anything but an IocontractError", () => {
    expect(rule(receivedError(new IocontractError("NOT_IN_ROOM", "no", { details: { room: "a" } })))).toBeUndefined();
    expect(rule(receivedError(new IocontractError("CONTRACT_MISMATCH", "not an envelope")))).toBeUndefined();
    expect(rule(new Error("x"))).toBeUndefined();
    expect(rule("a string")).toBeUndefined();
  });
});

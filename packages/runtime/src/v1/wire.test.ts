import { describe, expect, it } from "vitest";
import { IocontractError, formatIssues, formatPath, isAckEnvelope, parseContractTag } from "./wire";

describe("wire helpers", () => {
  it("formats paths and issues", () => {
    expect(formatPath([])).toBe("(payload)");
    expect(formatPath(["items", 0, "name"])).toBe("items[0].name");
    expect(formatPath(["with space"])).toBe('["with space"]');
    const many = Array.from({ length: 7 }, (_, i) => ({ path: [`f${i}`], message: "bad" }));
    expect(formatIssues(many)).toBe("f0: bad; f1: bad; f2: bad; f3: bad; f4: bad; and 2 more");
  });

  it("recognizes ack envelopes and nothing else", () => {
    expect(isAckEnvelope({ ok: true, data: null })).toBe(true);
    expect(isAckEnvelope({ ok: false, error: { code: "X", message: "m" } })).toBe(true);
    expect(isAckEnvelope({ ok: true })).toBe(true); // JSON drops `data: undefined`
    expect(isAckEnvelope({ ok: false, error: "nope" })).toBe(false);
    expect(isAckEnvelope({ at: 1 })).toBe(false);
    expect(isAckEnvelope(null)).toBe(false);
  });

  it("parses contract tags", () => {
    expect(parseContractTag("chat@1.2.3")).toEqual({ name: "chat", version: "1.2.3", major: 1 });
    expect(parseContractTag("@scope/x@2.0.0-beta.1")).toEqual({ name: "@scope/x", version: "2.0.0-beta.1", major: 2 });
    expect(parseContractTag("chat")).toBeUndefined();
    expect(parseContractTag("chat@latest")).toBeUndefined();
  });

  it("errors start with their code and travel without stack or cause", () => {
    const error = new IocontractError("NOT_IN_ROOM", "join first", {
      details: { room: "r" },
      event: "x",
      cause: new Error("secret"),
    });
    expect(error.message).toBe("NOT_IN_ROOM: join first");
    expect(error.toWire()).toEqual({ code: "NOT_IN_ROOM", message: "join first", details: { room: "r" } });
    expect(JSON.stringify(error.toWire())).not.toMatch(/secret|stack/);
    expect(IocontractError.fromWire({ code: "TIMEOUT", message: "late" }, "ev")).toMatchObject({
      code: "TIMEOUT",
      event: "ev",
      rawMessage: "late",
    });
  });
});

/** Unit tests of ./spec.ts `payloadArgs`: the one rule every sender follows for what a payload travels as. */
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { defineContract } from "../contract";
import { payloadArgs, resolveNamespace } from "./spec";

const contract = defineContract({
  name: "t",
  version: "1.0.0",
  namespaces: {
    "/": {
      clientToServer: {},
      serverToClient: {
        maybe: { payload: z.string().optional() },
        none: {},
        when: {
          payload: z.codec(z.iso.datetime(), z.date(), { decode: (s) => new Date(s), encode: (d) => d.toISOString() }),
        },
      },
    },
  },
});
const ns = resolveNamespace(
  {
    contract,
    namespaces: {
      "/": {
        clientToServer: {},
        serverToClient: { maybe: "maybe", none: "none", when: "when" },
        encode: { serverToClient: { when: 1 } },
      },
    },
  },
  "/",
);
const ev = (wire: string) => ns.serverToClient.find((e) => e.wire === wire)!;

describe("payloadArgs", () => {
  it("a payload travels as one argument; undefined and an event without a payload as none", () => {
    expect(payloadArgs(ev("maybe"), "x")).toEqual(["x"]);
    expect(payloadArgs(ev("maybe"), undefined)).toEqual([]);
    expect(payloadArgs(ev("none"), "ignored")).toEqual([]);
  });

  it("an invalid payload throws REQUEST_INVALID naming the event, unless validation is off", () => {
    expect(() => payloadArgs(ev("maybe"), 5, "cannot send: ")).toThrow(
      'REQUEST_INVALID: t / "maybe": cannot send: (payload): Invalid input: expected string, received number',
    );
    expect(payloadArgs(ev("maybe"), 5, "", true)).toEqual([5]);
  });

  it("a codec's payload is encoded even with validation off (a Date is not JSON)", () => {
    const at = new Date("2026-01-02T03:04:05.000Z");
    expect(payloadArgs(ev("when"), at, "", true)).toEqual(["2026-01-02T03:04:05.000Z"]);
    expect(() => payloadArgs(ev("when"), "not a date", "", true)).toThrow(
      /^REQUEST_INVALID: t \/ "when": \(payload\): /,
    );
  });
});

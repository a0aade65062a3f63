/** Unit tests of ./admission.ts: the handshake gate's order, the contract tag, the auth and the refusal. */
import { describe, expect, it } from "vitest";
import * as z from "zod";
import type { Socket } from "socket.io";
import { defineContract } from "../../contract";
import { resolveNamespace } from "../spec";
import { sendableError } from "../errors";
import { IocontractError } from "../wire";
import { type AdmissionHost, admit, contractTagRefusal, handshakeCheck, refusal } from "./admission";

const req = {} as never;

/** The outcome of one handshake through the gate. */
function outcome(check: ReturnType<typeof handshakeCheck>): Promise<[string | null | undefined, boolean]> {
  return new Promise((resolve) => check(req, (err, success) => resolve([err, success])));
}

describe("handshakeCheck (engine.io's allowRequest)", () => {
  const open = { draining: () => false, access: () => undefined, user: undefined, limit: () => undefined };

  it("admits when every gate does", async () => {
    expect(await outcome(handshakeCheck(open))).toEqual([null, true]);
  });

  it("refuses while draining before asking anything else", async () => {
    const asked: string[] = [];
    const check = handshakeCheck({
      draining: () => true,
      access: () => void asked.push("access") as undefined,
      user: (_r, cb) => {
        asked.push("user");
        cb(null, true);
      },
      limit: () => void asked.push("limit") as undefined,
    });
    expect(await outcome(check)).toEqual(["the server is shutting down", false]);
    expect(asked).toEqual([]);
  });

  it("then Host and Origin, then the user's own allowRequest, then the connection limits", async () => {
    expect(
      await outcome(handshakeCheck({ ...open, access: () => "origin x is not allowed (ServerOptions.cors)" })),
    ).toEqual(["origin x is not allowed (ServerOptions.cors)", false]);
    let limited = false;
    const userRefuses = handshakeCheck({
      ...open,
      user: (_r, cb) => cb("nope", false),
      limit: () => void (limited = true) as undefined,
    });
    expect(await outcome(userRefuses)).toEqual(["nope", false]);
    expect(limited).toBe(false); // a refused handshake takes no connection slot
    expect(
      await outcome(handshakeCheck({ ...open, user: (_r, cb) => cb(null, true), limit: () => "too many connections" })),
    ).toEqual(["too many connections", false]);
  });
});

const contract = defineContract({
  name: "chat",
  version: "1.2.3",
  namespaces: {
    "/": {
      auth: z.object({ token: z.string().min(1) }),
      errors: { BANNED: z.object({ until: z.number() }) },
      clientToServer: {},
      serverToClient: {},
    },
  },
});
const spec = resolveNamespace({ contract, namespaces: { "/": { clientToServer: {}, serverToClient: {} } } }, "/");

describe("contractTagRefusal", () => {
  it("admits no tag, and the same contract at any minor version", () => {
    expect(contractTagRefusal(spec, undefined)).toBeUndefined();
    expect(contractTagRefusal(spec, "chat@1.0.0")).toBeUndefined();
    expect(contractTagRefusal(spec, "chat@1.9.1-beta")).toBeUndefined();
  });

  it("refuses another major version, another contract, or a tag that is not one", () => {
    for (const tag of ["chat@2.0.0", "game@1.2.3", "chat", ["chat@1.2.3"]]) {
      const refused = contractTagRefusal(spec, tag);
      expect(refused?.toWire(), JSON.stringify(tag)).toEqual({
        code: "CONTRACT_MISMATCH",
        message: `this server speaks chat@1.2.3; the client announced ${JSON.stringify(tag)}`,
      });
    }
  });
});

describe("admit", () => {
  const reported: unknown[] = [];
  const host = (over: Partial<AdmissionHost> = {}): AdmissionHost => ({
    spec,
    handlers: {},
    checkContractVersion: true,
    shutdown: { draining: false },
    newContext: () => ({ recoverSession() {} }),
    wireErrorOf: (error) => sendableError(error, spec.errors, true, () => {}),
    report: (error) => void reported.push(error),
    ...over,
  });
  const socket = (auth: unknown, query: Record<string, string> = {}) =>
    ({ id: "s1", recovered: false, handshake: { auth, query } }) as unknown as Socket;

  it("validates the auth and hands the parsed value to the context, then runs connect", async () => {
    const made: unknown[] = [];
    const connected: unknown[] = [];
    const ctx = { recoverSession() {} };
    await admit(
      host({
        newContext: (_s, auth) => {
          made.push(auth);
          return ctx;
        },
        handlers: { connect: (c: unknown) => void connected.push(c) },
      }),
      socket({ token: "t" }),
    );
    expect(made).toEqual([{ token: "t" }]);
    expect(connected).toEqual([ctx]);
  });

  it("refuses an invalid auth with UNAUTHORIZED and the issues, before any context exists", async () => {
    let made = false;
    const newContext = () => {
      made = true;
      return { recoverSession() {} };
    };
    const error = await admit(host({ newContext }), socket({ token: "" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IocontractError);
    expect((error as IocontractError).code).toBe("UNAUTHORIZED");
    expect((error as IocontractError).details).toEqual({
      issues: [{ path: ["token"], message: "Too small: expected string to have >=1 characters" }],
    });
    expect(made).toBe(false);
  });

  it("refuses SHUTTING_DOWN while draining, and a mismatched tag only when asked to check", async () => {
    expect(
      await admit(host({ shutdown: { draining: true } }), socket({ token: "t" })).catch((e: IocontractError) => e.code),
    ).toBe("SHUTTING_DOWN");
    const tagged = socket({ token: "t" }, { iocontract: "chat@2.0.0" });
    expect(await admit(host(), tagged).catch((e: IocontractError) => e.code)).toBe("CONTRACT_MISMATCH");
    await expect(admit(host({ checkContractVersion: false }), tagged)).resolves.toBeUndefined();
  });

  it("a refusal carries a contract error to the client; anything else is HANDLER_FAILED and reported", () => {
    const s = socket({});
    const banned = refusal(host(), s, new IocontractError("BANNED", "banned", { details: { until: 5 } }));
    expect([banned.message, banned.data]).toEqual([
      "BANNED: banned",
      { code: "BANNED", message: "banned", details: { until: 5 } },
    ]);
    reported.length = 0;
    const failed = refusal(host(), s, new Error("db down"));
    expect(failed.data).toEqual({ code: "HANDLER_FAILED", message: "the connect handler failed" });
    expect(reported).toEqual([new Error("db down")]);
  });
});

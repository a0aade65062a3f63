/** Unit tests of ./options.ts: the defaults filled in, and the mapping onto socket.io's options. */
import { describe, expect, it } from "vitest";
import type { Server } from "socket.io";
import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_RECOVERY_MS } from "../defaults";
import { ioOptionsOf, resolveSettings } from "./options";

describe("resolveSettings", () => {
  it("fills in the defaults", () => {
    const s = resolveSettings("chat", { handlers: {} });
    expect(s).toMatchObject({
      validateOutgoing: true,
      validateAnswers: true,
      checkContractVersion: true,
      attached: false,
      maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
      invalidEventBudget: { burst: 100, perSecond: 10 },
      attachmentTimeoutMs: 5000,
      recoveryMaxBytes: 32 * 1024 * 1024,
    });
    expect(s.validatesIncoming("/")).toBe(true);
  });

  it("validateIncoming may be chosen per namespace; the budget and recovery turned off", () => {
    const s = resolveSettings("chat", {
      handlers: {},
      validateIncoming: (ns) => ns !== "/bench",
      invalidEventBudget: false,
      connectionStateRecovery: false,
    });
    expect([s.validatesIncoming("/"), s.validatesIncoming("/bench")]).toEqual([true, false]);
    expect(s.invalidEventBudget).toBeUndefined();
    expect(s.recoveryMaxBytes).toBeUndefined();
  });

  it("refuses Server settings next to an existing io, naming them, and a maxPayloadBytes below 1024", () => {
    const io = {} as Server;
    expect(() => resolveSettings("chat", { handlers: {}, io })).not.toThrow();
    expect(() => resolveSettings("chat", { handlers: {}, io, cors: "*", maxPayloadBytes: 5000 })).toThrow(
      "iocontract: chat: with `io` (an existing socket.io Server), set cors, maxPayloadBytes on that Server instead",
    );
    expect(() => resolveSettings("chat", { handlers: {}, maxPayloadBytes: 1000 })).toThrow(
      "iocontract: chat: maxPayloadBytes must be an integer >= 1024 (got 1000)",
    );
  });
});

describe("ioOptionsOf", () => {
  it("turns recovery on for 2 minutes with middlewares run, and keeps the transport's cap above ours", () => {
    const { ioOptions, cors } = ioOptionsOf({ handlers: {} }, 2000);
    expect(ioOptions.connectionStateRecovery).toEqual({
      maxDisconnectionDuration: DEFAULT_RECOVERY_MS,
      skipMiddlewares: false,
    });
    expect(ioOptions.maxHttpBufferSize).toBe(4000);
    expect(ioOptions.cors).toBeUndefined(); // same-origin: no CORS headers
    expect(cors).toBe("same-origin");
  });

  it("passes socket.io's own options through; a user's recovery wins but still runs middlewares", () => {
    const { ioOptions } = ioOptionsOf(
      { handlers: {}, socketio: { path: "/x", connectionStateRecovery: { maxDisconnectionDuration: 5 } } },
      2000,
    );
    expect(ioOptions.path).toBe("/x");
    expect(ioOptions.connectionStateRecovery).toEqual({ maxDisconnectionDuration: 5, skipMiddlewares: false });
    expect(
      ioOptionsOf({ handlers: {}, connectionStateRecovery: false }, 2000).ioOptions.connectionStateRecovery,
    ).toBeUndefined();
  });

  it("a list of origins becomes socket.io's CORS headers too; the user's own cors leaves origins to socket.io", () => {
    const listed = ioOptionsOf({ handlers: {}, cors: ["http://localhost:5173"] }, 2000);
    expect([listed.ioOptions.cors, listed.cors]).toEqual([
      { origin: ["http://localhost:5173"] },
      ["http://localhost:5173"],
    ]);
    const own = ioOptionsOf({ handlers: {}, socketio: { cors: { origin: "*" } } }, 2000);
    expect(own.cors).toBeUndefined();
  });
});

/**
 * The emitter (for processes without a Socket.IO server: @socket.io/redis-emitter) encodes codec payloads like
 * the server does: what it hands the emitter is the wire value. A stub stands in for the Redis emitter.
 */
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { defineContract } from "../contract";
import { type SocketIoEmitterLike, createEmitter } from "./emitter";
import type { RuntimeSpec } from "./spec";

const IsoDate = z.codec(z.iso.datetime(), z.date(), { decode: (s) => new Date(s), encode: (d) => d.toISOString() });
const contract = defineContract({
  name: "clock",
  version: "1.0.0",
  namespaces: {
    "/": {
      serverToClient: {
        tick: { payload: z.object({ at: IsoDate }) },
        plain: { payload: z.object({ at: z.iso.datetime() }) },
      },
    },
  },
});

function stub(): { emitter: SocketIoEmitterLike; sent: unknown[][] } {
  const sent: unknown[][] = [];
  const emitter: SocketIoEmitterLike = {
    emit: (...args: unknown[]) => sent.push(args),
    to: () => emitter,
    except: () => emitter,
    of: () => emitter,
    serverSideEmit: () => undefined,
  } as unknown as SocketIoEmitterLike;
  return { emitter, sent };
}

describe("emitter and codecs", () => {
  it("encodes where the generated spec says so, and refuses what the codec cannot encode", () => {
    const spec: RuntimeSpec = {
      contract,
      namespaces: {
        "/": {
          clientToServer: {},
          serverToClient: { tick: "tick", plain: "plain" },
          encode: { serverToClient: { tick: 1 } },
        },
      },
    };
    const { emitter, sent } = stub();
    const emit = (createEmitter(spec, emitter) as { emit: Record<string, (p: unknown) => void> }).emit;
    emit["tick"]!({ at: new Date("2026-01-02T03:04:05.000Z") });
    emit["plain"]!({ at: "2026-01-02T03:04:05.000Z" });
    expect(sent).toEqual([
      ["tick", { at: "2026-01-02T03:04:05.000Z" }],
      ["plain", { at: "2026-01-02T03:04:05.000Z" }],
    ]);
    expect(() => emit["tick"]!({ at: "2026-01-02T03:04:05.000Z" })).toThrowError(
      /REQUEST_INVALID: clock \/ "tick": cannot send: at: /,
    );
  });

  it("without the spec's encode entry (the control), the Date is checked as the wire type and refused", () => {
    const spec: RuntimeSpec = {
      contract,
      namespaces: { "/": { clientToServer: {}, serverToClient: { tick: "tick", plain: "plain" } } },
    };
    const { emitter } = stub();
    const emit = (createEmitter(spec, emitter) as { emit: Record<string, (p: unknown) => void> }).emit;
    expect(() => emit["tick"]!({ at: new Date() })).toThrowError(/REQUEST_INVALID/);
  });
});

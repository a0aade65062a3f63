/**
 * An async refinement the generator cannot see (a superRefine, whose function zod wraps; a function that
 * returns a promise without being `async`): every value fails the synchronous check. The runtime answers the
 * client REQUEST_INVALID and reports to the server, by name: contract, namespace, event and field.
 */
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { defineContract } from "../contract";
import { createClient } from "./client";
import { type RuntimeServer, createServer } from "./server";
import type { RuntimeSpec } from "./spec";
import { describeThrow, whereItThrows } from "./guard";

const taken = async (name: string) => name === "taken";
const contract = defineContract({
  name: "shop",
  version: "1.0.0",
  namespaces: {
    "/": {
      clientToServer: {
        signup: {
          payload: z.object({
            profile: z.object({
              name: z.string().superRefine(async (name, ctx) => void ((await taken(name)) && ctx.addIssue("taken"))),
            }),
          }),
          ack: z.boolean(),
        },
        rename: {
          payload: z.object({ tags: z.array(z.string().refine((t) => Promise.resolve(t.length > 0))) }),
          ack: z.boolean(),
        },
      },
    },
  },
});
const spec: RuntimeSpec = {
  contract,
  namespaces: { "/": { clientToServer: { signup: "signup", rename: "rename" }, serverToClient: {} } },
};

let server: RuntimeServer | undefined;
afterEach(async () => {
  await server?.close({ deadlineMs: 0 });
  server = undefined;
});

describe("an async check at run time", () => {
  it("is REQUEST_INVALID for the client, never reaches the handler, and is reported naming contract, event and field", async () => {
    const reports: Array<{ message: string; event: string }> = [];
    let ran = 0;
    server = createServer<RuntimeServer>(spec, {
      handlers: {
        "/": {
          signup: () => {
            ran++;
            return true;
          },
          rename: () => {
            ran++;
            return true;
          },
        },
      },
      onError: (error, info) => reports.push({ message: (error as Error).message, event: info.event }),
    });
    const { port } = await server.listen();
    // The client validates too (its own check fails alike): skip it to see what the server does.
    const client = createClient(spec, "/", `http://127.0.0.1:${port}`, {
      socket: { transports: ["websocket"], forceNew: true },
    });
    try {
      await client.ready();
      const send = (event: string, payload: unknown) =>
        client.socket.timeout(2000).emitWithAck(event, payload) as Promise<{ ok: boolean; error?: { code: string } }>;
      expect(await send("signup", { profile: { name: "ada" } })).toMatchObject({
        ok: false,
        error: { code: "REQUEST_INVALID" },
      });
      expect(await send("rename", { tags: ["a", "b"] })).toMatchObject({
        ok: false,
        error: { code: "REQUEST_INVALID" },
      });
      expect(ran).toBe(0);
      expect(reports).toEqual([
        {
          event: "signup",
          message:
            'shop / "signup": payload.profile.name: the contract\'s schema is async here (an async refinement or ' +
            "transform), and iocontract validates synchronously: every value fails until it is made synchronous",
        },
        {
          event: "rename",
          message:
            'shop / "rename": payload.tags[0]: the contract\'s schema is async here (an async refinement or ' +
            "transform), and iocontract validates synchronously: every value fails until it is made synchronous",
        },
      ]);
      // The generated client's own check refuses before sending, with the same issue.
      const emit = client.emit as Record<string, (payload: unknown) => Promise<unknown>>;
      await expect(emit["signup"]!({ profile: { name: "ada" } })).rejects.toThrowError(
        /REQUEST_INVALID: shop \/ "signup": \(payload\): Invalid input: the contract's check failed on this value/,
      );
    } finally {
      client.disconnect();
    }
  });

  it(
    "whereItThrows: nothing for a schema that does not throw; a synchronous throw is named with what it threw " +
      "(the server does not report those: integration/runtime-edges.test.ts)",
    () => {
      expect(whereItThrows(z.object({ a: z.string() }), { a: 1 })).toBeUndefined();
      const boom = z.object({
        n: z.number().refine(() => {
          throw new Error("boom");
        }),
      });
      const found = whereItThrows(boom, { n: 1 })!;
      expect(found.path).toEqual(["n"]);
      expect(describeThrow(found)).toBe("payload.n: the contract's own check threw (boom)");
    },
  );
});

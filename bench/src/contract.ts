/** The contract the message benchmarks speak: one small fire-and-forget event, one request with an ack, one broadcast. */
import { z } from "zod";
import { defineContract } from "@iocontract/runtime/contract";
import type { RuntimeSpec } from "@iocontract/runtime/v1/server";

/** The payload of every message: a chat line, as in the example app. */
export const Message = z.object({ data: z.string().min(1).max(2000) });

const events = {
  clientToServer: {
    msg: { payload: Message },
    req: { payload: Message, ack: z.object({ delivered: z.number().int() }) },
  },
  serverToClient: {
    tick: { payload: Message },
  },
} as const;

export const benchContract = defineContract({
  name: "bench",
  version: "1.0.0",
  namespaces: { "/": events, "/nv": events },
});

const table = { clientToServer: { msg: "msg", req: "req" }, serverToClient: { tick: "tick" } };
export const benchSpec: RuntimeSpec = { contract: benchContract, namespaces: { "/": table, "/nv": table } };

export const PAYLOAD = { data: "hello, this is a chat line of ordinary length" };

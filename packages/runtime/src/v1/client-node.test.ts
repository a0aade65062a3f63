/**
 * Node's client entry (package.json "node" condition) validates with compiled validators; the browser entry does
 * not. That both answer alike end to end is client-entries.test.ts.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { defineContract } from "../contract";
import * as compiled from "./compiled";
import { createClient as createBrowserClient } from "./client";
import { createClient as createNodeClient } from "./client-node";
import type { RuntimeSpec } from "./spec";

const contract = defineContract({
  name: "nodeclient",
  version: "1.0.0",
  namespaces: {
    "/": {
      auth: z.object({ token: z.string() }),
      clientToServer: { say: { payload: z.object({ text: z.string().min(1) }), ack: z.object({ n: z.number() }) } },
      serverToClient: { told: { payload: z.object({ text: z.string() }) } },
    },
  },
});
const spec: RuntimeSpec = {
  contract,
  namespaces: { "/": { clientToServer: { say: "say" }, serverToClient: { told: "told" } } },
};
const options = { autoConnect: false, auth: { token: "t" } };

describe("the client as Node gets it", () => {
  afterEach(() => vi.restoreAllMocks());

  it("makes a compiled validator for every schema it checks (auth, payloads, acks)", () => {
    const made = vi.spyOn(compiled, "makeCompiledValidator");
    const client = createNodeClient(spec, "/", "http://127.0.0.1:1", options);
    const ns = contract.namespaces["/"]!;
    expect(made.mock.calls.map(([schema]) => schema)).toEqual(
      expect.arrayContaining([
        ns.auth,
        ns.clientToServer!["say"]!.payload,
        ns.clientToServer!["say"]!.ack,
        ns.serverToClient!["told"]!.payload,
      ]),
    );
    expect(made).toHaveBeenCalledTimes(4);
    client.socket.close();
  });

  it("the browser entry does not", () => {
    const made = vi.spyOn(compiled, "makeCompiledValidator");
    createBrowserClient(spec, "/", "http://127.0.0.1:1", options).socket.close();
    expect(made).not.toHaveBeenCalled();
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ContractDefinitionError, defineContract, isContract } from "./contract";

describe("defineContract", () => {
  it("returns the same object, frozen and marked", () => {
    const def = {
      name: "chat",
      version: "1.2.3",
      namespaces: { "/": { clientToServer: { hi: { payload: z.string() } } } },
    };
    const contract = defineContract(def);
    expect(contract).toBe(def);
    expect(Object.isFrozen(contract)).toBe(true);
    expect(isContract(contract)).toBe(true);
    expect(isContract({ ...def })).toBe(false);
  });

  it.each([
    [
      "a bad name",
      { name: "Chat App", version: "1.0.0", namespaces: { "/": {} } },
      /contract "Chat App": name must be lower-case/,
    ],
    ["a bad version", { name: "chat", version: "v1", namespaces: { "/": {} } }, /version must be a semantic version/],
    ["no namespace", { name: "chat", version: "1.0.0", namespaces: {} }, /declare at least one namespace/],
    [
      "a bad namespace",
      { name: "chat", version: "1.0.0", namespaces: { admin: {} } },
      /namespace "admin": a namespace is a path/,
    ],
    [
      "a non-schema payload",
      { name: "chat", version: "1.0.0", namespaces: { "/": { clientToServer: { x: { payload: "string" } } } } },
      /clientToServer event "x": payload is not a zod schema/,
    ],
    [
      "an unknown key",
      { name: "chat", version: "1.0.0", namespaces: { "/": { serverToClient: { x: { data: z.string() } } } } },
      /serverToClient event "x": unknown key "data"/,
    ],
    [
      "a timeout without ack",
      { name: "chat", version: "1.0.0", namespaces: { "/": { clientToServer: { x: { timeoutMs: 5 } } } } },
      /timeoutMs needs an ack schema/,
    ],
    [
      "a bad timeout",
      {
        name: "chat",
        version: "1.0.0",
        namespaces: { "/": { clientToServer: { x: { ack: z.string(), timeoutMs: -1 } } } },
      },
      /timeoutMs must be a positive integer/,
    ],
    [
      "a bad error code",
      { name: "chat", version: "1.0.0", namespaces: { "/": { errors: { notFound: z.object({}) } } } },
      /error code "notFound" must be UPPER_SNAKE_CASE/,
    ],
    [
      "an inter-server event with an ack",
      { name: "chat", version: "1.0.0", namespaces: { "/": { serverToServer: { x: { ack: z.string() } } } } },
      /serverToServer event "x": unknown key "ack" \(.*no ack\)/,
    ],
    [
      "a non-schema inter-server payload",
      { name: "chat", version: "1.0.0", namespaces: { "/": { serverToServer: { x: { payload: 1 } } } } },
      /serverToServer event "x": payload is not a zod schema/,
    ],
    [
      "an empty event name",
      { name: "chat", version: "1.0.0", namespaces: { "/": { clientToServer: { "": {} } } } },
      /an event name cannot be empty/,
    ],
  ])("refuses %s", (_name, def, want) => {
    expect(() => defineContract(def as never)).toThrowError(ContractDefinitionError);
    expect(() => defineContract(def as never)).toThrowError(want);
  });
});

/** The Python printer's names and checks: snake_case from wire names, keywords, reserved and clashing methods. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type NamespaceDef, defineContract } from "@iocontract/runtime/contract";
import { buildModel } from "../../model";
import { buildTypeScript } from "../../typescript/index";
import type { PrintContext } from "../common";
import { printPythonClient } from "./client";
import { toSnake } from "./names";

const print = (ns: NamespaceDef, dir = "/out/demo_client") => {
  const model = buildModel(defineContract({ name: "demo", version: "1.0.0", namespaces: { "/": ns } }), "demo.ts");
  const ctx: PrintContext = {
    model,
    ts: buildTypeScript(model),
    runtimeImport: "@iocontract/runtime",
    contractImport: "../demo",
    importExtension: "",
    generatorVersion: "0.0.0",
    regenerate: "npm run generate",
  };
  return Object.fromEntries(printPythonClient(ctx, dir).map((f) => [f.name, f.text]));
};

describe("Python names", () => {
  it.each([
    ["my custom event", "my_custom_event"],
    ["USER_JOINED", "user_joined"],
    ["todo:create", "todo_create"],
    ["myCustomEvent", "my_custom_event"],
    ["HTTPStatus", "httpstatus"],
  ])("%s → %s", (wire, snake) => expect(toSnake(wire)).toBe(snake));

  it("a keyword becomes a method with a trailing underscore", () => {
    expect(print({ clientToServer: { class: { payload: z.object({ from: z.string() }) } } })["client.py"]).toContain(
      "def class_(self, payload: ClassPayload) -> None:",
    );
  });

  it("a key Python cannot write as an attribute gets the functional TypedDict syntax; others the class syntax", () => {
    const models = print({
      clientToServer: {
        a: { payload: z.object({ from: z.string(), "x-y": z.number().optional() }) },
        b: { payload: z.object({ ok: z.boolean() }) },
      },
    })["models.py"]!;
    expect(models).toContain(
      'APayload = TypedDict(\n    "APayload",\n    {\n        "from": str,\n        "x-y": NotRequired[float],\n    },\n)',
    );
    expect(models).toContain("class BPayload(TypedDict):\n    ok: bool");
  });

  it("refuses an event whose method is one the client has", () => {
    expect(() => print({ clientToServer: { sid: {} } })).toThrow(
      /clientToServer event "sid": its Python method name sid is reserved in the generated client/,
    );
    expect(() => print({ clientToServer: { "on connect": {} } })).toThrow(
      /clientToServer event "on connect": its Python method name on_connect is reserved/,
    );
  });

  it("refuses two events that become one method", () => {
    expect(() => print({ clientToServer: { "on ping": {} }, serverToClient: { ping: {} } })).toThrow(
      /events "on ping" and "ping" both become the Python method on_ping/,
    );
  });

  it("refuses a package folder that is not a Python identifier", () => {
    expect(() => print({ clientToServer: { a: {} } }, "/out/demo-client")).toThrow(/must be a Python identifier/);
  });
});

/** The model's checks: one clear error per broken contract, naming the contract, namespace, event and field. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type Contract, type NamespaceDef, defineContract } from "@iocontract/runtime/contract";
import { CodegenError } from "./errors";
import { buildModel } from "./model";
import { buildTypeScript } from "./typescript/index";
import { type TypeScriptOptions, typeUse } from "./typescript/types";
import { toIdentifier } from "./names";

const isoDate = z.codec(z.iso.datetime(), z.date(), { decode: (s) => new Date(s), encode: (d) => d.toISOString() });

const contract = (ns: NamespaceDef, extra: Record<string, unknown> = {}) =>
  defineContract({ name: "demo", version: "1.0.0", namespaces: { "/": ns }, ...extra });

/** The model and its TypeScript stage, as `generate` builds them: the checks of both. */
const build = (given: Contract, file: string, options?: TypeScriptOptions) =>
  buildTypeScript(buildModel(given, file), options);

/** One regular expression from pieces, so that a long one can be written on several lines. */
const joined = (...parts: RegExp[]) => new RegExp(parts.map((part) => part.source).join(""));
/** The start of an error about namespace "/" of the demo contract. */
const AT_ROOT = /^contract "demo" \(demo\.ts\), namespace "\/", /;

const errors: Array<[string, { given: Contract; want: RegExp }]> = [
  [
    "two events with the same identifier",
    {
      given: contract({ clientToServer: { "my event": {}, my_event: {} } }),
      want: joined(
        AT_ROOT,
        /clientToServer event "my_event": events "my event" and "my_event" both become the identifier myEvent/,
      ),
    },
  ],
  [
    "an inter-server event and a client event with one handler method",
    {
      given: contract({
        clientToServer: { "user count": {} },
        serverToServer: { user_count: { payload: z.number() } },
      }),
      want: joined(
        AT_ROOT,
        /serverToServer event "user_count": clientToServer event "user count" and this event both become the handler method userCount/,
      ),
    },
  ],
  [
    "an inter-server event a Namespace emits itself",
    {
      given: contract({ serverToServer: { connection: {} } }),
      want: /serverToServer event "connection": "connection" is reserved by Socket\.IO/,
    },
  ],
  [
    "an inter-server event named error",
    { given: contract({ serverToServer: { error: {} } }), want: /serverToServer event "error": "error" is reserved/ },
  ],
  [
    "an inter-server identifier clashing with a lifecycle handler",
    {
      given: contract({ serverToServer: { Disconnect: {} } }),
      want: /serverToServer event "Disconnect": its identifier disconnect is reserved in the generated handler interface/,
    },
  ],
  [
    "a Socket.IO reserved name",
    {
      given: contract({ clientToServer: { disconnecting: {} } }),
      want: /clientToServer event "disconnecting": "disconnecting" is reserved by Socket\.IO/,
    },
  ],
  [
    "newListener",
    {
      given: contract({ serverToClient: { newListener: {} } }),
      want: /serverToClient event "newListener": "newListener" is reserved by Socket\.IO/,
    },
  ],
  [
    "connect_error",
    { given: contract({ serverToClient: { connect_error: {} } }), want: /"connect_error" is reserved by Socket\.IO/ },
  ],
  [
    "the runtime's prefix",
    {
      given: contract({ clientToServer: { "iocontract:error": {} } }),
      want: /names starting with "iocontract:" are reserved for the runtime/,
    },
  ],
  [
    "an identifier clashing with a lifecycle handler",
    {
      given: contract({ clientToServer: { Connect: {} } }),
      want: /event "Connect": its identifier connect is reserved in the generated handler interface; set `identifier`/,
    },
  ],
  [
    "an identifier clashing with the client's lifecycle",
    {
      given: contract({ serverToClient: { "connect error": {} } }),
      want: /its identifier connectError is reserved in the generated client/,
    },
  ],
  [
    "no identifier can be derived",
    {
      given: contract({ clientToServer: { "2fa": {} } }),
      want: /event "2fa": no identifier can be derived from this name .* set `identifier`/,
    },
  ],
  [
    "only punctuation",
    { given: contract({ clientToServer: { "!!!": {} } }), want: /event "!!!": no identifier can be derived/ },
  ],
  [
    "an invalid identifier override",
    {
      given: contract({ clientToServer: { x: { identifier: "not valid" } } }),
      want: /identifier "not valid" is not a valid identifier/,
    },
  ],
  [
    "an error code the runtime owns",
    {
      given: contract({ errors: { TIMEOUT: z.object({}) } }),
      want: /namespace "\/", errors\.TIMEOUT: error code TIMEOUT is one of iocontract's own codes/,
    },
  ],
  [
    "an unsupported construct deep in a payload",
    {
      given: contract({
        clientToServer: { save: { payload: z.object({ items: z.array(z.object({ at: z.date() })) }) } },
      }),
      want: joined(
        AT_ROOT,
        /clientToServer event "save", payload\.items\[0\]\.at: /,
        /a Date does not travel as JSON: send an ISO string and receive a Date with a codec/,
      ),
    },
  ],
  [
    // `{ "__proto__": {...} }` in an object literal sets its prototype: the event would vanish without a word.
    "an event named __proto__",
    {
      given: contract({ clientToServer: { ok: {}, __proto__: { payload: z.string() } } }),
      want: joined(
        AT_ROOT,
        /clientToServer event "__proto__": an event named "__proto__" is not an entry \(it sets the object literal's prototype\)/,
      ),
    },
  ],
  [
    "a server-to-client event named __proto__",
    {
      given: contract({ serverToClient: { __proto__: {} } }),
      want: /serverToClient event "__proto__": an event named "__proto__" is not an entry/,
    },
  ],
  [
    "an async refinement deep in a payload",
    {
      given: contract({
        clientToServer: {
          signup: { payload: z.object({ user: z.object({ name: z.string().refine(async (n) => n !== "taken") }) }) },
        },
      }),
      want: joined(
        AT_ROOT,
        /clientToServer event "signup", payload\.user\.name: a refinement is async, and iocontract validates synchronously/,
      ),
    },
  ],
  [
    "a codec and a one-way transform in one event part",
    {
      given: contract({
        clientToServer: {
          log: {
            payload: z.object({
              at: isoDate,
              text: z
                .string()
                .transform((s) => s.trim())
                .meta({ tsType: "string" }),
            }),
          },
        },
      }),
      want: joined(
        /clientToServer event "log", payload\.text: this schema holds a codec \(at payload\.at\), so its senders encode it, /,
        /and a one-way transform .* cannot be encoded: make it a z\.codec\(\)/,
      ),
    },
  ],
  [
    "a codec and z.coerce.bigint() in one event part",
    {
      given: contract({ serverToClient: { tick: { payload: z.object({ at: isoDate, n: z.coerce.bigint() }) } } }),
      want: joined(
        /serverToClient event "tick", payload\.n: this schema holds a codec \(at payload\.at\), so its senders encode it, /,
        /and z\.coerce\.bigint\(\) \(it encodes to a bigint\) cannot be encoded/,
      ),
    },
  ],
  [
    "two types with one name",
    {
      given: contract({
        clientToServer: {
          a: { payload: z.object({ x: z.string() }).meta({ id: "Thing" }) },
          b: { payload: z.object({ y: z.string() }).meta({ id: "Thing" }) },
        },
      }),
      want: /type name "Thing" is used by two different schemas/,
    },
  ],
  [
    "an Input twin that would take a declared name",
    {
      given: defineContract({
        name: "demo",
        version: "1.0.0",
        types: { Thing: z.object({ n: z.number().default(1) }), ThingInput: z.object({ s: z.string() }) },
        namespaces: { "/": { clientToServer: { a: { payload: z.string() } } } },
      }),
      want: /type Thing needs a twin named ThingInput for its input side, and that name is taken/,
    },
  ],
  [
    "a namespace whose generated names clash with the contract's",
    {
      given: defineContract({ name: "demo", version: "1.0.0", namespaces: { "/": {}, "/server": {} } }),
      want: /the generated name DemoServerHandlers would be declared twice, for contract "demo" and for namespace "\/server"; rename one/,
    },
  ],
  [
    "a type named like a generated interface",
    {
      given: defineContract({
        name: "demo",
        version: "1.0.0",
        types: { DemoContext: z.object({ a: z.string() }) },
        namespaces: { "/": {} },
      }),
      want: /the generated name DemoContext would be declared twice, for namespace "\/" and for type DemoContext/,
    },
  ],
  [
    "two namespaces with one identifier",
    {
      given: defineContract({ name: "demo", version: "1.0.0", namespaces: { "/my-room": {}, "/my_room": {} } }),
      want: /namespaces "\/my-room" and "\/my_room" give the same identifier "MyRoom"/,
    },
  ],
];

describe("buildModel and the TypeScript stage refuse broken contracts", () => {
  it.each(errors)("%s", (_name, { given, want }) => {
    const attempt = () => build(given, "demo.ts");
    expect(attempt).toThrowError(CodegenError);
    expect(attempt).toThrowError(want);
  });
});

describe("buildModel", () => {
  it("derives identifiers, keeps wire names, names reused schemas once", () => {
    const Shared = z.object({ a: z.string() });
    const model = build(
      contract({
        clientToServer: { "my custom event": { payload: Shared }, "todo:create": { payload: z.object({ s: Shared }) } },
        serverToClient: { "my reply": { payload: z.object({ inner: Shared }) } },
      }),
      "demo.ts",
    );
    const ns = model.model.namespaces[0]!;
    expect(ns.clientToServer.map((e) => [e.wire, e.ident])).toEqual([
      ["my custom event", "myCustomEvent"],
      ["todo:create", "todoCreate"],
    ]);
    expect(typeUse(ns.clientToServer[0]!.payload!)).toEqual({
      input: "MyCustomEventPayload",
      wire: "MyCustomEventPayload",
      output: "MyCustomEventPayload",
    });
    expect(model.declarations.map((d) => d.name)).toEqual([
      "MyCustomEventPayload",
      "TodoCreatePayload",
      "MyReplyPayload",
    ]);
    expect(model.declarations[1]!.output).toEqual({
      kind: "interface",
      members: [{ key: "s", optional: false, type: "MyCustomEventPayload", docs: [] }],
    });
  });

  it("names a recursive schema that was given no name, after where it first appears", () => {
    const Node: z.ZodType<{ v: number; kids: unknown[] }> = z.object({
      v: z.number(),
      get kids() {
        return z.array(Node);
      },
    });
    const model = build(contract({ clientToServer: { tree: { payload: z.object({ root: Node }) } } }), "demo.ts");
    expect(model.declarations.map((d) => d.name)).toEqual(["TreePayload", "TreePayloadRoot"]);
  });
});

describe("recursion through z.lazy", () => {
  it("names a recursive z.lazy() schema automatically (a JSON value), and prints it as code tsc accepts", () => {
    type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
    const Json: z.ZodType<JsonValue> = z.lazy(() =>
      z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(Json), z.record(z.string(), Json)]),
    );
    const model = build(
      contract({ clientToServer: { put: { payload: z.object({ key: z.string(), value: Json }) } } }),
      "demo.ts",
    );
    expect(model.declarations.map((d) => [d.name, d.output])).toEqual([
      [
        "PutPayload",
        {
          kind: "interface",
          members: [
            { key: "key", optional: false, type: "string", docs: [] },
            { key: "value", optional: false, type: "PutPayloadValue", docs: [] },
          ],
        },
      ],
      [
        "PutPayloadValue",
        {
          kind: "alias",
          type: "string | number | boolean | null | PutPayloadValue[] | { [key: string]: PutPayloadValue }",
        },
      ],
    ]);
  });

  it("names mutually recursive z.lazy() schemas met in two events", () => {
    type A = { b?: B | undefined };
    type B = { a?: A[] | undefined };
    const A: z.ZodType<A> = z.lazy(() => z.object({ b: B.optional() }));
    const B: z.ZodType<B> = z.lazy(() => z.object({ a: z.array(A).optional() }));
    const model = build(contract({ clientToServer: { one: { payload: A }, two: { payload: B } } }), "demo.ts");
    expect(model.declarations.map((d) => [d.name, d.output])).toEqual([
      ["OnePayload", { kind: "alias", type: "{\n  b?: TwoPayload | undefined;\n}" }],
      ["TwoPayload", { kind: "alias", type: "{\n  a?: OnePayload[] | undefined;\n}" }],
    ]);
  });
});

describe("codecs", () => {
  it("an event part with a codec: the sender writes the output (encoded), the wire carries the input; the spec's encode bits say which parts", () => {
    const model = build(
      contract({
        clientToServer: { schedule: { payload: z.object({ at: isoDate }), ack: z.object({ id: z.string() }) } },
        serverToClient: { ping: { payload: z.string(), ack: isoDate } },
      }),
      "demo.ts",
    );
    const [schedule] = model.model.namespaces[0]!.clientToServer;
    const [ping] = model.model.namespaces[0]!.serverToClient;
    expect(schedule!.payload).toEqual({ name: "SchedulePayload", differs: true, encoded: true });
    expect(typeUse(schedule!.payload!)).toEqual({
      input: "SchedulePayload",
      wire: "SchedulePayloadInput",
      output: "SchedulePayload",
    });
    expect(schedule!.encodes).toBe(1);
    expect(typeUse(ping!.ack!)).toEqual({ input: "PingAck", wire: "PingAckInput", output: "PingAck" });
    expect(ping!.encodes).toBe(2);
    expect(model.declarations.find((d) => d.name === "SchedulePayload")).toMatchObject({ codec: true, differs: true });
  });

  it("a codec in auth is not encoded: the client writes zod's input", () => {
    const model = build(contract({ auth: z.object({ since: isoDate }) }), "demo.ts");
    expect(model.model.namespaces[0]!.auth).toEqual({ name: "Auth", differs: true, encoded: false });
    expect(typeUse(model.model.namespaces[0]!.auth!)).toEqual({
      input: "AuthInput",
      wire: "AuthInput",
      output: "Auth",
    });
  });

  it("a one-way transform is not encoded: its sender writes zod's input", () => {
    const model = build(
      contract({
        clientToServer: {
          n: {
            payload: z
              .string()
              .transform((s) => s.length)
              .meta({ tsType: "number" }),
          },
        },
      }),
      "demo.ts",
    );
    const [n] = model.model.namespaces[0]!.clientToServer;
    expect(n!.encodes).toBe(0);
    expect(typeUse(n!.payload!)).toEqual({ input: "NPayloadInput", wire: "NPayloadInput", output: "NPayload" });
  });
});

describe("the TypeScript compiler", () => {
  it("is not consulted for a contract without parts zod cannot type (a contract file that does not exist is never read)", () => {
    const model = build(
      contract({ clientToServer: { a: { payload: z.object({ n: z.number().default(1), at: isoDate }) } } }),
      "demo.ts",
      { contractFile: "/nonexistent/contract.ts" },
    );
    expect(model.declarations.map((d) => d.name)).toEqual(["APayload"]);
    // Nothing asked, no brand written: nothing imported from zod.
    expect(model.zodImports).toEqual([]);
  });

  it("without the contract's path, a transform without a declared type is refused as before", () => {
    const attempt = () =>
      build(
        contract({ clientToServer: { a: { payload: z.object({ n: z.string().transform((s) => s.length) }) } } }),
        "demo.ts",
      );
    expect(attempt).toThrowError(/payload\.n: the output type of this transform is unknown to the generator/);
  });
});

describe("input and output twins", () => {
  it("mutually recursive schemas both get an Input twin when one of them has a default", () => {
    const A: z.ZodType = z.object({
      get b() {
        return B.optional();
      },
      n: z.number().default(1),
    });
    const B: z.ZodType = z.object({
      get a() {
        return A.optional();
      },
    });
    // A is looked at first: B's answer is first computed while A is still being visited (and assumed equal).
    const model = build(
      defineContract({ name: "demo", version: "1.0.0", types: { A, B }, namespaces: { "/": {} } }),
      "demo.ts",
    );
    expect(model.declarations.map((d) => [d.name, d.differs])).toEqual([
      ["A", true],
      ["B", true],
    ]);
    expect(model.declarations[1]!.input).toEqual({
      kind: "interface",
      members: [{ key: "a", optional: true, type: "AInput | undefined", docs: [] }],
    });
  });
});

describe("toIdentifier", () => {
  it.each([
    ["my custom event", "myCustomEvent"],
    ["exit_chat", "exitChat"],
    ["todo:create", "todoCreate"],
    ["USER_JOINED", "userJoined"],
    ["userJoined", "userJoined"],
    ["überEvent", "überEvent"],
    ["a.b.c", "aBC"],
    ["  padded  ", "padded"],
    ["2fa", undefined],
    ["---", undefined],
  ])("%j → %j", (wire, want) => {
    expect(toIdentifier(wire)).toBe(want);
  });
});

describe("generated names: the clash check asks the printers what they declare", () => {
  const withType = (ns: NamespaceDef) =>
    defineContract({
      name: "demo",
      version: "1.0.0",
      types: { DemoInterServerEvents: z.object({ a: z.string() }) },
      namespaces: { "/": ns },
    });

  it("a type named like a namespace's inter-server event map is refused when the types file declares that map", () => {
    expect(() => build(withType({ serverToServer: { sync: {} } }), "demo.ts")).toThrowError(
      /the generated name DemoInterServerEvents would be declared twice, for namespace "\/" and for type DemoInterServerEvents/,
    );
  });

  it("and accepted when it does not (no inter-server events): the name is the type's alone", () => {
    const ts = build(withType({ clientToServer: { a: {} } }), "demo.ts");
    expect(ts.declared.types).toContain("DemoInterServerEvents");
    expect(ts.names.filter((n) => n === "DemoInterServerEvents")).toHaveLength(1);
  });

  it("every printer's names are claimed, the types file's in the order it declares them", () => {
    const ts = build(
      contract({ clientToServer: { hi: { payload: z.object({ n: z.number().default(1) }) } } }),
      "demo.ts",
    );
    expect(ts.declared.types).toEqual([
      "HiPayload",
      "HiPayloadInput",
      "DemoErrorCode",
      "DemoErrorDetails",
      "DemoClientToServerEvents",
      "DemoServerToClientEvents",
    ]);
    expect(ts.declared.client).toContain("createDemoClient");
    expect(ts.declared.server).toContain("createDemoServer");
    expect(ts.declared.emitter).toContain("createDemoEmitter");
    expect(ts.declared.index).toContain("IocontractError");
    // `names`: every printer's names, each once.
    expect(new Set(ts.names)).toEqual(new Set(Object.values(ts.declared).flat()));
    expect(ts.names).toHaveLength(new Set(ts.names).size);
  });
});

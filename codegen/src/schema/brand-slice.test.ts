/** Which roots of a contract may carry a brand, read from its text, and the text with the others blanked out. */
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";
import { describe, expect, it } from "vitest";
import { rootOf, sliceContract } from "./brand-slice";

const { ts } = createRequire(import.meta.url)("ts-morph") as typeof TsMorph;

const event = (direction: string, wire: string, ns = "/") =>
  `C["namespaces"][${JSON.stringify(ns)}][${JSON.stringify(direction)}][${JSON.stringify(wire)}]`;
const type = (name: string) => `C["types"][${JSON.stringify(name)}]`;

describe("rootOf", () => {
  it.each([
    [
      'C["namespaces"]["/"]["clientToServer"]["a \\"b\\""]["payload"]["_zod"]["def"]["shape"]["x"]',
      event("clientToServer", 'a "b"'),
    ],
    ['C["namespaces"]["/admin"]["serverToClient"]["n"]["ack"]', event("serverToClient", "n", "/admin")],
    ['C["types"]["Money"]["_zod"]["def"]["innerType"]', type("Money")],
    ['C["namespaces"]["/"]["auth"]', undefined],
    ['C["namespaces"]["/"]["errors"]["NOPE"]', undefined],
  ])("%s", (access, want) => {
    expect(rootOf(access)).toBe(want);
  });
});

const contract = `import { z } from "zod";
import { defineContract } from "@iocontract/runtime/contract";
import { Shared } from "./shared";
import { Plain } from "./plain";

const Id = z.string().brand<"Id">();
const Person = z.object({ id: Id, name: z.string() });
const Loose = z.object({ n: z.number() });
type Cents = number & z.$brand<"Cents">;
const Amount = z.custom<Cents>();
const Tree: z.ZodType<unknown> = z.lazy(() => z.object({ children: z.array(Tree), who: Person }));

export default defineContract({
  name: "demo",
  version: "1.0.0",
  types: { Person, Loose },
  namespaces: {
    "/": {
      auth: z.object({ token: z.string() }),
      clientToServer: {
        plain: { payload: z.object({ a: z.string(), l: Loose }) },
        direct: { payload: z.string().brand<"Direct">() },
        viaObject: { payload: z.object({ who: Person }) },
        viaUnion: { payload: z.union([z.number(), Id]) },
        viaRecord: { payload: z.record(z.string(), Amount) },
        viaLazy: { payload: Tree },
        imported: { payload: Shared },
        importedPlain: { payload: Plain },
        "quoted name": { payload: z.number() },
      },
      serverToClient: { news: { payload: z.object({ at: z.number() }) } },
    },
  },
});
`;

const slice = (text: string, branded: Record<string, boolean> = { zod: false, "./shared": true, "./plain": false }) =>
  sliceContract(ts, "/virtual/contract.ts", text, (from) => branded[from] ?? true);

describe("sliceContract", () => {
  it("marks each event and named type by whether its expression can reach brand text", () => {
    expect(Object.fromEntries(slice(contract).roots)).toEqual({
      [type("Person")]: true,
      [type("Loose")]: false,
      [event("clientToServer", "plain")]: false,
      [event("clientToServer", "direct")]: true,
      [event("clientToServer", "viaObject")]: true,
      [event("clientToServer", "viaUnion")]: true,
      [event("clientToServer", "viaRecord")]: true,
      [event("clientToServer", "viaLazy")]: true,
      [event("clientToServer", "imported")]: true,
      [event("clientToServer", "importedPlain")]: false,
      [event("clientToServer", "quoted name")]: false,
      [event("serverToClient", "news")]: false,
    });
  });

  it("blanks out the roots it is given, keeping every position and line", () => {
    const s = slice(contract);
    const out = s.without(new Set([event("clientToServer", "plain"), event("serverToClient", "news"), type("Loose")]));
    expect(out.length).toBe(contract.length);
    expect(out.split("\n").length).toBe(contract.split("\n").length);
    expect(out).not.toContain("plain:");
    expect(out).not.toContain("news:");
    expect(out).toContain("types: { Person,       },");
    expect(out).toContain("direct: { payload:");
    // What is left still parses as an object literal (the removed entries' commas went with them).
    const parsed = ts.createSourceFile("x.ts", out, ts.ScriptTarget.Latest, true);
    expect((parsed as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
  });

  it("replaces the function the literal is passed to, when asked, and only that", () => {
    const out = slice(contract).without(new Set(), "__as_is");
    expect(out).toContain("export default __as_is({");
    expect(out.replace("__as_is", "defineContract")).toBe(contract);
  });

  it("reads a default export that names a const holding the call, through `satisfies` and parentheses", () => {
    const text = `import { z } from "zod";
const B = z.number().brand<"B">();
const contract = (defineContract({ name: "d", version: "1.0.0", namespaces: { "/": { clientToServer: { a: { payload: B }, b: {} } } } }) satisfies object);
export default contract;
`;
    expect(Object.fromEntries(slice(text).roots)).toEqual({
      [event("clientToServer", "a")]: true,
      [event("clientToServer", "b")]: false,
    });
  });

  it("knows nothing of a map it cannot read with certainty (a spread, a computed key): those are asked about", () => {
    const text = `import { z } from "zod";
const more = { c: {} };
const k = "d";
export default defineContract({ name: "d", version: "1.0.0", namespaces: {
  "/": { clientToServer: { a: {}, ...more }, serverToClient: { [k]: {}, b: {} } },
  "/x": nsValue,
} });
`;
    const s = slice(text);
    expect(s.roots.size).toBe(0);
    expect(s.without(new Set(["anything"]))).toBe(text);
  });

  it("a name that leads to brand text through other names, or a cycle of names, is followed to its end", () => {
    const text = `import { z } from "zod";
const A = z.string().brand<"A">();
const B = z.object({ a: A });
const C = z.object({ b: B });
const Loop1 = z.lazy(() => Loop2);
const Loop2 = z.lazy(() => Loop1);
export default defineContract({ name: "d", version: "1.0.0", namespaces: { "/": { clientToServer: { deep: { payload: C }, loop: { payload: Loop1 } } } } });
`;
    expect(Object.fromEntries(slice(text).roots)).toEqual({
      [event("clientToServer", "deep")]: true,
      [event("clientToServer", "loop")]: false,
    });
  });

  it("a contract module it cannot read (no default export of a call on a literal) gives no roots", () => {
    expect(slice(`export default makeContract();\n`).roots.size).toBe(0);
  });
});

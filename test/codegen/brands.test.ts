/**
 * Brands and the TypeScript compiler's answers, printed: one row per construct, the exact text the model holds
 * for it (the real-world golden case's contract, which test/types/printed-equals-zod.test-d.ts checks against
 * zod's own types with tsc). Brands leave no trace at run time, so these rows need the compiler: they live here,
 * beside the fixture, not in codegen's printer table.
 */
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type TypeScriptModel, buildModel, buildTypeScript, loadContract } from "iocontract";
import { FIXTURES } from "../fixtures/goldens";

let model: TypeScriptModel;
beforeAll(async () => {
  const file = path.join(FIXTURES, "real-world", "contract.ts");
  model = buildTypeScript(buildModel(await loadContract(file), "contract.ts"), { contractFile: file });
}, 90_000);

/** The printed text of a declaration (an alias) or of one member of it (an interface), in a mode. */
function printed(name: string, member: string | undefined, mode: "output" | "input"): string {
  const d = model.declarations.find((x) => x.name === name);
  if (d === undefined) throw new Error(`no declaration ${name}`);
  const body = mode === "input" ? (d.input ?? d.output) : d.output;
  if (member === undefined) {
    if (body.kind !== "alias") throw new Error(`${name} is an interface`);
    return body.type;
  }
  if (body.kind !== "interface") throw new Error(`${name} is an alias`);
  const m = body.members.find((x) => x.key === member);
  if (m === undefined) throw new Error(`${name} has no member ${member}`);
  return m.type;
}

const rows: Array<[string, { decl: string; member?: string; mode?: "input"; want: string }]> = [
  [
    "a branded union (named: reused)",
    { decl: "LedgerPostPayloadTicket", want: '(string | number) & $brand<"TicketId">' },
  ],
  [
    "branded members of a union",
    { decl: "LedgerPostPayload", member: "owner", want: 'string & $brand<"UserId"> | string & $brand<"SessionId">' },
  ],
  [
    "branded members of a union, input side (zod brands the output)",
    { decl: "LedgerPostPayload", member: "owner", mode: "input", want: "string" },
  ],
  [
    "a record with a branded key and value",
    {
      decl: "LedgerPostPayload",
      member: "balances",
      want: '{ [key: string & $brand<"UserId">]: number & $brand<"Cents"> }',
    },
  ],
  [
    "a record with a branded key, input side",
    { decl: "LedgerPostPayload", member: "balances", mode: "input", want: "{ [key: string]: number }" },
  ],
  [
    "a branded object declared by name: an alias, not an interface",
    {
      decl: "Invoice",
      want: '{\n  id: string;\n  total: number & $brand<"Cents">;\n  lines: [string, number & $brand<"Cents">][];\n} & $brand<"Invoice">',
    },
  ],
  [
    "a branded recursive object (getter)",
    { decl: "Folder", want: '{\n  name: string;\n  children?: Folder[] | undefined;\n} & $brand<"Folder">' },
  ],
  [
    "an event's own branded object (the ack)",
    {
      decl: "LedgerPostAck",
      want: '{\n  ticket: LedgerPostPayloadTicket;\n  total: number & $brand<"Cents">;\n} & $brand<"Receipt">',
    },
  ],
  [
    "a reference to a branded named object (its brand is behind the name)",
    { decl: "LedgerPostPayload", member: "invoice", want: "Invoice" },
  ],
  [
    "an optional reference to a branded recursive object",
    { decl: "LedgerPostPayload", member: "folder", want: "Folder | undefined" },
  ],
  [
    "an array of branded tuples",
    { decl: "LedgerPostPayload", member: "points", want: '([number, number] & $brand<"Point">)[]' },
  ],
  [
    "a branded boolean (the compiler spreads it over false | true)",
    { decl: "LedgerPostPayload", member: "approved", want: 'boolean & $brand<"Approved">' },
  ],
  [
    "a branded codec, nullable: the receiver's side",
    { decl: "LedgerPostPayload", member: "dueAt", want: 'Date & $brand<"DueAt"> | null' },
  ],
  [
    "a branded codec, nullable: what travels",
    { decl: "LedgerPostPayload", member: "dueAt", mode: "input", want: "string | null" },
  ],
  [
    "z.lazy() of a branded schema: the brand once",
    { decl: "LedgerPostPayload", member: "reviewer", want: 'string & $brand<"UserId">' },
  ],
  [
    "an inout brand, optional: output side",
    { decl: "LedgerPostPayload", member: "notify", want: 'string & $brand<"Email"> | undefined' },
  ],
  [
    "an inout brand, optional: input side too",
    { decl: "LedgerPostPayload", member: "notify", mode: "input", want: 'string & $brand<"Email"> | undefined' },
  ],
  [
    "a pipe into a branded schema: the brand once",
    { decl: "IdsLinkPayload", member: "alias", want: 'string & $brand<"UserId">' },
  ],
  [
    "a transform the compiler types as branded: the brand once",
    { decl: "IdsLinkPayload", member: "tagged", want: 'string & $brand<"UserId">' },
  ],
  [".catch() of a branded schema", { decl: "IdsLinkPayload", member: "fallback", want: 'string & $brand<"UserId">' }],
  [
    "a readonly array of branded strings",
    { decl: "IdsLinkPayload", member: "readonlyIds", want: 'readonly (string & $brand<"UserId">)[]' },
  ],
  [
    "a branded enum (the compiler spreads it over its values)",
    { decl: "IdsLinkPayload", member: "level", want: '("low" | "high") & $brand<"Level">' },
  ],
  [
    "a branded intersection: one more member, no parentheses",
    { decl: "IdsLinkPayload", member: "both", want: '{\n  a: string;\n} & {\n  b: number;\n} & $brand<"Both">' },
  ],
  [
    "an array of branded strings",
    { decl: "SessionOpenPayload", member: "friends", want: '(string & $brand<"UserId">)[]' },
  ],
  [
    "a tuple of a branded string and an optional branded string",
    {
      decl: "SessionOpenPayload",
      member: "pair",
      want: '[string & $brand<"UserId">, (string & $brand<"SessionId"> | undefined)?]',
    },
  ],
  // The compiler's answers that name types of the contract module: printed by name, imported (below).
  [
    "a transform returning a type re-exported from a module the contract imports",
    { decl: "QuoteRequestPayload", member: "price", want: "Money" },
  ],
  ["a transform returning an exported interface", { decl: "QuoteRequestPayload", member: "at", want: "Coordinates" }],
  [
    "a transform returning an exported template-literal alias (the compiler prints its body)",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the printed text of a template literal type
    { decl: "QuoteRequestPayload", member: "slug", want: "`${string}-${string}`" },
  ],
  [
    "a transform returning an exported class's instance",
    { decl: "QuoteRequestPayload", member: "temperature", want: "Temperature" },
  ],
  [
    "z.custom<T>() of an exported interface, output",
    { decl: "QuoteRequestPayload", member: "region", want: "Coordinates" },
  ],
  [
    "z.custom<T>() of an exported interface, input",
    { decl: "QuoteRequestPayload", member: "region", mode: "input", want: "Coordinates" },
  ],
];

describe("brands and compiler-typed parts, as printed (real-world contract)", () => {
  it.each(rows)("%s", (_name, { decl, member, mode, want }) => {
    expect(printed(decl, member, mode ?? "output")).toBe(want);
  });

  it("imports what the answers name from the contract module, enums included", () => {
    expect(model.contractImports).toEqual(["Coordinates", "Money", "Plan", "Temperature", "Weekday"]);
  });

  it("imports zod's $brand: the TypeScript stage says so where it writes a brand", () => {
    expect(model.zodImports).toEqual(["$brand"]);
  });
});

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The model of a contract written to a scratch folder that borrows the repository's installed packages. */
async function scratchModel(text: string, files: Record<string, string> = {}): Promise<TypeScriptModel> {
  const dir = await mkdtemp(path.join(tmpdir(), "iocontract-brands-"));
  try {
    await symlink(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
    const file = path.join(dir, "contract.ts");
    await writeFile(file, text);
    return buildTypeScript(buildModel(await loadContract(file), "contract.ts"), { contractFile: file });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("a type the contract module exports, named like a generated declaration", () => {
  it("is refused, naming both (an import and a declaration of one name cannot live in one file)", async () => {
    const text = `import { z } from "zod";
import { defineContract } from "@iocontract/runtime/contract";

export interface Seat {
  room: string;
}
export const SeatSchema = z.object({ room: z.string(), row: z.int() });

export default defineContract({
  name: "demo",
  version: "1.0.0",
  types: { Seat: SeatSchema },
  namespaces: { "/": { clientToServer: { take: { payload: z.object({ at: SeatSchema, seat: z.string().transform((room): Seat => ({ room })) }) } } } },
});
`;
    await expect(scratchModel(text)).rejects.toThrowError(
      'contract "demo" (contract.ts), namespace "/", clientToServer event "take", payload.seat: ' +
        "the generated types import Seat from the contract module, " +
        "and the generated files declare a Seat of their own (for type Seat): rename one",
    );
  }, 90_000);
});

describe("one schema object branded in one place and not in another", () => {
  const contractText = (due: string) => `import { z } from "zod";
import { defineContract } from "@iocontract/runtime/contract";

export const IsoDate = z.codec(z.iso.datetime(), z.date(), { decode: (s) => new Date(s), encode: (d) => d.toISOString() });

export default defineContract({
  name: "demo",
  version: "1.0.0",
  namespaces: {
    "/": {
      clientToServer: {
        "job:create": { payload: z.object({ startsAt: IsoDate }) },
        "job:due": { payload: z.object({ dueAt: ${due} }) },
      },
    },
  },
});
`;
  const model = (due: string) => scratchModel(contractText(due));

  it("is refused, naming both places (`.brand()` returns the schema it is called on: the uses cannot be told apart)", async () => {
    await expect(model('IsoDate.brand<"DueAt">()')).rejects.toThrowError(
      'contract "demo" (contract.ts), namespace "/", clientToServer event "job:due", payload.dueAt: ' +
        'this schema is used here with $brand<"DueAt"> and at namespace "/", event "job:create", payload.startsAt ' +
        "with no brand: `.brand()` returns the schema it is called on, so the generator cannot tell the two uses apart; " +
        "brand a copy (`schema.clone().brand<...>()`)",
    );
  }, 90_000);

  it("a branded copy (the advice) prints each use with its own type", async () => {
    const m = await model('IsoDate.clone().brand<"DueAt">()');
    const member = (name: string) => {
      const body = m.declarations.find((d) => d.name === name)!.output;
      return body.kind === "interface" ? body.members[0]!.type : body.type;
    };
    expect(member("JobCreatePayload")).toBe("Date");
    expect(member("JobDuePayload")).toBe('Date & $brand<"DueAt">');
  }, 90_000);
});

/**
 * The generator asks the compiler only about the events and named types whose text can reach a brand
 * (codegen/src/schema/brand-slice.ts): a brand reached only through a name, a union option, a record value, a
 * recursive schema or another module must still be found, and the events around them print unbranded.
 */
describe("brands reached only indirectly, beside events that have none", () => {
  let m: TypeScriptModel;
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "iocontract-brands-"));
    try {
      await symlink(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
      await writeFile(
        path.join(dir, "ids.ts"),
        `import { z } from "zod";\nexport const OrgId = z.string().brand<"OrgId">();\n`,
      );
      const file = path.join(dir, "contract.ts");
      await writeFile(
        file,
        `import { z } from "zod";
import { defineContract } from "@iocontract/runtime/contract";
import { OrgId } from "./ids";

const UserId = z.string().brand<"UserId">();
const Cents = z.number().brand<"Cents">();
const Person = z.object({ id: UserId, name: z.string() });
const Plain = z.object({ name: z.string() });
const Node = z.object({
  id: UserId,
  get kids() {
    return z.array(Node);
  },
});

export default defineContract({
  name: "demo",
  version: "1.0.0",
  types: { Person, Node },
  namespaces: {
    "/": {
      clientToServer: {
        before: { payload: z.object({ a: z.string(), p: Plain }) },
        viaObject: { payload: z.object({ who: Person }) },
        viaUnion: { payload: z.object({ pick: z.union([z.number(), UserId]) }) },
        viaRecord: { payload: z.object({ totals: z.record(z.string(), Cents) }) },
        viaRecursion: { payload: z.object({ root: Node }) },
        viaImport: { payload: z.object({ org: OrgId }) },
        after: { payload: z.object({ b: z.number(), p: Plain }) },
      },
    },
  },
});
`,
      );
      m = buildTypeScript(buildModel(await loadContract(file), "contract.ts"), { contractFile: file });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);

  const member = (decl: string, key: string) => {
    const body = m.declarations.find((d) => d.name === decl)?.output;
    if (body?.kind !== "interface") throw new Error(`${decl} is not an interface`);
    return body.members.find((x) => x.key === key)?.type;
  };
  it.each([
    ["a named object holding a branded id", "Person", "id", 'string & $brand<"UserId">'],
    ["the event that uses it, by name", "ViaObjectPayload", "who", "Person"],
    ["a union option", "ViaUnionPayload", "pick", 'number | string & $brand<"UserId">'],
    ["a record value", "ViaRecordPayload", "totals", '{ [key: string]: number & $brand<"Cents"> }'],
    ["a recursive (getter) object's member", "Node", "id", 'string & $brand<"UserId">'],
    ["a schema imported from another module", "ViaImportPayload", "org", 'string & $brand<"OrgId">'],
    ["an event before them, with no brand", "BeforePayload", "a", "string"],
    ["an event after them, with no brand", "AfterPayload", "b", "number"],
  ])("%s", (_name, decl, key, want) => {
    expect(member(decl, key)).toBe(want);
  });
});

describe("string literal types with quotes in the compiler's answers", () => {
  let m: TypeScriptModel;
  beforeAll(async () => {
    m = await scratchModel(`import { z } from "zod";
import { defineContract } from "@iocontract/runtime/contract";

export default defineContract({
  name: "demo",
  version: "1.0.0",
  namespaces: {
    "/": {
      clientToServer: {
        say: {
          payload: z.object({
            apostrophe: z.string().transform(() => "it's" as const),
            custom: z.custom<"a'b">(),
            double: z.string().transform(() => 'say "hi"' as const),
            both: z.string().transform(() => \`'\\\\"\` as const),
            branded: z.string().brand<"it's">(),
          }),
        },
      },
    },
  },
});
`);
  }, 90_000);
  const member = (key: string) => {
    const body = m.declarations.find((d) => d.name === "SayPayload")?.output;
    if (body?.kind !== "interface") throw new Error("SayPayload is not an interface");
    return body.members.find((x) => x.key === key)?.type;
  };
  it.each([
    ["a transform returning a literal with an apostrophe", "apostrophe", `"it's"`],
    ["z.custom<T>() of a literal with an apostrophe", "custom", `"a'b"`],
    ["a literal with double quotes, escaped", "double", `"say \\"hi\\""`],
    ["a literal with an apostrophe, a backslash and a double quote", "both", `"'\\\\\\""`],
    ["a brand named with an apostrophe", "branded", `string & $brand<"it's">`],
  ])("%s", (_name, key, want) => {
    expect(member(key)).toBe(want);
  });
});

/**
 * The compiler is asked first without Node's and the DOM's global types (ts-types.ts, "lean"); a contract that
 * needs them must get the same answers as with its own tsconfig.
 */
describe("a contract whose schemas use Node's globals", () => {
  it("is typed with them: a branded transform through Buffer keeps its type and brand", async () => {
    const m = await scratchModel(
      `import { z } from "zod";
import { defineContract } from "@iocontract/runtime/contract";

const Hex = z.string().transform((s) => Buffer.from(s).toString("hex")).brand<"Hex">();

export default defineContract({
  name: "demo",
  version: "1.0.0",
  namespaces: {
    "/": { clientToServer: { put: { payload: z.object({ key: Hex, home: z.string().transform((k) => process.env[k]) }) } } },
  },
});
`,
      {
        "tsconfig.json": JSON.stringify({
          compilerOptions: { strict: true, module: "ESNext", moduleResolution: "Bundler", types: ["node"] },
        }),
      },
    );
    const body = m.declarations.find((d) => d.name === "PutPayload")?.output;
    if (body?.kind !== "interface") throw new Error("PutPayload is not an interface");
    expect(body.members.map((x) => [x.key, x.type])).toEqual([
      ["key", 'string & $brand<"Hex">'],
      ["home", "string | undefined"],
    ]);
  }, 90_000);
});

/**
 * README's limit: brands are found in the contract module's text and in the modules it imports by a relative path
 * (brand-slice.ts, ts-types.ts `mayUseBrands`). A brand written only in a module reached otherwise (a package, a
 * `#subpath` import) is not looked for: that part prints unbranded. The control imports the same file relatively.
 */
describe("a brand written only in a module the contract imports by a non-relative specifier", () => {
  const ids = `import { z } from "zod";\nexport const OrgId = z.string().brand<"OrgId">();\n`;
  const contract = (from: string) => `import { z } from "zod";
import { defineContract } from "@iocontract/runtime/contract";
import { OrgId } from "${from}";

export default defineContract({
  name: "demo",
  version: "1.0.0",
  namespaces: { "/": { clientToServer: { join: { payload: z.object({ org: OrgId }) } } } },
});
`;
  const org = (m: TypeScriptModel) => {
    const body = m.declarations.find((d) => d.name === "JoinPayload")?.output;
    if (body?.kind !== "interface") throw new Error("JoinPayload is not an interface");
    return body.members.find((x) => x.key === "org")?.type;
  };
  it("prints unbranded through a #subpath import; branded when imported by a relative path (the control)", async () => {
    const files = {
      "ids.ts": ids,
      "package.json": JSON.stringify({ type: "module", imports: { "#ids": "./ids.ts" } }),
      "tsconfig.json": JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "ESNext",
          moduleResolution: "Bundler",
          allowImportingTsExtensions: true,
          noEmit: true,
        },
      }),
    };
    expect(org(await scratchModel(contract("#ids"), files))).toBe("string");
    expect(org(await scratchModel(contract("./ids"), files))).toBe('string & $brand<"OrgId">');
  }, 90_000);
});

/**
 * Validation parity: for every payload and ack of every fixture contract, the same valid and invalid samples are
 * judged by the contract's zod schema (what the TypeScript side runs) and by the generated Python package's
 * validator (its embedded JSON Schemas, checked with jsonschema). They must agree, except on schemas whose
 * generated docs say the receiver checks more (refinements, transforms, coercions, normalisations, JavaScript-only
 * patterns): there the two are only counted. For a valid value, what a Python receiver holds (the defaults filled
 * in) must be what zod's parse gives (for a codec: a wire value that decodes to it) and pass the output side.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import type { Contract, EventDef } from "@iocontract/runtime/contract";
import { loadContract } from "iocontract";
import { canonicalJson, siteJsonSchema } from "../../codegen/src/json-schema";
import { CASES, FIXTURES } from "../fixtures/goldens";
import { peer } from "../support/peers";
import { REPO } from "../support/paths";

const python = peer("python-socketio");
const JUDGE = path.join(REPO, "test/codegen/python_judge.py");

type Node = Record<string, unknown>;

/** A value the JSON Schema should accept (heuristic: the first option, the smallest length, the lower bound). */
function example(node: Node, root: Node, depth = 0): unknown {
  const ref = node["$ref"];
  if (typeof ref === "string") {
    const target =
      ref === "#" ? root : (((root["$defs"] ?? {}) as Record<string, Node>)[ref.replace("#/$defs/", "")] ?? {});
    return example(target, root, depth + 1);
  }
  if ("const" in node) return node["const"];
  if (Array.isArray(node["enum"])) return node["enum"][0];
  for (const key of ["anyOf", "oneOf"])
    if (Array.isArray(node[key])) return example((node[key] as Node[])[0]!, root, depth);
  if (Array.isArray(node["allOf"]))
    return Object.assign({}, ...(node["allOf"] as Node[]).map((p) => example(p, root, depth)));
  const type = Array.isArray(node["type"]) ? (node["type"] as string[])[0] : node["type"];
  switch (type) {
    case "string": {
      const format = (
        {
          email: "ada@example.com",
          uuid: "123e4567-e89b-12d3-a456-426614174000",
          "date-time": "2024-01-02T03:04:05Z",
        } as Record<string, string>
      )[node["format"] as string];
      if (format !== undefined) return format;
      const candidates = ["12345", "abc", "a b", "#fff", "x"];
      const pattern = typeof node["pattern"] === "string" ? new RegExp(node["pattern"], "u") : undefined;
      const min = (node["minLength"] as number | undefined) ?? 0;
      return (
        candidates.find((c) => (pattern === undefined || pattern.test(c)) && c.length >= min) ??
        "a".repeat(Math.max(1, min))
      );
    }
    case "integer":
    case "number": {
      const min =
        node["minimum"] ??
        (typeof node["exclusiveMinimum"] === "number" ? (node["exclusiveMinimum"] as number) + 1 : undefined);
      return typeof min === "number" && min > 1 ? min : 1;
    }
    case "boolean":
      return true;
    case "null":
      return null;
    case "array": {
      const prefix = (node["prefixItems"] as Node[] | undefined)?.map((p) => example(p, root, depth + 1));
      if (prefix !== undefined) return prefix;
      const items = node["items"];
      return depth > 2 || typeof items !== "object" ? [] : [example(items as Node, root, depth + 1)];
    }
    case "object":
    default: {
      const out: Record<string, unknown> = {};
      const required = new Set((node["required"] ?? []) as string[]);
      for (const [key, value] of Object.entries((node["properties"] ?? {}) as Record<string, Node>)) {
        if (required.has(key) || depth < 2) out[key] = example(value, root, depth + 1);
      }
      const extra = node["additionalProperties"];
      const names = (node["propertyNames"] as Node | undefined)?.["enum"];
      if (node["properties"] === undefined && typeof extra === "object" && Object.keys(extra as Node).length > 0) {
        for (const key of Array.isArray(names) ? (names as string[]) : ["k"])
          out[key] = example(extra as Node, root, depth + 1);
      }
      return type === undefined && node["properties"] === undefined ? "anything" : out;
    }
  }
}

/** The example, then values that break it one way each: a missing required key, a wrong type, out-of-range lengths, an unknown key. */
function samples(node: Node): unknown[] {
  const valid = example(node, node);
  const out: unknown[] = [valid, null, "text", 12345, [], {}];
  if (valid !== null && typeof valid === "object" && !Array.isArray(valid)) {
    const properties = (node["properties"] ?? {}) as Record<string, Node>;
    // A key the schema does not list: zod strips it (a plain object), keeps it (loose) or refuses it (strict).
    out.push({ ...valid, "not-in-the-contract": 1 });
    for (const key of (node["required"] ?? []) as string[]) {
      const { [key]: _dropped, ...rest } = valid as Record<string, unknown>;
      out.push(rest);
    }
    for (const [key, schema] of Object.entries(properties)) {
      out.push({ ...valid, [key]: typeof (valid as Record<string, unknown>)[key] === "string" ? 12345 : "text" });
      if (typeof schema["maxLength"] === "number")
        out.push({ ...valid, [key]: "a".repeat((schema["maxLength"] as number) + 1) });
      if (typeof schema["minLength"] === "number" && (schema["minLength"] as number) > 0)
        out.push({ ...valid, [key]: "" });
      if (schema["type"] === "integer") out.push({ ...valid, [key]: 1.5 });
    }
  }
  return out;
}

interface Site {
  readonly ns: string;
  readonly direction: "client_to_server" | "server_to_client";
  readonly event: string;
  readonly part: "payload" | "ack" | "auth";
  readonly schema: NonNullable<EventDef["payload"]>;
}

function sites(contract: Contract): Site[] {
  const out: Site[] = [];
  for (const [ns, def] of Object.entries(contract.namespaces)) {
    if (def.auth) out.push({ ns, direction: "client_to_server", event: "(auth)", part: "auth", schema: def.auth });
    for (const [direction, map] of [
      ["client_to_server", def.clientToServer],
      ["server_to_client", def.serverToClient],
    ] as const) {
      for (const [event, ev] of Object.entries(map ?? {}) as Array<[string, EventDef]>) {
        if (ev.payload) out.push({ ns, direction, event, part: "payload", schema: ev.payload });
        if (ev.ack) out.push({ ns, direction, event, part: "ack", schema: ev.ack });
      }
    }
  }
  return out;
}

type Parse = { safeParse(v: unknown): { success: true; data: unknown } | { success: false } };

interface Judged {
  readonly site: Site;
  readonly value: unknown;
  /** zod's verdict and output (what a TypeScript receiver holds). */
  readonly zod: { success: true; data: unknown } | { success: false };
  /** No construct the Python side leaves to the receiver (refinements, coercions, transforms...). */
  readonly strict: boolean;
  /** The schema holds a codec: a Python receiver keeps the wire value a TypeScript receiver decodes. */
  readonly codec: boolean;
}

interface Verdict {
  readonly valid: boolean;
  readonly received?: unknown;
  readonly output_valid?: boolean;
}

/** Every site's samples from both sides of its JSON Schema, judged by zod here and by the generated package in Python. */
async function judge(name: string): Promise<Array<Judged & { python: Verdict }>> {
  const contract = await loadContract(path.join(FIXTURES, name, "contract.ts"));
  const lines: string[] = [];
  const judged: Judged[] = [];
  for (const site of sites(contract)) {
    const { jsonSchema, outputJsonSchema, serverChecks, decodes } = siteJsonSchema(site.schema);
    // The output side's samples too: values with the defaults present, as a TypeScript sender may also write them.
    const values = new Map<string, unknown>();
    for (const value of [
      ...samples(jsonSchema as Node),
      ...(outputJsonSchema ? samples(outputJsonSchema as Node) : []),
    ])
      values.set(JSON.stringify(value), value);
    for (const value of values.values()) {
      lines.push(JSON.stringify({ ns: site.ns, direction: site.direction, event: site.event, part: site.part, value }));
      judged.push({
        site,
        value,
        zod: (site.schema as unknown as Parse).safeParse(value),
        strict: serverChecks.length === 0,
        codec: decodes.length > 0,
      });
    }
  }
  const run = spawnSync(python.path, [JUDGE, path.join(FIXTURES, name, "expected"), "python_client"], {
    input: `${lines.join("\n")}\n`,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const verdicts = run.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Verdict);
  expect(verdicts).toHaveLength(judged.length);
  return judged.map((j, i) => ({ ...j, python: verdicts[i]! }));
}

const label = (j: Judged) => `${j.site.ns} ${j.site.event} ${j.site.part} ${JSON.stringify(j.value)}`;

describe.skipIf(!python.available)("validation parity: zod and the generated Python validator", () => {
  it.each(CASES)(
    "%s: every auth, payload and ack, valid and invalid samples, and what a receiver holds",
    async (name) => {
      const all = await judge(name);
      const strict = all.filter((j) => j.strict);
      // The input side's verdict: what travels, which every sender and receiver checks.
      const differ = strict
        .filter((j) => j.python.valid !== j.zod.success)
        .map((j) => `${label(j)}: zod ${j.zod.success}, python ${j.python.valid}`);
      expect(differ).toEqual([]);
      // Both verdicts occur among the strictly compared samples: the samples are not all valid or all invalid.
      expect(strict.some((j) => j.zod.success)).toBe(true);
      expect(strict.some((j) => !j.zod.success)).toBe(true);
      // What a Python receiver holds (the defaults filled in) is what zod's parse gives a TypeScript receiver (for a
      // codec: the wire value that decodes to it), and it passes the embedded output side.
      const held = strict.filter((j) => j.zod.success);
      const wrong = held
        .filter((j) => {
          const received = j.python.received;
          const zod = j.zod as { data: unknown };
          if (j.python.output_valid !== true) return true;
          if (j.codec) return !isDeepStrictEqual((j.site.schema as unknown as Parse).safeParse(received), j.zod);
          return !isDeepStrictEqual(canonical(received), canonical(zod.data));
        })
        .map(
          (j) =>
            `${label(j)}: zod holds ${JSON.stringify((j.zod as { data: unknown }).data)}, python ` +
            `${JSON.stringify(j.python.received)} (output side ${j.python.output_valid ? "passes" : "fails"})`,
        );
      expect(wrong).toEqual([]);
    },
  );

  it.each(CASES)(
    "%s: the output side the Python validator holds is zod's (embedded, or derived from the input side)",
    async (name) => {
      const contract = await loadContract(path.join(FIXTURES, name, "contract.ts"));
      const all = sites(contract);
      const input = all
        .map((site) => JSON.stringify({ ns: site.ns, direction: site.direction, event: site.event, part: site.part }))
        .join("\n");
      for (const pkg of ["python_client", "python_server"]) {
        const run = spawnSync(python.path, [JUDGE, path.join(FIXTURES, name, "expected"), pkg, "--output-sides"], {
          input: `${input}\n`,
          encoding: "utf8",
          timeout: 60_000,
        });
        expect(run.status, run.stderr).toBe(0);
        const held = run.stdout
          .trim()
          .split("\n")
          .map((l) => canonicalJson(JSON.parse(l)));
        const zod = all.map((site) => {
          const sides = siteJsonSchema(site.schema);
          return canonicalJson(sides.outputJsonSchema ?? sides.jsonSchema);
        });
        expect(held).toEqual(zod);
      }
    },
  );

  const sidesTitle =
    "io-sides: the samples exercise the defaults (the sent value is not what the receiver holds), " +
    "and the two languages differ only where the docs say";
  it(sidesTitle, async () => {
    const all = await judge("io-sides");
    // Control: without the defaults filled in, these samples would fail the comparison above.
    const filled = all.filter(
      (j) => j.strict && !j.codec && j.zod.success && !isDeepStrictEqual(canonical(j.value), canonical(j.zod.data)),
    );
    expect(filled.length).toBeGreaterThanOrEqual(10);
    expect(new Set(filled.map((j) => `${j.site.event} ${j.site.part}`))).toEqual(
      new Set([
        "(auth) auth",
        "save payload",
        "save ack",
        "order payload",
        "order ack",
        "settings payload",
        "tick ack",
      ]),
    );
    // The codec sites too: what the Python receiver holds is not what was sent (a default filled in).
    const codecFilled = all.filter(
      (j) =>
        j.strict && j.codec && j.zod.success && !isDeepStrictEqual(canonical(j.value), canonical(j.python.received)),
    );
    expect(new Set(codecFilled.map((j) => `${j.site.event} ${j.site.part}`))).toEqual(
      new Set(["schedule payload", "schedule ack", "tick payload"]),
    );
    // The codec: a Python receiver holds the ISO string as it travelled, a TypeScript receiver a Date.
    const stamp = all.find((j) => j.site.event === "schedule" && j.site.part === "payload" && j.zod.success)!;
    expect(stamp.python.valid).toBe(true);
    expect((stamp.zod as { data: { at: unknown } }).data.at).toBeInstanceOf(Date);
    expect(typeof (stamp.python.received as { at: unknown }).at).toBe("string");
    // A coercion: zod also accepts what it can convert, the Python side only what the JSON Schema says.
    const python = (event: string, value: unknown) => judgeOne(event, value);
    expect(await python("count", { n: "12" })).toEqual({ zod: true, python: false });
    expect(await python("count", { n: 12 })).toEqual({ zod: true, python: true });
    // A one-way transform: both accept the same values; only the TypeScript receiver holds the transformed one.
    expect(await python("shout", { text: "hi" })).toEqual({ zod: true, python: true });
  });
});

/** One payload of io-sides' namespace "/", judged by zod and by the generated Python validator. */
async function judgeOne(event: string, value: unknown): Promise<{ zod: boolean; python: boolean }> {
  const contract = await loadContract(path.join(FIXTURES, "io-sides", "contract.ts"));
  const schema = contract.namespaces["/"]!.clientToServer![event]!.payload as unknown as Parse;
  const line = JSON.stringify({ ns: "/", direction: "client_to_server", event, part: "payload", value });
  const run = spawnSync(python.path, [JUDGE, path.join(FIXTURES, "io-sides", "expected"), "python_client"], {
    input: `${line}\n`,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return { zod: schema.safeParse(value).success, python: (JSON.parse(run.stdout) as Verdict).valid };
}

/** JSON with sorted keys: key order is not part of a value. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

/**
 * Validation parity: for every payload and ack of every fixture contract, the same valid and invalid samples are
 * judged by the contract's zod schema (what the TypeScript side runs) and by the generated Python package's
 * validator (its embedded JSON Schema, checked with jsonschema). They must agree, except on schemas whose
 * generated docs say the receiver checks more (refinements, transforms, coercions, normalisations, JavaScript-only
 * patterns): there the two are only counted.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Contract, EventDef } from "@iocontract/runtime/contract";
import { loadContract } from "iocontract";
import { siteJsonSchema } from "../../codegen/src/json-schema";
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
    const target = ref === "#" ? root : ((root["$defs"] ?? {}) as Record<string, Node>)[ref.replace("#/$defs/", "")] ?? {};
    return example(target, root, depth + 1);
  }
  if ("const" in node) return node["const"];
  if (Array.isArray(node["enum"])) return node["enum"][0];
  for (const key of ["anyOf", "oneOf"]) if (Array.isArray(node[key])) return example((node[key] as Node[])[0]!, root, depth);
  if (Array.isArray(node["allOf"])) return Object.assign({}, ...(node["allOf"] as Node[]).map((p) => example(p, root, depth)));
  const type = Array.isArray(node["type"]) ? (node["type"] as string[])[0] : node["type"];
  switch (type) {
    case "string": {
      const format = ({ email: "ada@example.com", uuid: "123e4567-e89b-12d3-a456-426614174000", "date-time": "2024-01-02T03:04:05Z" } as Record<string, string>)[node["format"] as string];
      if (format !== undefined) return format;
      const candidates = ["12345", "abc", "a b", "#fff", "x"];
      const pattern = typeof node["pattern"] === "string" ? new RegExp(node["pattern"], "u") : undefined;
      const min = (node["minLength"] as number | undefined) ?? 0;
      return candidates.find((c) => (pattern === undefined || pattern.test(c)) && c.length >= min) ?? "a".repeat(Math.max(1, min));
    }
    case "integer":
    case "number": {
      const min = node["minimum"] ?? (typeof node["exclusiveMinimum"] === "number" ? (node["exclusiveMinimum"] as number) + 1 : undefined);
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
        for (const key of Array.isArray(names) ? (names as string[]) : ["k"]) out[key] = example(extra as Node, root, depth + 1);
      }
      return type === undefined && node["properties"] === undefined ? "anything" : out;
    }
  }
}

/** The example, then values that break it one way each: a missing required key, a wrong type, out-of-range lengths. */
function samples(node: Node): unknown[] {
  const valid = example(node, node);
  const out: unknown[] = [valid, null, "text", 12345, [], {}];
  if (valid !== null && typeof valid === "object" && !Array.isArray(valid)) {
    const properties = (node["properties"] ?? {}) as Record<string, Node>;
    for (const key of (node["required"] ?? []) as string[]) {
      const { [key]: _dropped, ...rest } = valid as Record<string, unknown>;
      out.push(rest);
    }
    for (const [key, schema] of Object.entries(properties)) {
      out.push({ ...valid, [key]: typeof (valid as Record<string, unknown>)[key] === "string" ? 12345 : "text" });
      if (typeof schema["maxLength"] === "number") out.push({ ...valid, [key]: "a".repeat((schema["maxLength"] as number) + 1) });
      if (typeof schema["minLength"] === "number" && (schema["minLength"] as number) > 0) out.push({ ...valid, [key]: "" });
      if (schema["type"] === "integer") out.push({ ...valid, [key]: 1.5 });
    }
  }
  return out;
}

interface Site {
  readonly ns: string;
  readonly direction: "client_to_server" | "server_to_client";
  readonly event: string;
  readonly part: "payload" | "ack";
  readonly schema: NonNullable<EventDef["payload"]>;
}

function sites(contract: Contract): Site[] {
  const out: Site[] = [];
  for (const [ns, def] of Object.entries(contract.namespaces)) {
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

describe.skipIf(!python.available)("validation parity: zod and the generated Python validator", () => {
  it.each(CASES)("%s: every payload and ack, valid and invalid samples", async (name) => {
    const contract = await loadContract(path.join(FIXTURES, name, "contract.ts"));
    const lines: string[] = [];
    const judged: Array<{ site: Site; value: unknown; zod: boolean; strict: boolean }> = [];
    for (const site of sites(contract)) {
      const { jsonSchema: schema, serverChecks } = siteJsonSchema(site.schema);
      for (const value of samples(schema as Node)) {
        lines.push(JSON.stringify({ ns: site.ns, direction: site.direction, event: site.event, part: site.part, value }));
        judged.push({ site, value, zod: (site.schema as unknown as { safeParse(v: unknown): { success: boolean } }).safeParse(value).success, strict: serverChecks.length === 0 });
      }
    }
    const run = spawnSync(python.path, [JUDGE, path.join(FIXTURES, name, "expected"), "python_client"], { input: `${lines.join("\n")}\n`, encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const verdicts = run.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { valid: boolean }).valid);
    expect(verdicts).toHaveLength(judged.length);
    const differ = judged
      .map((j, i) => ({ ...j, python: verdicts[i] }))
      .filter((j) => j.strict && j.python !== j.zod)
      .map((j) => `${j.site.ns} ${j.site.event} ${j.site.part} ${JSON.stringify(j.value)}: zod ${j.zod}, python ${j.python}`);
    expect(differ).toEqual([]);
    // Both verdicts occur among the strictly compared samples: the samples are not all valid or all invalid.
    const strict = judged.filter((j) => j.strict);
    expect(strict.some((j) => j.zod)).toBe(true);
    expect(strict.some((j) => !j.zod)).toBe(true);
  });
});

/**
 * JSON Schemas of a contract's schemas, as they travel (zod 4's `z.toJSONSchema`, `io: "input"`: the sender's
 * value goes on the wire untransformed). The Python printers embed them and print their types from them.
 *
 * What JSON Schema cannot say (refinements, transforms, values JSON cannot carry, regular expressions other
 * languages read differently) is listed per schema as `serverChecks`, so generated docs can name it: the
 * receiving side's zod schema still checks it.
 */
import type { Contract, EventDef, Schema } from "@iocontract/runtime/contract";
import * as z from "zod";
import { defOf } from "./schema/print-type.js";

/** A JSON Schema (draft 2020-12) as plain data. */
export type JsonSchema = { readonly [key: string]: unknown };

export interface SiteJsonSchema {
  /** Not named `schema`: the no-op cache leaves keys of that name (zod schemas) out of its key. */
  readonly jsonSchema: JsonSchema;
  /** What the schema does not express, one line each: `data: a refinement (.refine / .superRefine)`. */
  readonly serverChecks: readonly string[];
}

export interface EventJsonSchemas {
  readonly payload?: SiteJsonSchema;
  readonly ack?: SiteJsonSchema;
}

export interface NamespaceJsonSchemas {
  readonly path: string;
  readonly auth?: SiteJsonSchema;
  readonly errors: Readonly<Record<string, SiteJsonSchema>>;
  readonly clientToServer: Readonly<Record<string, EventJsonSchemas>>;
  readonly serverToClient: Readonly<Record<string, EventJsonSchemas>>;
}

/** zod meta keys that are ours, not JSON Schema's. */
const META_KEYS = new Set(["tsType", "id"]);

/**
 * Regular-expression syntax of JavaScript's `u` flag that Python's `re` (which jsonschema uses) rejects or reads
 * otherwise: Unicode property escapes, `\u{…}`, named groups written `(?<name>`.
 */
const NON_PORTABLE_PATTERN = /\\[pP]\{|\\u\{|\(\?<(?![=!])/;

/** The JSON Schema of one contract schema, wire side. */
export function siteJsonSchema(schema: Schema): SiteJsonSchema {
  const serverChecks: string[] = [];
  collectServerChecks(schema, [], serverChecks, new Set());
  const raw = z.toJSONSchema(schema as z.ZodType, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const clean = (node: unknown, path: string[]): unknown => {
    if (Array.isArray(node)) return node.map((n) => clean(n, path));
    if (node === null || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (META_KEYS.has(key) || key === "$schema") continue;
      if (key === "pattern" && typeof value === "string" && NON_PORTABLE_PATTERN.test(value)) {
        serverChecks.push(`${label(path)}: the pattern ${value} (JavaScript syntax other languages read otherwise)`);
        continue;
      }
      // Paths name object keys only: `data`, `items.name`.
      out[key] =
        key === "properties" || key === "$defs"
          ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, clean(v, [...path, k])]))
          : clean(value, path);
    }
    return out;
  };
  return { jsonSchema: clean(raw, []) as JsonSchema, serverChecks: [...new Set(serverChecks)].sort() };
}

export interface ContractJsonSchemas {
  /** The contract's named `types`, by name. */
  readonly types: Readonly<Record<string, SiteJsonSchema>>;
  readonly namespaces: readonly NamespaceJsonSchemas[];
}

/** Every JSON Schema the SDKs validate with: the named types, and per namespace by wire name. */
export function contractJsonSchemas(contract: Contract): ContractJsonSchemas {
  return {
    types: Object.fromEntries(Object.entries(contract.types ?? {}).map(([name, schema]) => [name, siteJsonSchema(schema)])),
    namespaces: namespaceJsonSchemas(contract),
  };
}

function namespaceJsonSchemas(contract: Contract): NamespaceJsonSchemas[] {
  const events = (map: Readonly<Record<string, EventDef>> | undefined) =>
    Object.fromEntries(
      Object.entries(map ?? {}).map(([wire, ev]) => [
        wire,
        { ...(ev.payload ? { payload: siteJsonSchema(ev.payload) } : {}), ...(ev.ack ? { ack: siteJsonSchema(ev.ack) } : {}) },
      ]),
    );
  return Object.entries(contract.namespaces).map(([path, ns]) => ({
    path,
    ...(ns.auth ? { auth: siteJsonSchema(ns.auth) } : {}),
    errors: Object.fromEntries(Object.entries(ns.errors ?? {}).map(([code, s]) => [code, siteJsonSchema(s)])),
    clientToServer: events(ns.clientToServer),
    serverToClient: events(ns.serverToClient),
  }));
}

function label(path: readonly (string | number)[]): string {
  return path.length === 0 ? "(the value)" : path.join(".");
}

/** Kinds whose value JSON cannot carry as such (`unrepresentable: "any"` prints them as `{}`). */
const UNREPRESENTABLE = new Set(["date", "bigint", "symbol", "map", "set", "function", "nan", "custom", "undefined", "void", "promise", "file"]);

function collectServerChecks(schema: Schema, path: (string | number)[], out: string[], seen: Set<Schema>): void {
  if (seen.has(schema)) return;
  seen.add(schema);
  const def = defOf(schema);
  const checks = (def["checks"] as Array<{ _zod: { def: { check: string } } }> | undefined) ?? [];
  if (checks.some((c) => c._zod.def.check === "custom")) out.push(`${label(path)}: a refinement (.refine / .superRefine)`);
  if (checks.some((c) => c._zod.def.check === "overwrite")) out.push(`${label(path)}: a normalisation (.trim, .toLowerCase...) applied before the other checks`);
  if (def["coerce"] === true) out.push(`${label(path)}: a coercion (z.coerce): the receiver also accepts values it can convert`);
  if (def.type === "catch") out.push(`${label(path)}: a fallback (.catch): the receiver accepts any value there`);
  if (def.type === "transform" || (def.type === "pipe" && defOf(def["out"] as Schema).type === "transform")) out.push(`${label(path)}: a transform`);
  if (UNREPRESENTABLE.has(def.type)) out.push(`${label(path)}: a ${def.type} (not expressible in JSON Schema)`);
  const walk = (child: unknown, segment?: string | number) => {
    if (child !== undefined && child !== null) collectServerChecks(child as Schema, segment === undefined ? path : [...path, segment], out, seen);
  };
  switch (def.type) {
    case "object":
      for (const [k, s] of Object.entries(def["shape"] as Record<string, Schema>)) walk(s, k);
      walk(def["catchall"]);
      break;
    case "array":
      walk(def["element"], "[]");
      break;
    case "tuple":
      (def["items"] as Schema[]).forEach((s, i) => walk(s, i));
      walk(def["rest"], "[]");
      break;
    case "union":
      for (const s of def["options"] as Schema[]) walk(s);
      break;
    case "intersection":
      walk(def["left"]);
      walk(def["right"]);
      break;
    case "record":
      walk(def["valueType"], "*");
      break;
    case "lazy":
      walk((def["getter"] as () => Schema)());
      break;
    case "pipe":
      walk(def["in"]);
      walk(def["out"]);
      break;
    default:
      walk(def["innerType"]);
  }
}

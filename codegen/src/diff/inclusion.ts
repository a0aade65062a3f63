/**
 * Schema inclusion over the JSON Schema subset iocontract's snapshots contain (json-schema.ts): is every value a
 * sender may write (`sub`) accepted by a receiver (`sup`)? Three answers:
 *
 * - `safe`: proved: every value valid under `sub` is valid under `sup`;
 * - `breaking`: some value valid under `sub` is rejected by `sup` (the reason names the field path);
 * - `unknown` ("cannot prove"): a refinement, transform or pattern decides, and JSON Schema does not say what.
 *
 * Senders write the fields their types declare: an object without `additionalProperties` is closed on the
 * sender's side (a TypeScript sender cannot add fields its type lacks without a cast). Receivers follow JSON
 * Schema (an object without `additionalProperties` accepts more fields: zod strips them).
 */
import { type JsonSchema, UNPROVABLE } from "../json-schema.js";

export type Inclusion =
  | { readonly verdict: "safe" }
  | { readonly verdict: "breaking"; readonly path: string; readonly reason: string }
  | { readonly verdict: "unknown"; readonly path: string; readonly reason: string };

const SAFE: Inclusion = { verdict: "safe" };
type Node = JsonSchema | boolean;

interface Ctx {
  readonly subRoot: JsonSchema;
  readonly supRoot: JsonSchema;
  /** Pairs already being compared (recursive schemas): assumed included, which is sound coinductively. */
  readonly assumed: Set<string>;
  readonly seen: Map<object, number>;
}

/** Does every value `sub` allows pass `sup`? */
export function includes(sub: JsonSchema, sup: JsonSchema): Inclusion {
  return incl(sub, sup, "", { subRoot: sub, supRoot: sup, assumed: new Set(), seen: new Map() });
}

function breaking(path: string, reason: string): Inclusion {
  return { verdict: "breaking", path, reason };
}
function unknown(path: string, reason: string): Inclusion {
  return { verdict: "unknown", path, reason };
}
/** The worst of several answers: breaking > unknown > safe. */
function worst(results: readonly Inclusion[]): Inclusion {
  return results.find((r) => r.verdict === "breaking") ?? results.find((r) => r.verdict === "unknown") ?? SAFE;
}

function resolve(node: Node, root: JsonSchema): Node {
  for (let i = 0; typeof node === "object" && typeof node["$ref"] === "string" && i < 50; i++) {
    const ref = node["$ref"] as string;
    if (ref === "#") node = root;
    else if (ref.startsWith("#/$defs/"))
      node = (root["$defs"] as Record<string, JsonSchema> | undefined)?.[decodeURIComponent(ref.slice(8))] ?? {};
    else return {};
  }
  return node;
}

function id(node: object, ctx: Ctx): number {
  let n = ctx.seen.get(node);
  if (n === undefined) ctx.seen.set(node, (n = ctx.seen.size + 1));
  return n;
}

const TYPES = ["null", "boolean", "integer", "number", "string", "array", "object"] as const;
type Type = (typeof TYPES)[number];

function typesOf(s: JsonSchema): Type[] {
  const t = s["type"];
  if (typeof t === "string") return [t as Type];
  if (Array.isArray(t)) return t as Type[];
  const values = valuesOf(s);
  if (values !== undefined) return [...new Set(values.map(typeOfValue))];
  return [...TYPES];
}

function typeOfValue(v: unknown): Type {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v as Type;
}

function valuesOf(s: JsonSchema): unknown[] | undefined {
  if ("const" in s) return [s["const"]];
  if (Array.isArray(s["enum"])) return s["enum"] as unknown[];
  return undefined;
}

function branchesOf(s: JsonSchema): JsonSchema[] | undefined {
  const b = (s["anyOf"] ?? s["oneOf"]) as JsonSchema[] | undefined;
  if (b === undefined) return undefined;
  // Keys beside anyOf (rare in zod's output) apply to every branch.
  const { anyOf: _a, oneOf: _o, ...rest } = s as Record<string, unknown>;
  return b.map((branch) => ({ ...rest, ...branch }));
}

function isNever(n: Node): boolean {
  return (
    n === false ||
    (typeof n === "object" && typeof n["not"] === "object" && Object.keys(n["not"] as object).length === 0)
  );
}

function isAny(n: Node): boolean {
  if (n === true) return true;
  if (typeof n !== "object") return false;
  return !Object.keys(n).some(
    (k) =>
      ![
        "description",
        "title",
        "default",
        "examples",
        "$comment",
        "$defs",
        "id",
        UNPROVABLE,
        "deprecated",
        "readOnly",
        "writeOnly",
      ].includes(k),
  );
}

function join(path: string, segment: string): string {
  return segment.startsWith("[") ? `${path}${segment}` : path === "" ? segment : `${path}.${segment}`;
}

function incl(subIn: Node, supIn: Node, path: string, ctx: Ctx): Inclusion {
  const sub = resolve(subIn, ctx.subRoot);
  const sup = resolve(supIn, ctx.supRoot);
  if (isNever(sub)) return SAFE;
  const key = typeof sub === "object" && typeof sup === "object" ? `${id(sub, ctx)}|${id(sup, ctx)}` : undefined;
  if (key !== undefined && ctx.assumed.has(key)) return SAFE;
  if (key !== undefined) ctx.assumed.add(key);
  try {
    const result = inclResolved(sub, sup, path, ctx);
    // Markers: a receiver with a refinement may reject more than its JSON Schema says; a sender's real set may be
    // smaller than its JSON Schema says (so a failure may not happen).
    const subWhy = typeof sub === "object" ? (sub[UNPROVABLE] as string | undefined) : undefined;
    const supWhy = typeof sup === "object" ? (sup[UNPROVABLE] as string | undefined) : undefined;
    if (result.verdict === "safe" && supWhy !== undefined)
      return unknown(path, `the receiver's schema has a ${supWhy}: JSON Schema cannot say what it rejects`);
    if (result.verdict === "breaking" && subWhy !== undefined)
      return unknown(path, `${result.reason}, unless the sender's ${subWhy} excludes those values`);
    return result;
  } finally {
    if (key !== undefined) ctx.assumed.delete(key);
  }
}

function inclResolved(sub: Node, sup: Node, path: string, ctx: Ctx): Inclusion {
  if (isAny(sup)) return SAFE;
  if (isNever(sup)) return breaking(path, "the receiver accepts no value here");
  if (sub === true || (typeof sub === "object" && isAny(sub)))
    return typeof sup === "object" && sup[UNPROVABLE] === undefined
      ? breaking(path, "the sender may send any value here; the receiver restricts it")
      : SAFE;
  const s = sub as JsonSchema;
  const p = sup as JsonSchema;
  if (s["allOf"] !== undefined || p["allOf"] !== undefined)
    return unknown(path, "intersections (allOf) are not compared");

  // A union on the sender's side: each branch must pass.
  const subBranches = branchesOf(s);
  if (subBranches !== undefined)
    return worst(
      subBranches.map((b, i) => incl(b, p, subBranches.length > 1 ? join(path, `(option ${i})`) : path, ctx)),
    );
  // Several types on the sender's side: each type must pass.
  const subTypes = typesOf(s);
  if (Array.isArray(s["type"]) && subTypes.length > 1)
    return worst(subTypes.map((t) => incl({ ...s, type: t }, p, path, ctx)));

  // Known values on the sender's side: check each against the receiver.
  const values = valuesOf(s);
  if (values !== undefined) {
    for (const v of values) {
      const r = accepts(v, p, ctx.supRoot, path);
      if (r !== undefined)
        return r.unknown
          ? unknown(path, r.reason)
          : breaking(path, `senders may send ${JSON.stringify(v)}; ${r.reason}`);
    }
    return SAFE;
  }

  // A union on the receiver's side: some branch must take the whole sender's branch.
  const supBranches = branchesOf(p);
  if (supBranches !== undefined) {
    const results = supBranches.map((b) => incl(s, b, path, ctx));
    const safe = results.find((r) => r.verdict === "safe");
    if (safe !== undefined) return safe;
    const unk = results.find((r) => r.verdict === "unknown");
    if (unk !== undefined) return unk;
    // Name the branch the value was meant for: not one that only a discriminator's value rules out.
    return results.find((r) => r.verdict === "breaking" && !/accepts only/.test(r.reason)) ?? results[0]!;
  }

  if (subTypes.length !== 1) return breaking(path, "the sender may send any type here; the receiver restricts it");
  const t = subTypes[0]!;
  const supTypes = typesOf(p);
  if (!supTypes.includes(t) && !(t === "integer" && supTypes.includes("number"))) {
    return breaking(path, `senders may send ${article(t)}; the receiver expects ${supTypes.map(article).join(" or ")}`);
  }
  if (valuesOf(p) !== undefined && t !== "null") {
    return breaking(
      path,
      `senders may send any ${t}; the receiver accepts only ${(valuesOf(p) ?? []).map((v) => JSON.stringify(v)).join(", ")}`,
    );
  }
  switch (t) {
    case "string":
      return strings(s, p, path);
    case "integer":
    case "number":
      return numbers(s, p, t, supTypes, path);
    case "object":
      return objects(s, p, path, ctx);
    case "array":
      return arrays(s, p, path, ctx);
    default:
      return SAFE;
  }
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

function strings(s: JsonSchema, p: JsonSchema, path: string): Inclusion {
  const sMin = num(s["minLength"]) ?? 0;
  const sMax = num(s["maxLength"]) ?? Infinity;
  const pMin = num(p["minLength"]) ?? 0;
  const pMax = num(p["maxLength"]) ?? Infinity;
  if (pMin > sMin) return breaking(path, `the receiver requires at least ${pMin} characters; senders may send ${sMin}`);
  if (pMax < sMax)
    return breaking(
      path,
      `the receiver accepts at most ${pMax} characters; senders may send ${sMax === Infinity ? "more" : sMax}`,
    );
  for (const k of ["pattern", "format"] as const) {
    if (p[k] !== undefined && p[k] !== s[k]) {
      if (s[k] === undefined && s["pattern"] === undefined && s["format"] === undefined)
        return breaking(path, `the receiver requires ${k} ${JSON.stringify(p[k])}; senders may send any string`);
      return unknown(
        path,
        `the ${k} changed (${JSON.stringify(s[k] ?? s["pattern"] ?? s["format"])} → ${JSON.stringify(p[k])}): patterns are not compared`,
      );
    }
  }
  return SAFE;
}

function numbers(s: JsonSchema, p: JsonSchema, t: Type, supTypes: Type[], path: string): Inclusion {
  if (t === "number" && !supTypes.includes("number"))
    return breaking(path, "the receiver requires an integer; senders may send fractions");
  // Lower bounds: [value, exclusive]
  const lower = (x: JsonSchema): [number, boolean] => {
    const ex = num(x["exclusiveMinimum"]);
    const min = num(x["minimum"]);
    if (ex !== undefined && (min === undefined || ex >= min)) return [ex, true];
    return min !== undefined ? [min, false] : [-Infinity, false];
  };
  const upper = (x: JsonSchema): [number, boolean] => {
    const ex = num(x["exclusiveMaximum"]);
    const max = num(x["maximum"]);
    if (ex !== undefined && (max === undefined || ex <= max)) return [ex, true];
    return max !== undefined ? [max, false] : [Infinity, false];
  };
  const [sl, sle] = lower(s);
  const [pl, ple] = lower(p);
  if (pl > sl || (pl === sl && ple && !sle))
    return breaking(
      path,
      `the receiver requires ${ple ? ">" : ">="} ${pl}; senders may send ${sl === -Infinity ? "less" : `${sle ? "just over " : ""}${sl}`}`,
    );
  const [su, sue] = upper(s);
  const [pu, pue] = upper(p);
  if (pu < su || (pu === su && pue && !sue))
    return breaking(
      path,
      `the receiver requires ${pue ? "<" : "<="} ${pu}; senders may send ${su === Infinity ? "more" : `${sue ? "just under " : ""}${su}`}`,
    );
  const pm = num(p["multipleOf"]);
  if (pm !== undefined) {
    const sm = num(s["multipleOf"]);
    if (sm === undefined || !Number.isInteger(sm / pm))
      return breaking(
        path,
        `the receiver requires a multiple of ${pm}; senders may send ${sm === undefined ? "any number" : `multiples of ${sm}`}`,
      );
  }
  return SAFE;
}

function objects(s: JsonSchema, p: JsonSchema, path: string, ctx: Ctx): Inclusion {
  const sProps = (s["properties"] ?? {}) as Record<string, JsonSchema>;
  const pProps = (p["properties"] ?? {}) as Record<string, JsonSchema>;
  const sReq = new Set((s["required"] ?? []) as string[]);
  const pReq = new Set((p["required"] ?? []) as string[]);
  // The sender's extra keys: a record's (additionalProperties with propertyNames), else closed (see the module comment).
  const sExtra: Node = (s["additionalProperties"] as Node | undefined) ?? false;
  const pExtra: Node = (p["additionalProperties"] as Node | undefined) ?? true;
  // Discriminators first: a union branch meant for other values fails on its tag, not on its other fields.
  for (const [k, schema] of Object.entries(pProps)) {
    if (sProps[k] === undefined || valuesOf(schema) === undefined) continue;
    const r = incl(sProps[k], schema, join(path, k), ctx);
    if (r.verdict === "breaking") return r;
  }
  for (const r of pReq) {
    if (sReq.has(r)) continue;
    const field = join(path, r);
    if (r in sProps) return breaking(field, `senders may omit \`${r}\`; the receiver requires it`);
    return breaking(field, `senders do not send \`${r}\`; the receiver requires it`);
  }
  const results: Inclusion[] = [];
  for (const [k, schema] of Object.entries(sProps)) {
    const target = pProps[k] ?? pExtra;
    if (target === false) {
      results.push(breaking(join(path, k), `senders may send \`${k}\`; the receiver rejects unknown fields`));
      continue;
    }
    if (pProps[k] === undefined && p["propertyNames"] !== undefined) {
      const r = accepts(k, p["propertyNames"] as JsonSchema, ctx.supRoot, path);
      if (r !== undefined)
        results.push(breaking(join(path, k), `the receiver does not accept the key \`${k}\`: ${r.reason}`));
    }
    results.push(incl(schema, target, join(path, k), ctx));
  }
  if (sExtra !== false) {
    const anyKey = join(path, "[key]");
    if (pExtra === false && Object.keys(pProps).length === 0)
      results.push(breaking(anyKey, "senders may send any key; the receiver accepts none"));
    else if (pExtra === false) results.push(breaking(anyKey, "senders may send keys the receiver does not list"));
    else results.push(incl(sExtra, pExtra, anyKey, ctx));
    for (const [k, schema] of Object.entries(pProps))
      if (!(k in sProps)) results.push(incl(sExtra, schema, join(path, k), ctx));
    if (p["propertyNames"] !== undefined)
      results.push(
        incl(
          { type: "string", ...((s["propertyNames"] ?? {}) as JsonSchema) },
          p["propertyNames"] as JsonSchema,
          anyKey,
          ctx,
        ),
      );
  }
  return worst(results);
}

function arrays(s: JsonSchema, p: JsonSchema, path: string, ctx: Ctx): Inclusion {
  const sPrefix = (s["prefixItems"] ?? []) as Node[];
  const pPrefix = (p["prefixItems"] ?? []) as Node[];
  const sRest: Node = (s["items"] as Node | undefined) ?? true;
  const pRest: Node = (p["items"] as Node | undefined) ?? true;
  const sMin = Math.max(num(s["minItems"]) ?? 0, 0);
  const sMax = Math.min(num(s["maxItems"]) ?? Infinity, sRest === false ? sPrefix.length : Infinity);
  const pMin = num(p["minItems"]) ?? 0;
  const pMax = Math.min(num(p["maxItems"]) ?? Infinity, pRest === false ? pPrefix.length : Infinity);
  if (pMin > sMin) return breaking(path, `the receiver requires at least ${pMin} items; senders may send ${sMin}`);
  if (pMax < sMax)
    return breaking(
      path,
      `the receiver accepts at most ${pMax} items; senders may send ${sMax === Infinity ? "more" : sMax}`,
    );
  const results: Inclusion[] = [];
  const fixed = Math.max(sPrefix.length, pPrefix.length);
  for (let i = 0; i < fixed && i < sMax; i++) {
    const a = sPrefix[i] ?? sRest;
    const b = pPrefix[i] ?? pRest;
    results.push(incl(a, b, join(path, `[${i}]`), ctx));
  }
  if (sMax > fixed) results.push(incl(sRest, pRest, join(path, "[]"), ctx));
  return worst(results);
}

/**
 * Does `schema` accept `value`? undefined when it does; else why not (`unknown` when a marker or an unsupported
 * keyword leaves it open). Covers the same subset as the inclusion check.
 */
export function accepts(
  value: unknown,
  schemaIn: Node,
  root: JsonSchema,
  path = "",
): { reason: string; unknown?: boolean } | undefined {
  const schema = resolve(schemaIn, root);
  if (schema === true) return undefined;
  if (schema === false || isNever(schema)) return { reason: "the receiver accepts no value here" };
  const why = schema[UNPROVABLE] as string | undefined;
  const verdict = acceptsPlain(value, schema, root, path);
  if (verdict === undefined && why !== undefined)
    return { reason: `the receiver's ${why} may reject it`, unknown: true };
  return verdict;
}

function acceptsPlain(
  v: unknown,
  s: JsonSchema,
  root: JsonSchema,
  path: string,
): { reason: string; unknown?: boolean } | undefined {
  if (s["allOf"] !== undefined) return { reason: "intersections (allOf) are not checked", unknown: true };
  const branches = branchesOf(s);
  if (branches !== undefined) {
    const rs = branches.map((b) => accepts(v, b, root, path));
    if (rs.some((r) => r === undefined)) return undefined;
    return (
      rs.find((r) => r!.unknown) ?? { reason: `the receiver accepts none of its options for ${JSON.stringify(v)}` }
    );
  }
  if ("const" in s && JSON.stringify(s["const"]) !== JSON.stringify(v))
    return { reason: `the receiver accepts only ${JSON.stringify(s["const"])}` };
  if (Array.isArray(s["enum"]) && !(s["enum"] as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    return { reason: `the receiver accepts only ${(s["enum"] as unknown[]).map((e) => JSON.stringify(e)).join(", ")}` };
  }
  const t = typeOfValue(v);
  const types = s["type"] === undefined ? undefined : typesOf(s);
  if (types !== undefined && !types.includes(t) && !(t === "integer" && types.includes("number")))
    return { reason: `the receiver expects ${types.map(article).join(" or ")}` };
  if (typeof v === "string") {
    const len = [...v].length;
    if (num(s["minLength"]) !== undefined && len < (s["minLength"] as number))
      return { reason: `the receiver requires at least ${s["minLength"] as number} characters` };
    if (num(s["maxLength"]) !== undefined && len > (s["maxLength"] as number))
      return { reason: `the receiver accepts at most ${s["maxLength"] as number} characters` };
    if (typeof s["pattern"] === "string" && !new RegExp(s["pattern"], "u").test(v))
      return { reason: `the receiver requires pattern ${JSON.stringify(s["pattern"])}` };
  }
  if (typeof v === "number") {
    if (num(s["minimum"]) !== undefined && v < (s["minimum"] as number))
      return { reason: `the receiver requires >= ${s["minimum"] as number}` };
    if (num(s["maximum"]) !== undefined && v > (s["maximum"] as number))
      return { reason: `the receiver requires <= ${s["maximum"] as number}` };
    if (num(s["exclusiveMinimum"]) !== undefined && v <= (s["exclusiveMinimum"] as number))
      return { reason: `the receiver requires > ${s["exclusiveMinimum"] as number}` };
    if (num(s["exclusiveMaximum"]) !== undefined && v >= (s["exclusiveMaximum"] as number))
      return { reason: `the receiver requires < ${s["exclusiveMaximum"] as number}` };
    if (num(s["multipleOf"]) !== undefined && !Number.isInteger(v / (s["multipleOf"] as number)))
      return { reason: `the receiver requires a multiple of ${s["multipleOf"] as number}` };
  }
  if (Array.isArray(v)) {
    if (num(s["minItems"]) !== undefined && v.length < (s["minItems"] as number))
      return { reason: `the receiver requires at least ${s["minItems"] as number} items` };
    if (num(s["maxItems"]) !== undefined && v.length > (s["maxItems"] as number))
      return { reason: `the receiver accepts at most ${s["maxItems"] as number} items` };
    const prefix = (s["prefixItems"] ?? []) as Node[];
    for (let i = 0; i < v.length; i++) {
      const r = accepts(v[i], prefix[i] ?? (s["items"] as Node | undefined) ?? true, root, join(path, `[${i}]`));
      if (r !== undefined) return r;
    }
  }
  if (t === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    for (const r of (s["required"] ?? []) as string[])
      if (!(r in o)) return { reason: `the receiver requires \`${r}\`` };
    const props = (s["properties"] ?? {}) as Record<string, JsonSchema>;
    for (const [k, x] of Object.entries(o)) {
      const target = props[k] ?? (s["additionalProperties"] as Node | undefined) ?? true;
      if (props[k] === undefined && s["propertyNames"] !== undefined) {
        const r = accepts(k, s["propertyNames"] as JsonSchema, root, path);
        if (r !== undefined) return r;
      }
      const r = accepts(x, target, root, join(path, k));
      if (r !== undefined) return target === false ? { reason: `the receiver rejects the unknown field \`${k}\`` } : r;
    }
  }
  return undefined;
}

/**
 * Prototype-pollution keys never reach a handler. zod already drops `__proto__` from objects and records; what
 * is left is a schema that lets arbitrary keys through (`z.record`, `z.looseObject`, `z.any`...), whose parsed
 * value could still hold `{ "__proto__": ... }` or `{ "constructor": { "prototype": ... } }` — harmless as own
 * properties, dangerous once a handler merges them into another object. Such values are refused.
 *
 * The walk runs only for schemas that can carry keys the contract does not name (decided once, at start-up), so
 * the common case (plain objects) costs nothing per message.
 */
import { $ZodAsyncError, safeParse } from "zod/v4/core";
import type { Schema } from "../contract";
import type { Checked, Validator } from "./spec";

type Def = { type: string; [key: string]: unknown };

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** True when a value valid for `schema` may hold object keys the schema does not name. */
export function mayCarryArbitraryKeys(schema: Schema, seen: Set<unknown> = new Set()): boolean {
  if (seen.has(schema)) return false;
  seen.add(schema);
  const def = defOf(schema);
  if (def === undefined) return true;
  const sub = (s: unknown): boolean => s !== undefined && mayCarryArbitraryKeys(s as Schema, seen);
  switch (def.type) {
    case "record":
    case "any":
    case "unknown":
    case "custom":
      return true;
    case "object": {
      const catchall = defOf(def["catchall"]);
      if (catchall !== undefined && catchall.type !== "never") return true;
      return Object.values(def["shape"] as Record<string, unknown>).some(sub);
    }
    case "array":
      return sub(def["element"]);
    case "tuple":
      return (def["items"] as unknown[]).some(sub) || sub(def["rest"] ?? undefined);
    case "union":
      return (def["options"] as unknown[]).some(sub);
    case "intersection":
      return sub(def["left"]) || sub(def["right"]);
    case "pipe":
      return sub(def["in"]) || sub(def["out"]);
    case "lazy":
      return sub((def["getter"] as () => unknown)());
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
    case "success":
      return sub(def["innerType"]);
    default:
      // Scalars, enums, literals, transforms (the contract author's own code), sets and maps (not JSON).
      return false;
  }
}

/** The first forbidden key in a parsed value: its path, or undefined. Iterative, visits each object once. */
export function findPollutionKey(value: unknown): Array<string | number> | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const seen = new Set<object>();
  const stack: Array<{ value: object; path: Array<string | number> }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: node, path } = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (typeof item === "object" && item !== null) stack.push({ value: item, path: [...path, i] });
      }
      continue;
    }
    for (const key of Object.keys(node)) {
      const item: unknown = (node as Record<string, unknown>)[key];
      const isObject = typeof item === "object" && item !== null;
      if (key === "__proto__" || ((key === "constructor" || key === "prototype") && isObject)) return [...path, key];
      if (isObject) stack.push({ value: item, path: [...path, key] });
    }
  }
  return undefined;
}

/** Wraps a validator with the pollution check when the schema needs it; returns it unchanged otherwise. */
export function guardKeys(schema: Schema, validate: Validator): Validator {
  if (!mayCarryArbitraryKeys(schema)) return validate;
  return (value): Checked => {
    const checked = validate(value);
    if (!checked.ok) return checked;
    const path = findPollutionKey(checked.value);
    if (path === undefined) return checked;
    return {
      ok: false,
      issues: [
        {
          path,
          message: `Forbidden key ${JSON.stringify(path[path.length - 1])}: prototype-pollution keys are refused`,
        },
      ],
      total: 1,
    };
  };
}

/** The issue spec.ts's check() gives for a value the contract's own code threw on (the same text). */
export const CHECK_THREW = "Invalid input: the contract's check failed on this value";

/**
 * Where a schema's own code throws on a value (an async refinement or transform, which a synchronous parse
 * cannot run, or a refinement that throws): the path of the innermost part that still throws, and what it threw.
 * Only on the failure path, server side: the check itself says no more than "the contract's check failed".
 */
export function whereItThrows(
  schema: Schema,
  value: unknown,
): { path: Array<string | number>; error: unknown } | undefined {
  const attempt = (s: unknown, v: unknown): { error: unknown } | undefined => {
    try {
      safeParse(s as Schema, v);
      return undefined;
    } catch (error) {
      return { error };
    }
  };
  const first = attempt(schema, value);
  if (first === undefined) return undefined;
  const path: Array<string | number> = [];
  let current: unknown = schema;
  let at: unknown = value;
  for (let depth = 0; depth < 64; depth++) {
    const def = defOf(current);
    if (def === undefined) break;
    let next: { schema: unknown; value: unknown; segment?: string | number } | undefined;
    const inner = (s: unknown) => (attempt(s, at) ? { schema: s, value: at } : undefined);
    switch (def.type) {
      case "object": {
        const shape = def["shape"] as Record<string, unknown>;
        const record = (typeof at === "object" && at !== null ? at : {}) as Record<string, unknown>;
        for (const key of Object.keys(shape)) {
          if (attempt(shape[key], record[key])) {
            next = { schema: shape[key], value: record[key], segment: key };
            break;
          }
        }
        break;
      }
      case "array":
        if (Array.isArray(at)) {
          const index = at.findIndex((item) => attempt(def["element"], item) !== undefined);
          if (index >= 0) next = { schema: def["element"], value: at[index], segment: index };
        }
        break;
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "catch":
      case "readonly":
      case "nonoptional":
        next = inner(def["innerType"]);
        break;
      case "lazy":
        next = inner((current as { _zod: { innerType: unknown } })._zod.innerType);
        break;
      case "pipe":
        next = inner(def["in"]);
        break;
    }
    if (next === undefined) break;
    if (next.segment !== undefined) path.push(next.segment);
    current = next.schema;
    at = next.value;
  }
  return { path, error: first.error };
}

/** zod's error for a promise met by a synchronous parse (an async refinement or transform). */
export function isAsyncError(error: unknown): boolean {
  return error instanceof $ZodAsyncError;
}

/** The server's report for a value its contract's own code threw on: names the field and, for async code, why. */
export function describeThrow(found: { path: Array<string | number>; error: unknown }): string {
  const field = ["payload", ...found.path]
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`))
    .join("")
    .slice(1)
    .replace(".[", "[");
  return isAsyncError(found.error)
    ? `${field}: the contract's schema is async here (an async refinement or transform), and iocontract ` +
        `validates synchronously: every value fails until it is made synchronous`
    : `${field}: the contract's own check threw (${found.error instanceof Error ? found.error.message : String(found.error)})`;
}

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
import { arbitraryKeysItself, childrenOf, kindOf } from "./zod-kinds";

/** True when a value valid for `schema` may hold object keys the schema does not name. */
export function mayCarryArbitraryKeys(schema: Schema, seen: Set<unknown> = new Set()): boolean {
  if (seen.has(schema)) return false;
  seen.add(schema);
  if (kindOf(schema) === undefined || arbitraryKeysItself(schema)) return true;
  // Kinds without children (scalars, enums, literals, transforms: the contract author's own code) carry none.
  return childrenOf(schema).some((child) => mayCarryArbitraryKeys(child.schema, seen));
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
    let next: { schema: unknown; value: unknown; segment?: string | number } | undefined;
    const children = childrenOf(current as Schema);
    const element = children.find((child) => child.role === "element");
    // A wrapper's or a lazy's inner schema, or a pipe's input side: the same value goes in.
    const through = children.find((child) => child.role === "inner" || child.role === "in");
    if (element !== undefined) {
      if (Array.isArray(at)) {
        const index = at.findIndex((item) => attempt(element.schema, item) !== undefined);
        if (index >= 0) next = { schema: element.schema, value: at[index], segment: index };
      }
    } else if (through !== undefined) {
      if (attempt(through.schema, at)) next = { schema: through.schema, value: at };
    } else {
      const record = (typeof at === "object" && at !== null ? at : {}) as Record<string, unknown>;
      for (const { schema: field, role, key } of children) {
        if (role === "entry" && attempt(field, record[key as string])) {
          next = { schema: field, value: record[key as string], segment: key as string };
          break;
        }
      }
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

/**
 * The one place that reads zod's internals (`schema._zod.def`): a table with one row per zod def type (a "kind")
 * that says which schemas sit inside it, in which role, and the facts the readers need. The runtime's guard
 * (guard.ts) and the generator (its model, its type printer, its JSON Schema notes: `iocontract/codegen`, through
 * the `@iocontract/runtime/v1/zod-kinds` subpath) all walk schemas with it.
 *
 * Adding support for a zod kind means one row here. (The type printer has its own table of print rules keyed by
 * the same kinds, `PRINT_RULES` in codegen/src/schema/print-type.ts: a kind it should print needs a row there too.)
 *
 * Server and tooling side only: the browser client never imports it (its size budget, test/bundle).
 */
import type { Schema } from "../contract";

/** A zod schema's definition: its kind (`type`) and the kind's own fields. */
export interface ZodDef {
  readonly type: string;
  readonly [field: string]: unknown;
}

/**
 * How a schema sits inside its parent:
 * - `entry`: an object's property (`key` is its name); `catchall`: an object's `.catchall()` schema;
 * - `element`: an array's element; `item`: a tuple's item (`key` is its index); `rest`: a tuple's `.rest()`;
 * - `option`: a union's option (`key` is its index); `left` / `right`: an intersection's sides;
 * - `key` / `value`: a record's key and value schemas;
 * - `inner`: what a wrapper (`.optional()`, `.default()`...) or a `z.lazy()` stands for;
 * - `in` / `out`: a pipe's sides (`.pipe()`, `z.codec()`, `z.preprocess()`, `.transform()`).
 */
export type ChildRole =
  | "entry"
  | "catchall"
  | "element"
  | "item"
  | "rest"
  | "option"
  | "left"
  | "right"
  | "key"
  | "value"
  | "inner"
  | "in"
  | "out";

export interface ZodChild {
  readonly schema: Schema;
  readonly role: ChildRole;
  /** The property name (`entry`) or the index (`item`, `option`). */
  readonly key?: string | number;
  /** Where it is, from the parent's `_zod`: `["def", "shape", "name"]` (for type-level access: the generator). */
  readonly access: readonly (string | number)[];
}

/** One row of the table: what a kind holds and what is true of every schema of that kind. */
export interface KindRule {
  /** The schemas directly inside, in zod's order. */
  readonly children?: (def: ZodDef, schema: Schema) => ZodChild[];
  /**
   * A wrapper: its value is its `inner` schema's, give or take `undefined`, `null`, a default or a fallback
   * (`.optional()`, `.nullable()`, `.default()`, `.prefault()`, `.catch()`, `.readonly()`, `.nonoptional()`).
   * Not `z.lazy()`, which stands for its schema without wrapping it.
   */
  readonly wrapper?: true;
  /** `z.input` and `z.output` differ for every schema of the kind (otherwise: when coerced, or when a child's do). */
  readonly changesType?: true;
  /**
   * A valid value may hold object keys the schema does not name (the guard's prototype-pollution check):
   * always, or for this def.
   */
  readonly arbitraryKeys?: true | ((def: ZodDef) => boolean);
  /** JSON cannot carry a value of this kind as such (a Date, a bigint, a Map, `undefined`, a class instance...). */
  readonly notJson?: true;
}

const at = (...keys: (string | number)[]): readonly (string | number)[] => ["def", ...keys];

function inner(def: ZodDef): ZodChild[] {
  return [{ schema: def["innerType"] as Schema, role: "inner", access: at("innerType") }];
}

const WRAPPER: KindRule = { wrapper: true, children: inner };

/** The table. A kind that is not listed holds no schemas and has no special facts (scalars, enums, literals...). */
export const ZOD_KINDS: Readonly<Record<string, KindRule>> = {
  object: {
    children: (def) => {
      const out: ZodChild[] = Object.entries(def["shape"] as Record<string, Schema>).map(([key, schema]) => ({
        schema,
        role: "entry",
        key,
        access: at("shape", key),
      }));
      if (def["catchall"]) out.push({ schema: def["catchall"] as Schema, role: "catchall", access: at("catchall") });
      return out;
    },
    // z.looseObject(), .catchall(...): any key but the ones `z.never()` refuses.
    arbitraryKeys: (def) => def["catchall"] !== undefined && kindOf(def["catchall"]) !== "never",
  },
  array: {
    children: (def) => [{ schema: def["element"] as Schema, role: "element", access: at("element") }],
  },
  tuple: {
    children: (def) => {
      const out: ZodChild[] = (def["items"] as Schema[]).map((schema, key) => ({
        schema,
        role: "item",
        key,
        access: at("items", key),
      }));
      if (def["rest"] != null) out.push({ schema: def["rest"] as Schema, role: "rest", access: at("rest") });
      return out;
    },
  },
  union: {
    children: (def) =>
      (def["options"] as Schema[]).map((schema, key) => ({ schema, role: "option", key, access: at("options", key) })),
  },
  intersection: {
    children: (def) => [
      { schema: def["left"] as Schema, role: "left", access: at("left") },
      { schema: def["right"] as Schema, role: "right", access: at("right") },
    ],
  },
  record: {
    children: (def) => [
      { schema: def["keyType"] as Schema, role: "key", access: at("keyType") },
      { schema: def["valueType"] as Schema, role: "value", access: at("valueType") },
    ],
    arbitraryKeys: true,
  },
  pipe: {
    children: (def) => [
      { schema: def["in"] as Schema, role: "in", access: at("in") },
      { schema: def["out"] as Schema, role: "out", access: at("out") },
    ],
    changesType: true,
  },
  // zod's own cached answer: calling the getter again may build a new schema.
  lazy: { children: (_def, schema) => [{ schema: lazyInner(schema), role: "inner", access: ["innerType"] }] },
  optional: WRAPPER,
  nullable: WRAPPER,
  default: { ...WRAPPER, changesType: true },
  prefault: { ...WRAPPER, changesType: true },
  catch: WRAPPER,
  readonly: WRAPPER,
  nonoptional: WRAPPER,
  success: WRAPPER,
  transform: { changesType: true },
  any: { arbitraryKeys: true },
  unknown: { arbitraryKeys: true },
  custom: { arbitraryKeys: true, notJson: true },
  // Values JSON cannot carry. (A Map, a Set and a promise hold schemas too: nothing reads inside them, as none
  // can travel.)
  date: { notJson: true },
  bigint: { notJson: true },
  symbol: { notJson: true },
  undefined: { notJson: true },
  void: { notJson: true },
  map: { notJson: true },
  set: { notJson: true },
  function: { notJson: true },
  promise: { notJson: true },
  nan: { notJson: true },
  file: { notJson: true },
};

/** A schema's definition, or undefined for a value that is not a zod 4 schema. */
export function zodDef(schema: unknown): ZodDef | undefined {
  return (schema as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def;
}

/** A schema's kind (`"object"`, `"pipe"`...), or undefined for a value that is not a zod 4 schema. */
export function kindOf(schema: unknown): string | undefined {
  return zodDef(schema)?.type;
}

/** The row for a schema's kind (an empty row for a kind the table does not list). */
export function ruleOf(schema: unknown): KindRule {
  const kind = kindOf(schema);
  return (kind !== undefined && Object.hasOwn(ZOD_KINDS, kind) ? ZOD_KINDS[kind] : undefined) ?? {};
}

const NONE: readonly never[] = Object.freeze([]);

/** Each schema's children, read once: a schema's def does not change, and the generator asks many times. */
const childrenCache = new WeakMap<Schema, readonly ZodChild[]>();

/** The schemas directly inside a schema, with their roles, in zod's order. */
export function childrenOf(schema: Schema): readonly ZodChild[] {
  const cached = childrenCache.get(schema);
  if (cached !== undefined) return cached;
  const def = zodDef(schema);
  const children = def === undefined ? undefined : ruleOf(schema).children;
  const found = children === undefined || def === undefined ? NONE : children(def, schema);
  if (typeof schema === "object" && schema !== null) childrenCache.set(schema, found);
  return found;
}

/** The schema a `z.lazy()` stands for: zod's own cached answer. */
export function lazyInner(schema: Schema): Schema {
  return (schema as unknown as { _zod: { innerType: Schema } })._zod.innerType;
}

/** True when the schema's `z.input` and `z.output` may differ on its own account (a default, a pipe, a coercion). */
export function changesTypeItself(schema: Schema): boolean {
  return ruleOf(schema).changesType === true || zodDef(schema)?.["coerce"] === true;
}

/** The definitions of a schema's checks (`.min()`, `.refine()`, `.trim()`...): their `check` field says which. */
export function checksOf(schema: Schema): readonly ZodDef[] {
  const checks = zodDef(schema)?.["checks"] as unknown[] | undefined;
  if (checks === undefined || checks.length === 0) return NONE;
  const defs: ZodDef[] = [];
  for (const check of checks) {
    const def = zodDef(check);
    if (def !== undefined) defs.push(def);
  }
  return defs;
}

/**
 * Whether a key holding this schema may be missing, as zod's run-time flags say: `"optional"` (or `"defaulted"`)
 * when it may, undefined when it is required. `optin` is what a sender may leave out, `optout` what a receiver
 * may find missing.
 */
export function keyFlags(schema: Schema): { readonly optin?: string; readonly optout?: string } {
  return (schema as unknown as { _zod: { optin?: string; optout?: string } })._zod;
}

/** The class a `z.instanceof(Class)` checks for, or undefined. */
export function instanceClass(schema: Schema): unknown {
  return (schema as unknown as { _zod: { bag?: { Class?: unknown } } })._zod.bag?.Class;
}

/** True when a value valid for the schema may hold keys it does not name, on its own account (not its children's). */
export function arbitraryKeysItself(schema: Schema): boolean {
  const rule = ruleOf(schema).arbitraryKeys;
  const def = zodDef(schema);
  return rule === true || (typeof rule === "function" && def !== undefined && rule(def));
}

/**
 * zod 4 schema → TypeScript type text, for one mode: "input" (what a sender writes, `z.input`) or "output"
 * (what a receiver gets after parsing, `z.output`). Reads zod's public internals (`schema._zod.def`) through the
 * runtime's zod walker (`@iocontract/runtime/v1/zod-kinds`), so it works for classic `zod` and `zod/mini` alike.
 * Each zod kind has a row in `PRINT_RULES`, which builds a type tree (type-tree.ts) that is printed once.
 *
 * Anything that cannot be printed faithfully is a {@link CodegenError} naming the field path: never `any`.
 */
import { globalRegistry, util } from "zod/v4/core";
import type { Schema } from "@iocontract/runtime/contract";
import { CodegenError, type Where } from "../errors.js";
import { propertyKey } from "../names.js";
import {
  type ObjectMember,
  type TypeNode,
  array,
  foreign,
  intersection,
  keyword,
  literal,
  placeholder,
  printType,
  reference,
  union,
} from "./type-tree.js";
import {
  type ZodDef,
  changesTypeItself,
  checksOf,
  childrenOf,
  instanceClass,
  keyFlags,
  lazyInner,
  ruleOf,
  zodDef,
} from "@iocontract/runtime/v1/zod-kinds";

export type Mode = "input" | "output";

// For text from outside the type tree (model.ts writes the compiler's answers and brands into printed text).
export { escapeDoc, tight } from "./type-tree.js";

export interface PrinterOptions {
  /** Print `z.any()` as `unknown` instead of refusing it (config `allowAny`). */
  readonly allowAny?: boolean;
  /**
   * Asks the TypeScript compiler for a type zod cannot say (a transform's output, a `z.custom<T>()`): returns a
   * placeholder the model replaces with the compiler's answer (ts-types.ts), or undefined where it cannot ask.
   */
  readonly askCompiler?: (schema: Schema, mode: Mode, where: Where) => string | undefined;
  /** A placeholder for a TypeScript enum's name (answered `values`, the fallback, when it is not an exported enum). */
  readonly askEnum?: (schema: Schema, mode: Mode, where: Where, values: string) => string | undefined;
  /**
   * The number of a question for the schema's brands in a mode (answered ` & $brand<"UserId">`, or nothing),
   * where a contract may use brands: the printer marks the schema's text with it (brands.ts).
   */
  readonly askBrand?: (schema: Schema, mode: Mode) => number | undefined;
}

/** A schema's definition (the runtime's zod walker reads it). */
export function defOf(schema: Schema): ZodDef {
  return zodDef(schema)!;
}

export interface SchemaMeta {
  readonly id?: string;
  readonly description?: string;
  /** Declares the TypeScript type of a `z.custom()` (both sides) or of a transform's output. */
  readonly tsType?: string;
}

export function metaOf(schema: Schema): SchemaMeta | undefined {
  return globalRegistry.get(schema) as SchemaMeta | undefined;
}

/**
 * The JSDoc tag for a string schema's format: `@format email` (`z.email()`, `z.string().email()`,
 * `z.iso.datetime()`...), or `@pattern ^\d{5}$` for a regex.
 */
function stringFormat(schema: Schema): string | undefined {
  const def = defOf(schema);
  if (def.type !== "string") return undefined;
  const tag = (d: Record<string, unknown>): string | undefined => {
    if (d["format"] === "regex" && d["pattern"] instanceof RegExp) return `@pattern ${d["pattern"].source}`;
    return typeof d["format"] === "string" ? `@format ${d["format"]}` : undefined;
  };
  const own = tag(def);
  if (own !== undefined) return own;
  for (const check of checksOf(schema)) {
    const found = tag(check);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** True for a `z.codec()`: a pipe that zod can run backwards (`encode`). */
export function isCodec(schema: Schema): boolean {
  const def = defOf(schema);
  return def.type === "pipe" && typeof def["reverseTransform"] === "function";
}

/** JSDoc lines for a field or a declaration: its description and its string format, if any. */
export function docLines(schema: Schema): string[] {
  const lines: string[] = [];
  let current: Schema | undefined = schema;
  let description: string | undefined;
  let format: string | undefined;
  let note: string | undefined;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    description ??= metaOf(current)?.description;
    format ??= stringFormat(current);
    const def = defOf(current);
    // Printed only with the config's allowAny (the printer refuses it otherwise).
    if (def.type === "any") note = "`z.any()` in the contract: anything passes; printed as `unknown` (allowAny).";
    if (def.type === "array") format ??= stringFormat(def["element"] as Schema);
    // Wrappers do not change what a field *is*: its description and format may sit on the inner schema.
    current = ruleOf(current).wrapper ? childrenOf(current)[0]!.schema : undefined;
  }
  if (description !== undefined) lines.push(...description.split("\n"));
  if (format !== undefined) lines.push(format);
  if (note !== undefined) lines.push(note);
  return lines;
}

/** Why a construct is refused, and what to write instead. */
const UNSUPPORTED: Record<string, string> = {
  any: "z.any() would print `any`: use z.unknown() (and narrow in the handler), or set `allowAny: true` in the config to print it as `unknown`",
  date:
    "a Date does not travel as JSON: send an ISO string and receive a Date with a codec, " +
    "`z.codec(z.iso.datetime(), z.date(), { decode: (s) => new Date(s), encode: (d) => d.toISOString() })`, " +
    "or use z.coerce.date()",
  bigint:
    "a bigint does not travel as JSON: send a string and receive a bigint with a codec, " +
    "`z.codec(z.string().regex(/^-?\\d+$/), z.bigint(), { decode: (s) => BigInt(s), encode: (n) => n.toString() })`, " +
    "or use z.coerce.bigint()",
  symbol: "a symbol cannot be sent over Socket.IO",
  function: "a function cannot be sent over Socket.IO",
  promise: "a promise cannot be sent over Socket.IO: send the resolved value",
  map: "a Map does not survive JSON: use z.record() or an array of pairs",
  set: "a Set does not survive JSON: use z.array()",
  nan: "NaN does not survive JSON (it becomes null)",
  void: "z.void() is not a payload: omit `payload` for an event without data",
  file: "a File cannot be sent as JSON",
  template_literal: "template literal types are not supported yet: use z.string() with a regex check",
  success: "z.success() is not supported",
};

function literalText(value: unknown, where: Where): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return JSON.stringify(value);
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  throw new CodegenError(`literal ${String(value)} cannot be sent as JSON`, where);
}

/** What a print rule gets: the schema and its def, the mode and the place, and the trees of the schemas inside. */
class PrintCall {
  constructor(
    readonly printer: TypePrinter,
    readonly schema: Schema,
    readonly def: ZodDef,
    readonly mode: Mode,
    readonly where: Where,
    /** The schema's `.meta({ tsType })`. */
    readonly tsType: string | undefined,
    private readonly stack: Set<Schema>,
  ) {}

  /** The tree of a schema inside this one: in this mode and at this place unless told. */
  inner(schema: unknown, where: Where = this.where, mode: Mode = this.mode): TypeNode {
    return this.printer.node(schema as Schema, mode, where, undefined, this.stack);
  }

  /** The place some steps further in. */
  at(...segments: Array<string | number>): Where {
    return { ...this.where, path: [...(this.where.path ?? []), ...segments] };
  }

  /** An object schema's members. */
  members(): ObjectMember[] {
    return this.printer.memberNodes(this.schema, this.mode, this.where, this.stack);
  }
}

/** A compiler's or an enum question's answer: a placeholder token, or text (the fallback). */
function answered(text: string): TypeNode {
  return /^__iocontract_type_\d+__$/.test(text) ? placeholder(text) : foreign(text);
}

/** The output type of a transform, from `.meta({ tsType })` or the compiler; refused with `why` otherwise. */
function transformOutput(c: PrintCall, why: string): TypeNode {
  if (c.tsType !== undefined) return foreign(c.tsType);
  const asked = c.printer.options.askCompiler?.(c.schema, c.mode, c.where);
  if (asked !== undefined) return answered(asked);
  throw new CodegenError(why, c.where);
}

const scalar = (c: PrintCall): TypeNode =>
  keyword(c.mode === "input" && c.def["coerce"] === true ? "unknown" : c.def.type);
const itself = (c: PrintCall): TypeNode => keyword(c.def.type);
const maybeUndefined = (c: PrintCall): TypeNode => union(c.inner(c.def["innerType"]), keyword("undefined"));
const innerType = (c: PrintCall): TypeNode => c.inner(c.def["innerType"]);
const defaulted = (c: PrintCall): TypeNode =>
  c.mode === "input" ? maybeUndefined(c) : c.inner(withoutOptional(c.def["innerType"] as Schema));

/**
 * `Date` / `bigint`: only what a receiver gets may be one (behind a codec, a transform or coercion): what travels
 * is JSON. z.coerce.date() and z.coerce.bigint() take any value at run time (zod types their input `unknown`); a
 * sender writes what JSON carries and they accept: an ISO string or epoch ms (a Date travels as its ISO string),
 * a string or number of digits.
 */
const receiverOnly = (c: PrintCall): TypeNode => {
  const date = c.def.type === "date";
  if (c.mode === "output") return date ? reference("Date") : keyword("bigint");
  if (c.def["coerce"] === true)
    return date
      ? union(keyword("string"), keyword("number"), reference("Date"))
      : union(keyword("string"), keyword("number"));
  throw new CodegenError(UNSUPPORTED[c.def.type]!, c.where);
};

/**
 * The print rules: one row per zod kind, keyed like the runtime's zod walker table (`ZOD_KINDS`,
 * packages/runtime/src/v1/zod-kinds.ts). Printing a new kind means one row here (and its row there, if it holds
 * schemas); a kind without a row is refused with its reason from UNSUPPORTED.
 */
const PRINT_RULES: Readonly<Record<string, (c: PrintCall) => TypeNode>> = {
  string: scalar,
  number: scalar,
  boolean: scalar,
  date: receiverOnly,
  bigint: receiverOnly,
  null: itself,
  undefined: itself,
  never: itself,
  unknown: itself,
  any: (c) => {
    if (!c.printer.options.allowAny) throw new CodegenError(UNSUPPORTED["any"]!, c.where);
    c.printer.noteCaveat(c.where, "z.any() prints as `unknown` (allowAny)");
    return keyword("unknown");
  },
  literal: (c) => union(...(c.def["values"] as unknown[]).map((v) => literal(literalText(v, c.where)))),
  enum: (c) => {
    // zod's own reading of the entries: a numeric TS enum's reverse mapping is not a value.
    const values = union(
      ...util.getEnumValues(c.def["entries"] as util.EnumLike).map((v) => literal(literalText(v, c.where))),
    );
    // Entries whose keys are not their values may be a TypeScript enum: the compiler says which (model.ts),
    // and an enum the contract module exports prints as itself; anything else as the union of its values.
    const maybeEnum = Object.entries(c.def["entries"] as Record<string, unknown>).some(([k, v]) => k !== v);
    const asked = maybeEnum ? c.printer.options.askEnum?.(c.schema, c.mode, c.where, printType(values)) : undefined;
    return asked ? answered(asked) : values;
  },
  optional: maybeUndefined,
  nullable: (c) => union(c.inner(c.def["innerType"]), keyword("null")),
  default: defaulted,
  prefault: defaulted,
  catch: innerType,
  nonoptional: (c) => c.inner(withoutOptional(c.def["innerType"] as Schema)),
  readonly: (c) => {
    const inner = defOf(c.def["innerType"] as Schema).type;
    const operand = c.inner(c.def["innerType"]);
    if (inner === "array" || inner === "tuple") return { kind: "readonly", operand };
    return reference("Readonly", operand);
  },
  lazy: (c) => c.inner(lazyInner(c.schema)),
  array: (c) => array(c.inner(c.def["element"], c.at(0))),
  tuple: (c) => {
    const items = (c.def["items"] as Schema[]).map((item, i) => {
      const optional = keyOptionality(item, c.mode);
      return { type: c.inner(item, c.at(i)), optional: optional === "optional" || optional === "defaulted" };
    });
    if (c.def["rest"] == null) return { kind: "tuple", items };
    return { kind: "tuple", items, rest: c.inner(c.def["rest"], c.at("(rest)")) };
  },
  union: (c) => union(...(c.def["options"] as Schema[]).map((o, i) => c.inner(o, c.at(`(option ${i})`)))),
  intersection: (c) => intersection(c.inner(c.def["left"]), c.inner(c.def["right"])),
  record: (c) => {
    const key = c.inner(c.def["keyType"], c.at("(key)"));
    const value = c.inner(c.def["valueType"], c.at("(value)"));
    // z.partialRecord(): not every key need be present.
    if (c.def["partial"] === true) return reference("Partial", reference("Record", key, value));
    // An index signature, not Record<string, T>: a type alias may refer to itself through it (a JSON value),
    // where `type Json = ... | Record<string, Json>` is TS2456. A branded key stays one: an index signature
    // takes `string & $brand<"UserId">` (zod's `Record<string & $brand<"UserId">, T>` is that type).
    if (defOf(c.def["keyType"] as Schema).type !== "string") return reference("Record", key, value);
    return { kind: "index", key: key.kind === "branded" ? key : keyword("string"), value };
  },
  object: (c) => {
    const members = c.members();
    // zod's type for an object without keys: `{}` would accept any string, number or boolean.
    if (members.length === 0) return reference("Record", keyword("string"), keyword("never"));
    return { kind: "object", members };
  },
  pipe: (c) => {
    if (c.mode === "input") return c.inner(c.def["in"]);
    const out = c.def["out"] as Schema;
    if (defOf(out).type !== "transform") return c.inner(out);
    c.printer.checkRefinements(out, c.where);
    return transformOutput(
      c,
      "the output type of this transform is unknown to the generator: " +
        'declare it with `.meta({ tsType: "..." })` on the transformed schema, or pipe into a schema (`.pipe(z.number())`)',
    );
  },
  transform: (c) =>
    c.mode === "input"
      ? keyword("unknown")
      : transformOutput(c, 'the output type of z.transform() is unknown: declare it with `.meta({ tsType: "..." })`'),
  custom: (c) => {
    // z.instanceof(Uint8Array) and other global classes: a receiver's side only (a codec's output).
    const cls = instanceClass(c.schema);
    if (typeof cls === "function" && (globalThis as Record<string, unknown>)[cls.name] === cls) {
      // Typed arrays are generic since TS 5.7 (`new Uint8Array()` is a Uint8Array<ArrayBuffer>): zod's type,
      // InstanceType<typeof X>, is printed as it is, which reads the same on every TS version.
      if (c.mode === "output")
        return /Array$|ArrayBuffer$|DataView$/.test(cls.name)
          ? reference("InstanceType", reference(`typeof ${cls.name}`))
          : reference(cls.name);
      throw new CodegenError(
        `a ${cls.name} does not travel as JSON: send a string and receive a ${cls.name} with a codec (z.codec(z.base64url(), z.instanceof(${cls.name}), ...))`,
        c.where,
      );
    }
    const asked = c.printer.options.askCompiler?.(c.schema, c.mode, c.where);
    if (asked !== undefined) return answered(asked);
    throw new CodegenError(
      'z.custom() has no type the generator can see: declare it with `.meta({ tsType: "..." })`, or use a zod schema',
      c.where,
    );
  },
};

/**
 * Prints schemas. Named schemas (contract `types`, `.meta({ id })`, and schemas reused across events) print as
 * their name; a recursive schema must be named.
 */
export class TypePrinter {
  private readonly differsCache = new Map<Schema, boolean>();

  /** Parts that print with a caveat (`iocontract generate --explain`), keyed by their place, in order. */
  readonly caveats = new Map<string, { where: Where; note: string }>();

  constructor(
    /** schema → declared type name (output mode; input mode adds `Input` when the two differ). */
    readonly names: ReadonlyMap<Schema, string>,
    readonly options: PrinterOptions = {},
  ) {}

  /** Records a caveat found outside the printer (the compiler's answers: model.ts). */
  noteCaveat(where: Where, note: string): void {
    this.caveat(where, note);
  }

  private caveat(where: Where, note: string): void {
    this.caveats.set(`${JSON.stringify(where)} ${note}`, { where, note });
  }

  /** The name to use for a named schema in a mode. */
  refName(schema: Schema, mode: Mode): string | undefined {
    const name = this.names.get(schema);
    if (name === undefined) return undefined;
    return mode === "input" && this.differs(schema) ? `${name}Input` : name;
  }

  /**
   * True when `z.input` and `z.output` of this schema differ (defaults, transforms, coercion...). A schema met
   * again on its own path counts as "no difference" for that path; an answer that leaned on such an assumption
   * is not cached (only a top-level call's answer is complete).
   */
  differs(schema: Schema, visiting = new Set<Schema>()): boolean {
    const cached = this.differsCache.get(schema);
    if (cached !== undefined) return cached;
    if (visiting.has(schema)) return false;
    const topLevel = visiting.size === 0;
    visiting.add(schema);
    const result =
      changesTypeItself(schema) || childrenOf(schema).some((child) => this.differs(child.schema, visiting));
    visiting.delete(schema);
    if (topLevel || result) this.differsCache.set(schema, result); // "differs" is final even under an assumption
    return result;
  }

  /**
   * @param indent the indentation of the line the type starts on (nested object bodies indent from it)
   * @param declaring the named schema being declared: printed in full, not as a reference to itself
   */
  print(
    schema: Schema,
    mode: Mode,
    where: Where,
    indent = "",
    declaring?: Schema,
    stack: Set<Schema> = new Set(),
  ): string {
    return printType(this.node(schema, mode, where, declaring, stack), indent);
  }

  /** The type tree of a schema in a mode (printed once, by type-tree.ts). */
  node(schema: Schema, mode: Mode, where: Where, declaring?: Schema, stack: Set<Schema> = new Set()): TypeNode {
    if (schema !== declaring) {
      const ref = this.refName(schema, mode);
      if (ref !== undefined) return reference(ref);
    }
    if (stack.has(schema)) {
      throw new CodegenError(
        'recursive schema without a name: list it in the contract\'s `types: { Name: schema }` or add `.meta({ id: "Name" })`',
        where,
      );
    }
    stack.add(schema);
    try {
      const def = defOf(schema);
      this.checkRefinements(schema, where);
      const tsType = metaOf(schema)?.tsType;
      const rule = Object.hasOwn(PRINT_RULES, def.type) ? PRINT_RULES[def.type] : undefined;
      let node: TypeNode;
      if (tsType !== undefined && def.type !== "pipe" && def.type !== "transform") node = foreign(tsType);
      else if (rule === undefined)
        throw new CodegenError(UNSUPPORTED[def.type] ?? `z.${def.type}() is not supported`, where);
      else node = rule(new PrintCall(this, schema, def, mode, where, tsType, stack));
      // A brand (`.brand<"UserId">()`) leaves no trace at run time: the compiler says (model.ts). The text is
      // marked, `<open N>text<close N>`: model.ts writes the brand, with parentheses where the text needs them.
      const question = this.options.askBrand?.(schema, mode);
      return question === undefined ? node : { kind: "branded", question, inner: node };
    } finally {
      stack.delete(schema);
    }
  }

  /**
   * Refinements (`.refine`, `.superRefine`, `.check`, `z.custom(fn)`) and transforms the type cannot express: an
   * async one is refused (the runtime checks synchronously: every value would fail), the others are caveats.
   */
  checkRefinements(schema: Schema, where: Where): void {
    const def = defOf(schema);
    const asyncError = (what: string) =>
      new CodegenError(
        `${what} is async, and iocontract validates synchronously (every value would fail): make it synchronous, or check in the handler`,
        where,
      );
    if (def.type === "transform" && isAsync(def["transform"])) throw asyncError("this transform");
    if (def.type === "custom" && isAsync(def["fn"])) throw asyncError("this z.custom() check");
    for (const cdef of checksOf(schema)) {
      if (cdef["check"] !== "custom") continue;
      if (isAsync(cdef["fn"])) throw asyncError("a refinement");
      this.caveat(where, "a refinement (.refine/.superRefine/.check) that the type does not express");
    }
    if (def.type === "unknown") this.caveat(where, "z.unknown() prints as `unknown`: the receiver narrows it");
  }

  /** The members of an object schema, for an interface declaration or an inline object. */
  objectMembers(
    schema: Schema,
    mode: Mode,
    where: Where,
    memberIndent: string,
    stack: Set<Schema> = new Set([schema]),
  ): Array<{ key: string; optional: boolean; type: string; docs: string[] }> {
    return this.memberNodes(schema, mode, where, stack).map((m) => ({
      key: m.key,
      optional: m.optional,
      type: printType(m.type, memberIndent),
      docs: [...m.docs],
    }));
  }

  /** The members of an object schema as trees (for PrintCall). */
  memberNodes(schema: Schema, mode: Mode, where: Where, stack: Set<Schema>): ObjectMember[] {
    const def = defOf(schema);
    const shape = def["shape"] as Record<string, Schema>;
    const out: ObjectMember[] = [];
    for (const key of Object.keys(shape)) {
      const field = shape[key]!;
      const fieldWhere: Where = { ...where, path: [...(where.path ?? []), key] };
      const flag = keyOptionality(field, mode);
      out.push({
        key: propertyKey(key),
        optional: flag === "optional" || flag === "defaulted",
        type: this.node(field, mode, fieldWhere, undefined, stack),
        docs: docLines(field),
      });
    }
    const catchall = def["catchall"] as Schema | undefined;
    if (catchall !== undefined) {
      const kind = defOf(catchall).type;
      if (kind === "unknown") {
        out.push({ key: "[key: string]", optional: false, type: keyword("unknown"), docs: [] });
      } else if (kind !== "never") {
        throw new CodegenError(
          ".catchall() with a schema other than z.unknown() is not supported: use z.looseObject() or a z.record() field",
          where,
        );
      }
    }
    return out;
  }
}

/**
 * Whether a key may be left out, as zod's *types* say. The run-time flags (`optin` / `optout`) agree except for
 * `.catch()`, which accepts a missing key at run time but types its input key as required.
 */
function keyOptionality(schema: Schema, mode: Mode): string | undefined {
  if (mode === "output") return keyFlags(schema).optout;
  const def = defOf(schema);
  if (def.type === "catch") return keyOptionality(def["innerType"] as Schema, mode);
  // z.preprocess(): a transform first, which takes a missing key at run time; zod types the key as required.
  if (def.type === "pipe" && defOf(def["in"] as Schema).type === "transform") return undefined;
  return keyFlags(schema).optin;
}

/** zod's `NoUndefined<T>` for the common case: `x.optional().default(v)` outputs x's type. */
function withoutOptional(schema: Schema): Schema {
  const def = defOf(schema);
  return def.type === "optional" ? (def["innerType"] as Schema) : schema;
}

/** An `async` function (its promise would reach a synchronous parse). */
function isAsync(fn: unknown): boolean {
  return typeof fn === "function" && Object.prototype.toString.call(fn) === "[object AsyncFunction]";
}

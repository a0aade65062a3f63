/**
 * zod schema → JSON Schema (draft 2020-12), the language-neutral form the snapshot, `iocontract diff` and other
 * outputs read. One module so every consumer gets the same bytes for the same schema.
 *
 * `io: "input"` is what a sender writes and a receiver accepts (the runtime checks a value as written and sends
 * it unchanged); `io: "output"` is what a receiver's handler gets after parsing. zod drops what JSON Schema
 * cannot say (refinements, transforms, dates): those nodes carry `"x-iocontract-unprovable": "<why>"`, so that
 * `iocontract diff` reports "cannot prove" for them instead of trusting an incomplete description.
 */
import * as z from "zod";
import type { Schema } from "@iocontract/runtime/contract";

export type JsonSchema = { readonly [key: string]: unknown };
export type Io = "input" | "output";

/** The marker key on nodes whose JSON Schema does not say everything the zod schema checks. */
export const UNPROVABLE = "x-iocontract-unprovable";

/** zod types JSON Schema cannot describe: JSON carries none of them exactly. */
const UNREPRESENTABLE = new Set(["date", "bigint", "symbol", "undefined", "void", "map", "set", "function", "promise", "nan", "custom", "file"]);

interface ZodInternals {
  readonly _zod: { readonly def: { readonly type: string; readonly checks?: ReadonlyArray<{ readonly _zod: { readonly def: { readonly check: string } } }> } };
}

function unprovable(schema: Schema, io: Io): string | undefined {
  const def = (schema as unknown as ZodInternals)._zod.def;
  if (def.type === "transform") return "transform";
  if (def.type === "pipe") return io === "input" ? "pipe (its output schema may reject)" : "pipe (its output side)";
  if (UNREPRESENTABLE.has(def.type)) return `${def.type} (not representable in JSON Schema)`;
  if ((def.checks ?? []).some((c) => c._zod.def.check === "custom")) return "refinement (custom check)";
  // .trim(), .toLowerCase() and the like rewrite the value before the other checks run.
  if ((def.checks ?? []).some((c) => c._zod.def.check === "overwrite")) return "rewriting check (trim, case)";
  return undefined;
}

/** The JSON Schema of one zod schema for one side, without `$schema` (documents that embed it say it once). */
export function toJsonSchema(schema: Schema, io: Io, target: "draft-2020-12" | "draft-7" = "draft-2020-12"): JsonSchema {
  const out = z.toJSONSchema(schema as z.ZodType, {
    io,
    target,
    unrepresentable: "any",
    cycles: "ref",
    reused: "inline",
    override: (ctx) => {
      const why = unprovable(ctx.zodSchema as unknown as Schema, io);
      if (why !== undefined) (ctx.jsonSchema as Record<string, unknown>)[UNPROVABLE] = why;
    },
  }) as Record<string, unknown>;
  delete out["$schema"];
  return out;
}

/** Both sides of a schema. */
export function bothSides(schema: Schema): { readonly input: JsonSchema; readonly output: JsonSchema } {
  return { input: toJsonSchema(schema, "input"), output: toJsonSchema(schema, "output") };
}

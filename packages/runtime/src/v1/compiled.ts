/**
 * Compiled validators: zod 4's `compile()` turns a schema into generated JavaScript (about 2-5x faster than
 * `safeParse` on a small object, no per-check allocations). It needs `new Function`, which a strict
 * Content-Security-Policy (no 'unsafe-eval'), Node's `--disallow-code-generation-from-strings`, or zod's own
 * `z.config({ jitless: true })` forbid: there, and for any schema zod cannot compile (async refinements,
 * recursive schemas), the validator is the plain one ({@link makeValidator}), with the same results.
 *
 * The server imports this module, and so does the client as Node gets it (./client-node.ts); a browser bundle of
 * the client does not carry zod's compiler.
 */
import * as core from "zod/v4/core";
import type { Schema } from "../contract";
import { type Validator, check, makeValidator } from "./spec";

type Compile = (schema: Schema, options?: { strict?: boolean }) => Schema;

/**
 * zod's `compile`, when this zod has it (4.6+; the peer range starts at 4.1) — read through the namespace so an
 * older zod simply has none.
 */
const zodCompile: Compile | undefined = (() => {
  const fn = (core as unknown as { compile?: unknown }).compile;
  return typeof fn === "function" ? (fn as Compile) : undefined;
})();

let evalAllowed: boolean | undefined;

/**
 * Whether generated code can run here. Probed once: under a strict CSP, every failed `new Function` is reported
 * as a violation, so the runtime tries at most once per page, and not at all when zod is told to be jitless.
 */
export function canCompile(): boolean {
  if (zodCompile === undefined || core.globalConfig.jitless === true) return false;
  // zod probes for itself (its object parser has a JIT path): share its cached answer, so that a page under a
  // strict CSP sees one violation report, not two.
  evalAllowed ??= zodAllowsEval() ?? probeEval();
  return evalAllowed;
}

function zodAllowsEval(): boolean | undefined {
  const cached = (core as unknown as { util?: { allowsEval?: { value?: unknown } } }).util?.allowsEval;
  return typeof cached?.value === "boolean" ? cached.value : undefined;
}

function probeEval(): boolean {
  try {
    return typeof new Function("return 1")() === "number";
  } catch {
    return false;
  }
}

/** Why a validator is not compiled, per schema; for tests and the benchmarks. */
export const notCompiled = new WeakMap<Validator, string>();

/**
 * A validator backed by zod's compiled parser where it can be made, else the plain one. On the happy path the
 * compiled clone answers alone; on invalid input it falls back to zod's runtime parser, so the issues (and their
 * messages) are exactly the plain validator's.
 */
export function makeCompiledValidator(schema: Schema): Validator {
  if (!canCompile()) {
    const plain = makeValidator(schema);
    notCompiled.set(
      plain,
      zodCompile === undefined ? "this zod has no compile()" : "code generation is not allowed here",
    );
    return plain;
  }
  let compiled: Schema;
  try {
    compiled = zodCompile!(schema, { strict: true });
  } catch (error) {
    const plain = makeValidator(schema);
    notCompiled.set(plain, error instanceof Error ? error.message : String(error));
    return plain;
  }
  return (value) => check(compiled, value);
}

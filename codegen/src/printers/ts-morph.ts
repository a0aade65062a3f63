/**
 * ts-morph's values, loaded with `require`. ts-morph is CommonJS: an ESM `import` of it makes Node scan its
 * 1 MB bundle for export names first (cjs-module-lexer), about 0.13 s of CPU per run on our 2-core machine;
 * `require` skips that. Types still come from `import type`.
 */
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";

const tsMorph = createRequire(import.meta.url)("ts-morph") as typeof TsMorph;

export const { StructureKind, printStructure } = tsMorph;

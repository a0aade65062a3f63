/**
 * ts-morph's values, loaded with `require` on first use. ts-morph is CommonJS: an ESM `import` of it makes Node
 * scan its 1 MB bundle for export names first (cjs-module-lexer), about 0.13 s of CPU per run on our 2-core
 * machine; `require` skips that. Loading on first use lets the TypeScript stage import the printers (to ask the
 * names they declare) without loading ts-morph: a no-op regenerate never loads it (cache.ts). Types still come
 * from `import type`.
 */
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";

let loaded: typeof TsMorph | undefined;
const tsMorph = (): typeof TsMorph => (loaded ??= createRequire(import.meta.url)("ts-morph") as typeof TsMorph);

/** ts-morph's `StructureKind`, read from ts-morph when a member is first read. */
export const StructureKind: typeof TsMorph.StructureKind = new Proxy({} as typeof TsMorph.StructureKind, {
  get: (_target, key) => tsMorph().StructureKind[key as keyof typeof TsMorph.StructureKind],
});

export const printStructure: typeof TsMorph.printStructure = (...args) => tsMorph().printStructure(...args);

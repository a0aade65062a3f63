/**
 * The TypeScript stage as the generator runs it: the model's TypeScript text (types.ts), then the names every
 * TypeScript printer reports it declares, checked unique. Loads no ts-morph (the printers load it on first
 * print): cache.ts hashes the result before anything is printed.
 */
import { CodegenError, type Where } from "../errors.js";
import type { ContractModel } from "../model.js";
import { clientDeclare } from "../printers/client.js";
import type { DeclaredName } from "../printers/common.js";
import { emitterDeclare } from "../printers/emitter.js";
import { indexDeclare } from "../printers/index.js";
import { serverDeclare } from "../printers/server.js";
import { typesDeclare } from "../printers/types.js";
import {
  type DeclaringFile,
  type TypeScriptModel,
  type TypeScriptOptions,
  type TypeScriptTypes,
  typeScriptTypes,
} from "./types.js";

export function buildTypeScript(model: ContractModel, options: TypeScriptOptions = {}): TypeScriptModel {
  const { types, importedAt } = typeScriptTypes(model, options);
  const declared: Record<DeclaringFile, DeclaredName[]> = {
    types: typesDeclare(types),
    server: serverDeclare(types),
    client: clientDeclare(types),
    emitter: emitterDeclare(types),
    index: indexDeclare(),
  };
  const names = checkNames(types, Object.values(declared).flat(), importedAt);
  const byFile = Object.fromEntries(
    Object.entries(declared).map(([file, list]) => [file, list.map((d) => d.name)]),
  ) as Record<DeclaringFile, string[]>;
  return { ...types, declared: byFile, names };
}

/**
 * Each name the generated files declare must be declared once: TypeScript would silently merge two interfaces of
 * the same name (namespace "/server" of contract "chat" would add to `ChatServerHandlers`). The claims are taken
 * in rank order (the contract's names, the runtime's, each namespace's, the types'), so an error names the
 * earlier owner first. A type imported from the contract module cannot share a name with a declared one either.
 */
function checkNames(
  types: TypeScriptTypes,
  claims: readonly DeclaredName[],
  importedAt: ReadonlyMap<string, Where>,
): string[] {
  const base: Where = { contract: types.model.name, file: types.model.file };
  const owners = new Map<string, string>();
  const ranked = [...claims].sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1]);
  for (const { name, owner } of ranked) {
    const other = owners.get(name);
    if (other !== undefined && other !== owner) {
      throw new CodegenError(
        `the generated name ${name} would be declared twice, for ${other} and for ${owner}; rename one`,
        base,
      );
    }
    owners.set(name, owner);
  }
  for (const [name, where] of importedAt) {
    const owner = owners.get(name);
    if (owner !== undefined) {
      throw new CodegenError(
        `the generated types import ${name} from the contract module, and the generated files declare a ${name} of their own (for ${owner}): rename one`,
        where,
      );
    }
  }
  return [...owners.keys()];
}

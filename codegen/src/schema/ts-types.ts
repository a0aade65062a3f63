/**
 * Types zod cannot say at run time (a transform's output, `z.custom<T>()`), asked of the TypeScript compiler:
 * the printer leaves a placeholder for each, and this module answers them all in one type-check of a small
 * file next to the contract: `type Q0 = z.output<(typeof contract)["namespaces"]["/"]...>`.
 *
 * An answer must stand on its own in a generated file, which imports nothing from the contract module: it is
 * checked once more in a file with no imports, and an answer that names a type from the contract (or anything
 * else not global) is refused, naming it, with the way out (`.meta({ tsType })`, or a pipe into a schema).
 *
 * Only contracts with such parts load ts-morph here; the placeholders' answers are part of the model, so the
 * no-op cache's key (cache.ts) changes whenever they do.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type * as TsMorph from "ts-morph";
import { CodegenError, type Where } from "../errors.js";
import type { Mode } from "./print-type.js";

export interface Question {
  /** The placeholder the printer wrote. */
  readonly token: string;
  /** A brand question: answered ` & $brand<...>` for the type's own top-level brands, else "" (never refused). */
  readonly brand?: boolean;
  /**
   * An enum question: answered with the enum's name when the compiler's answer is an enum the contract module
   * exports (generated types import it), else with this fallback (the union of its values). Never refused.
   */
  readonly enumFallback?: string;
  /** A type expression for the schema, from the contract's default export: `C["namespaces"]["/"]...`. */
  readonly access: string;
  readonly mode: Mode;
  readonly where: Where;
}

/** The placeholder for question `n`: no spaces or type syntax, so the printer's union and parenthesis logic leaves it whole. */
export const token = (n: number): string => `__iocontract_type_${n}__`;

/**
 * Whether a contract may use brands: `.brand` appears in its module or a module it imports by a relative path.
 * Brands leave no trace at run time, so finding them means asking the compiler about every part: only then.
 */
export function mayUseBrands(contractFile: string, seen = new Set<string>()): boolean {
  if (seen.has(contractFile) || seen.size > 200) return false;
  seen.add(contractFile);
  let text: string;
  try {
    text = readFileSync(contractFile, "utf8");
  } catch {
    return false;
  }
  if (/\.brand\b|\$brand\b/.test(text)) return true;
  for (const match of text.matchAll(/from\s+["'](\.{1,2}\/[^"']+)["']/g)) {
    const base = path.resolve(path.dirname(contractFile), match[1]!);
    const file = [base, `${base}.ts`, base.replace(/\.js$/, ".ts"), path.join(base, "index.ts")].find((f) => existsSync(f) && statSync(f).isFile());
    if (file !== undefined && mayUseBrands(file, seen)) return true;
  }
  return false;
}

/** The top-level `$brand<...>` members of a type's text (the compiler's answer), as ` & $brand<...>` suffixes. */
function ownBrands(text: string): string {
  const members = splitTopLevel(text, " & ");
  return members
    .filter((m) => /^\$brand<.*>$/.test(m))
    .map((m) => ` & ${m}`)
    .join("");
}

function splitTopLevel(text: string, separator: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "`") {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === "\\") i++;
      continue;
    }
    if ("{[(<".includes(ch)) depth++;
    else if ("}])>".includes(ch)) depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      out.push(text.slice(start, i));
      start = i + separator.length;
    }
  }
  out.push(text.slice(start));
  return out;
}

function nearestTsconfig(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const file = path.join(d, "tsconfig.json");
    if (existsSync(file)) return file;
    if (path.dirname(d) === d) return undefined;
  }
}

export interface Answers {
  /** token → type text. */
  readonly types: Map<string, string>;
  /** Enums the contract module exports that answers name: generated types import them from it. */
  readonly contractImports: string[];
}

/** Answers every question, or throws a CodegenError naming the first part it cannot print. */
export function askCompiler(contractFile: string, questions: readonly Question[]): Answers {
  const tsMorph = createRequire(import.meta.url)("ts-morph") as typeof TsMorph;
  const { Project, ts } = tsMorph;
  const dir = path.dirname(contractFile);
  const tsConfigFilePath = nearestTsconfig(dir);
  const project = new Project({
    ...(tsConfigFilePath !== undefined ? { tsConfigFilePath } : {}),
    skipAddingFilesFromTsConfig: true,
    compilerOptions: { strict: true, skipLibCheck: true, noEmit: true, ...(tsConfigFilePath === undefined ? { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022 } : {}) },
  });
  const contractSource = project.addSourceFileAtPath(contractFile);
  const specifier = `./${path.basename(contractFile).replace(/\.(c|m)?tsx?$/, "")}`;
  const lines = questions.map((q, i) => `export type Q${i} = z.${q.mode}<${q.access}>;`);
  const asking = project.createSourceFile(path.join(dir, `__iocontract_questions_${process.pid}.ts`), `import type * as z from "zod";\nimport type C0 from "${specifier}";\ntype C = typeof C0;\n${lines.join("\n")}\n`, { overwrite: true });
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType;
  const answers = new Map<string, string>();
  const contractImports = new Set<string>();
  const problems = asking.getPreEmitDiagnostics();
  questions.forEach((q, i) => {
    const problem = problems.find((d) => d.getLineNumber() === i + 4);
    if (q.enumFallback !== undefined) {
      const text = problem ? "" : asking.getTypeAliasOrThrow(`Q${i}`).getType().getText(undefined, flags);
      const name = /^(?:import\("[^"]*"\)\.)?([A-Za-z_$][\w$]*)$/.exec(text)?.[1];
      const exported = name === undefined ? undefined : contractSource.getExportedDeclarations().get(name);
      if (name !== undefined && exported?.length === 1 && exported[0]!.getKindName() === "EnumDeclaration") {
        answers.set(q.token, name);
        contractImports.add(name);
      } else {
        answers.set(q.token, q.enumFallback);
      }
      return;
    }
    if (q.brand) {
      // zod's $brand, however the compiler spells where it comes from.
      const text = problem ? "" : asking.getTypeAliasOrThrow(`Q${i}`).getType().getText(undefined, flags).replaceAll("'", '"');
      answers.set(q.token, ownBrands(text.replace(/(?:import\("[^"]*"\)|\b[A-Za-z_$][\w$]*)\.\$brand</g, "$brand<")));
      return;
    }
    if (problem !== undefined) {
      throw new CodegenError(`the TypeScript compiler cannot type this part (${flatten(problem.getMessageText())}): declare its type with \`.meta({ tsType: "..." })\``, q.where);
    }
    const text = asking.getTypeAliasOrThrow(`Q${i}`).getType().getText(undefined, flags).replaceAll("'", '"');
    if (/\bany\b/.test(text)) {
      throw new CodegenError(`the TypeScript compiler types this part \`${text}\`, and iocontract never prints \`any\`: declare its type with \`.meta({ tsType: "..." })\``, q.where);
    }
    answers.set(q.token, text);
  });
  // Each answer must stand alone in a generated file, which imports nothing from the contract.
  const standalone = project.createSourceFile(
    path.join(dir, `__iocontract_answers_${process.pid}.ts`),
    `import type { $brand } from "zod";\n${questions.map((q, i) => `export type A${i} = ${q.brand || q.enumFallback !== undefined ? "$brand" : answers.get(q.token)!};`).join("\n")}\n`,
    { overwrite: true },
  );
  const unresolved = standalone.getPreEmitDiagnostics();
  questions.forEach((q, i) => {
    const problem = unresolved.find((d) => d.getLineNumber() === i + 2 && d.getCode() !== 6196);
    if (problem === undefined || q.brand || q.enumFallback !== undefined) return;
    const name = /Cannot find name '([^']+)'/.exec(flatten(problem.getMessageText()))?.[1];
    const answer = answers.get(q.token)!;
    throw new CodegenError(
      name !== undefined
        ? `the TypeScript compiler types this part \`${answer}\`, which names ${name}, a type of the contract's own modules that generated code cannot see: declare the type with \`.meta({ tsType: "..." })\` written with global types only, or pipe into a schema`
        : `the TypeScript compiler's type for this part, \`${answer}\`, does not stand on its own (${flatten(problem.getMessageText())}): declare it with \`.meta({ tsType: "..." })\``,
      q.where,
    );
  });
  return { types: answers, contractImports: [...contractImports].sort() };
}

function flatten(message: string | TsMorph.DiagnosticMessageChain): string {
  return typeof message === "string" ? message : message.getMessageText();
}

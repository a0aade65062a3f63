/**
 * Types zod cannot say at run time (a transform's output, `z.custom<T>()`), asked of the TypeScript compiler:
 * the printer leaves a placeholder for each, and this module answers them all in one type-check of a small
 * file next to the contract: `type Q0 = z.output<(typeof contract)["namespaces"]["/"]...>`.
 *
 * An answer must stand on its own in a generated file, which imports from the contract module only what it
 * exports: it is checked once more in a file that imports just those types (and must mean the same type there),
 * and an answer that names any other type that is not global is refused, naming it and the export to add.
 *
 * Only contracts with such parts load ts-morph here; the placeholders' answers are part of the model, so the
 * no-op cache's key (cache.ts) changes whenever they do.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type * as TsMorph from "ts-morph";
import { CodegenError, type Where } from "../errors.js";
import type { Mode } from "./print-type.js";
import { resolveRelative, rootOf, sliceContract } from "./brand-slice.js";
import { brandsOf, normalizeBrands } from "./brands.js";

export interface Question {
  /** The placeholder the printer wrote. */
  readonly token: string;
  /** A brand question: answered ` & $brand<...>` for the type's own top-level brands, else "" (never refused). */
  readonly brand?: boolean;
  /**
   * A brand question's parts whose brands the printed text already has (see model.ts `brandsThrough`): left out
   * of the answer. `every`: only the brands all of them carry (a union's options); else any of them.
   */
  readonly subtract?: { readonly accesses: readonly string[]; readonly every: boolean };
  /**
   * A brand question's schema met at other places too: `.brand()` returns the schema it is called on, so one
   * schema object may be branded in one place and not (or otherwise) in another, which the printer, keyed by
   * schema, cannot tell apart: refused.
   */
  readonly others?: ReadonlyArray<{ readonly access: string; readonly where: Where }>;
  /** Where the schema is first met, described (for that refusal). */
  readonly firstSite?: string;
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

/** What {@link mayUseBrands} looks for: any brand, or one on the input side (`.brand<"X", "inout">()`, `"in"`). */
const BRAND_TEXT = /\.brand\b|\$brand\b/;
export const INPUT_BRAND_TEXT = /\.brand\s*<[^>]*,\s*["'](?:in|inout)["']|\$ZodBranded\b/;

/**
 * Whether a contract may use brands: `.brand` appears in its module or a module it imports by a relative path.
 * Brands leave no trace at run time, so finding them means asking the compiler about every part: only then
 * (and about the input side only where an input-side brand may be).
 */
export function mayUseBrands(contractFile: string, pattern: RegExp = BRAND_TEXT, seen = new Set<string>()): boolean {
  if (seen.has(contractFile) || seen.size > 200) return false;
  seen.add(contractFile);
  let text: string;
  try {
    text = readFileSync(contractFile, "utf8");
  } catch {
    return false;
  }
  if (pattern.test(text)) return true;
  for (const match of text.matchAll(/from\s+["'](\.{1,2}\/[^"']+)["']/g)) {
    const file = resolveRelative(contractFile, match[1]!);
    if (file !== undefined && mayUseBrands(file, pattern, seen)) return true;
  }
  return false;
}

/**
 * Whether what the contract module imports from `specifier` may carry a brand: a relative module (or one it
 * imports) with brand text; zod and iocontract's own packages never; any other package may.
 */
function importMayBrand(contractFile: string, specifier: string): boolean {
  if (specifier.startsWith(".")) {
    const file = resolveRelative(contractFile, specifier);
    return file === undefined || mayUseBrands(file);
  }
  return !/^(?:zod|@iocontract\/runtime|iocontract)(?:\/|$)/.test(specifier);
}

const packageNames = new Map<string, string | undefined>();
/** The name in the nearest package.json above a folder. */
function packageNameOf(dir: string): string | undefined {
  if (packageNames.has(dir)) return packageNames.get(dir);
  let name: string | undefined;
  const file = path.join(dir, "package.json");
  if (existsSync(file)) {
    try {
      name = (JSON.parse(readFileSync(file, "utf8")) as { name?: string }).name;
    } catch {
      name = undefined;
    }
  } else if (path.dirname(dir) !== dir) {
    name = packageNameOf(path.dirname(dir));
  }
  packageNames.set(dir, name);
  return name;
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
  /**
   * Types of the contract module that answers name (its TypeScript enums, and the interfaces, type aliases,
   * enums and classes it exports or re-exports): generated types import them from it, as `Name` or
   * `Exported as Name`.
   */
  readonly contractImports: string[];
  /** Where each imported name was first needed (for a clash with a generated name). */
  readonly importedAt: ReadonlyMap<string, Where>;
}

/** Declarations a generated file can import by name. */
const TYPE_KINDS = new Set(["InterfaceDeclaration", "TypeAliasDeclaration", "EnumDeclaration", "ClassDeclaration"]);

/** Answers every question, or throws a CodegenError naming the first part it cannot print. */
export function askCompiler(contractFile: string, questions: readonly Question[]): Answers {
  return askIn("lean", contractFile, questions) ?? askIn("full", contractFile, questions)!;
}

/**
 * The environment the compiler is asked in. "full": the contract's own tsconfig. "lean": the same without the
 * global types of `types` (\@types/node: 2 MB of declarations to parse) and the DOM libraries, which zod's types
 * do not need, and the contract's literal is not checked against defineContract's parameter type (below). An
 * answer from the lean environment is used only when the contract module, the modules it
 * imports by path and every question type-check there without a single diagnostic; otherwise (a contract that
 * uses Node's or the DOM's globals, or one with errors) the questions are asked again in the full environment.
 */
type Environment = "lean" | "full";
const AS_IS = "__iocontract_as_is";

function askIn(environment: Environment, contractFile: string, questions: readonly Question[]): Answers | undefined {
  const tsMorph = createRequire(import.meta.url)("ts-morph") as typeof TsMorph;
  const { Project, ts } = tsMorph;
  const dir = path.dirname(contractFile);
  const tsConfigFilePath = nearestTsconfig(dir);
  const project = new Project({
    ...(tsConfigFilePath !== undefined ? { tsConfigFilePath } : {}),
    skipAddingFilesFromTsConfig: true,
    compilerOptions: {
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      ...(tsConfigFilePath === undefined
        ? {
            module: ts.ModuleKind.ESNext,
            moduleResolution: ts.ModuleResolutionKind.Bundler,
            target: ts.ScriptTarget.ES2022,
          }
        : {}),
    },
  });
  if (environment === "lean") {
    const options = project.getCompilerOptions();
    const lib = (options.lib ?? [ts.getDefaultLibFileName(options).replace(/\.full\.d\.ts$/, ".d.ts")]).filter(
      (name) => !/dom|webworker|scripthost/i.test(name),
    );
    // Unused names are no concern of the questions (and defineContract goes unused here: see AS_IS).
    project.compilerOptions.set({ types: [], lib, noUnusedLocals: false, noUnusedParameters: false });
  }
  // The questions, one line each: `Q<i>` for question i, `S<i>_<j>` for the parts a brand question leaves out,
  // `O<i>_<j>` for its schema's other places. A brand question about a part the slice shows cannot be branded
  // gets no line: its answer is "no brand" (see brand-slice.ts).
  const text = readFileSync(contractFile, "utf8");
  const slice = sliceContract(ts, contractFile, text, (from) => importMayBrand(contractFile, from));
  const mayBeBranded = (access: string) => {
    const root = rootOf(access);
    return root === undefined || slice.roots.get(root) !== false;
  };
  const lines: string[] = [];
  const questionLine = new Map<string, number>();
  const needed = new Set<string>();
  const ask = (name: string, mode: Mode, access: string): void => {
    lines.push(`export type ${name} = z.${mode}<${access}>;`);
    questionLine.set(name, lines.length + 3); // after the file's three lines of head
    const root = rootOf(access);
    if (root !== undefined) needed.add(root);
  };
  for (const [i, q] of questions.entries()) {
    if (!q.brand || mayBeBranded(q.access)) ask(`Q${i}`, q.mode, q.access);
    if (!q.brand) continue;
    if (mayBeBranded(q.access))
      for (const [j, access] of (q.subtract?.accesses ?? []).entries()) ask(`S${i}_${j}`, q.mode, access);
    for (const [j, other] of (q.others ?? []).entries())
      if (mayBeBranded(other.access)) ask(`O${i}_${j}`, q.mode, other.access);
  }
  if (lines.length === 0)
    return { types: new Map(questions.map((q) => [q.token, ""])), contractImports: [], importedAt: new Map() };
  // The compiler reads the contract with the parts no question reaches blanked out (same positions and lines).
  // In the lean environment, the contract's literal is passed to a function that only keeps its type, instead
  // of defineContract: the compiler then skips relating every schema to the contract's shape (each event's own
  // schema type against zod's \$ZodType, structurally); the schemas' own types are the same.
  const blanked = new Set([...slice.roots.keys()].filter((root) => !needed.has(root)));
  const contractSource = project.createSourceFile(
    contractFile,
    environment === "lean"
      ? `${slice.without(blanked, AS_IS)}\ndeclare function ${AS_IS}<const T>(def: T): T;\n`
      : slice.without(blanked),
    { overwrite: true },
  );
  // With the extension every module resolution takes (NodeNext requires one; .ts is not allowed everywhere).
  const runtimeExtension = (file: string) =>
    file.replace(/\.(c|m)?tsx?$/, (_all, kind: string | undefined) => `.${kind ?? ""}js`);
  const specifier = `./${runtimeExtension(path.basename(contractFile))}`;
  const askingName = `__iocontract_questions_${process.pid}`;
  const asking = project.createSourceFile(
    path.join(dir, `${askingName}.ts`),
    `import type * as z from "zod";\nimport type C0 from "${specifier}";\ntype C = typeof C0;\n${lines.join("\n")}\n`,
    { overwrite: true },
  );
  // String literal types print double-quoted, escaped by the compiler (as the printer writes its own literals).
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias;
  const answers = new Map<string, string>();
  const problems = asking.getPreEmitDiagnostics();
  if (environment === "lean") {
    if (problems.length > 0) return undefined;
    // The contract module and what it imports by path, as the lean environment reads them: no diagnostic at all.
    // iocontract's own runtime is left out where it is read from source (a workspace): the lean environment
    // does not type the contract through it (AS_IS), and its own build checks it.
    const program = project.getProgram().compilerObject;
    for (const file of program.getSourceFiles()) {
      if (file.isDeclarationFile || /[\\/]node_modules[\\/]/.test(file.fileName)) continue;
      if (packageNameOf(path.dirname(file.fileName)) === "@iocontract/runtime") continue;
      if (program.getSyntacticDiagnostics(file).length > 0 || program.getSemanticDiagnostics(file).length > 0)
        return undefined;
    }
  }
  // Looked up once (ts-morph finds a declaration by name in a linear scan: quadratic over many questions).
  const aliases = new Map(asking.getTypeAliases().map((a) => [a.getName(), a] as const));
  const problemLines = new Set(problems.map((d) => d.getLineNumber()));
  /** The compiler's text for a line; "" for a question not asked (no brand) or one the compiler cannot answer. */
  const typeText = (name: string) => {
    const line = questionLine.get(name);
    return line === undefined || problemLines.has(line) ? "" : aliases.get(name)!.getType().getText(undefined, flags);
  };

  // The types the contract module exports, by the name the compiler prints (a declaration's own name).
  const exported = new Map<string, string>();
  for (const [exportName, declarations] of contractSource.getExportedDeclarations()) {
    for (const declaration of declarations) {
      if (!TYPE_KINDS.has(declaration.getKindName())) continue;
      const name = (declaration as unknown as { getName(): string | undefined }).getName();
      if (name !== undefined && (!exported.has(name) || exportName === name)) exported.set(name, exportName);
    }
  }
  const imports = new Map<string, string>();
  const importedAt = new Map<string, Where>();
  const useImport = (name: string, where: Where) => {
    if (!imports.has(name)) {
      imports.set(name, exported.get(name) === name ? name : `${exported.get(name)!} as ${name}`);
      importedAt.set(name, where);
    }
  };

  questions.forEach((q, i) => {
    const problem = problems.find((d) => d.getLineNumber() === questionLine.get(`Q${i}`));
    if (q.enumFallback !== undefined) {
      const text = typeText(`Q${i}`);
      const name = /^(?:import\("[^"]*"\)\.)?([A-Za-z_$][\w$]*)$/.exec(text)?.[1];
      const declarations = name === undefined ? undefined : contractSource.getExportedDeclarations().get(name);
      if (name !== undefined && declarations?.length === 1 && declarations[0]!.getKindName() === "EnumDeclaration") {
        answers.set(q.token, name);
        useImport(name, q.where);
      } else {
        answers.set(q.token, q.enumFallback);
      }
      return;
    }
    if (q.brand) {
      // zod's $brand, however the compiler spells where it comes from; less the brands the text already has.
      const brands = (name: string) => brandsOf(normalizeBrands(typeText(name)));
      const sets = (q.subtract?.accesses ?? []).map((_, j) => brands(`S${i}_${j}`));
      const known = q.subtract?.every
        ? (sets[0] ?? []).filter((b) => sets.every((set) => set.includes(b)))
        : sets.flat();
      const own = brands(`Q${i}`);
      for (const [j, other] of (q.others ?? []).entries()) {
        const there = brands(`O${i}_${j}`);
        if (there.length === own.length && there.every((b) => own.includes(b))) continue;
        const say = (set: string[]) => (set.length === 0 ? "no brand" : set.join(" & "));
        throw new CodegenError(
          `this schema is used here with ${say(there)} and at ${q.firstSite ?? "another place"} with ${say(own)}: ` +
            "`.brand()` returns the schema it is called on, so the generator cannot tell the two uses apart; " +
            "brand a copy (`schema.clone().brand<...>()`)",
          other.where,
        );
      }
      answers.set(
        q.token,
        own
          .filter((b) => !known.includes(b))
          .map((b) => ` & ${b}`)
          .join(""),
      );
      return;
    }
    if (problem !== undefined) {
      throw new CodegenError(
        `the TypeScript compiler cannot type this part (${flatten(problem.getMessageText())}): declare its type with \`.meta({ tsType: "..." })\``,
        q.where,
      );
    }
    const text = normalizeBrands(typeText(`Q${i}`));
    if (/\bany\b/.test(text)) {
      throw new CodegenError(
        `the TypeScript compiler types this part \`${text}\`, and iocontract never prints \`any\`: declare its type with \`.meta({ tsType: "..." })\``,
        q.where,
      );
    }
    answers.set(q.token, text);
  });

  // Each answer must stand alone in a generated file, which imports only the types the contract module
  // exports: a first check finds the names it needs, a second one checks the answers with those imports.
  const typed = questions.flatMap((q, i) => (q.brand || q.enumFallback !== undefined ? [] : [i]));
  const standalone = (withImports: boolean) => {
    const named = [...imports.values()];
    const contractImport =
      withImports && named.length > 0 ? `import type { ${named.join(", ")} } from "${specifier}";` : "";
    const asked = typed.map((i) => `Q${i}`).join(", ") || "Q0";
    const head = `import type { $brand } from "zod";\n${contractImport}\nimport type { ${asked} } from "./${askingName}.js";\n`;
    // An answer that needed an import must mean the compiler's own type: the same both ways.
    const same = typed.map(
      (i) =>
        `export type E${i} = [A${i}] extends [Q${i}] ? ([Q${i}] extends [A${i}] ? true : false) : false;\nexport const e${i}: E${i} = true;`,
    );
    const file = project.createSourceFile(
      path.join(dir, `__iocontract_answers_${process.pid}.ts`),
      `${head}${typed.map((i) => `export type A${i} = ${answers.get(questions[i]!.token)!};`).join("\n")}\n${withImports ? same.join("\n") : ""}\n`,
      { overwrite: true },
    );
    return file.getPreEmitDiagnostics().filter((d) => d.getCode() !== 6196 && d.getCode() !== 6133);
  };
  const lineOf = (k: number) => k + 4;
  const missing = typed.length > 0 ? standalone(false) : [];
  typed.forEach((i, k) => {
    const q = questions[i]!;
    for (const problem of missing.filter((d) => d.getLineNumber() === lineOf(k))) {
      const name = /Cannot find (?:name|namespace) '([^']+)'/.exec(flatten(problem.getMessageText()))?.[1];
      const answer = answers.get(q.token)!;
      if (name !== undefined && exported.has(name)) {
        useImport(name, q.where);
        continue;
      }
      throw new CodegenError(
        name !== undefined
          ? `the TypeScript compiler types this part \`${answer}\`, which names ${name}, ` +
              `${unexportedWhy(contractSource, name)}, or declare the type with \`.meta({ tsType: "..." })\``
          : `the TypeScript compiler's type for this part, \`${answer}\`, does not stand on its own ` +
              `(${flatten(problem.getMessageText())}): declare it with \`.meta({ tsType: "..." })\``,
        q.where,
      );
    }
  });
  if (imports.size > 0 && typed.length > 0) {
    const unresolved = standalone(true);
    typed.forEach((i, k) => {
      const problem = unresolved.find(
        (d) => d.getLineNumber() === lineOf(k) || d.getLineNumber() === lineOf(typed.length) + 2 * k + 1,
      );
      if (problem === undefined) return;
      throw new CodegenError(
        `the TypeScript compiler types this part \`${answers.get(questions[i]!.token)!}\`, ` +
          "which does not mean the same with the types the contract module exports imported " +
          `(${flatten(problem.getMessageText())}): declare it with \`.meta({ tsType: "..." })\``,
        questions[i]!.where,
      );
    });
  }
  return { types: answers, contractImports: [...imports.values()].sort(), importedAt };
}

/** Why a type the compiler named cannot be imported, and how to make it importable (a clause of the error). */
function unexportedWhy(contract: TsMorph.SourceFile, name: string): string {
  const declares = (file: TsMorph.SourceFile) =>
    file.getInterface(name) ?? file.getTypeAlias(name) ?? file.getEnum(name) ?? file.getClass(name);
  if (declares(contract) !== undefined) {
    return "a type the contract module declares without exporting it (generated code imports what the contract module exports): export it";
  }
  for (const importDeclaration of contract.getImportDeclarations()) {
    const from = importDeclaration.getModuleSpecifierValue();
    const file = from.startsWith(".") ? importDeclaration.getModuleSpecifierSourceFile() : undefined;
    const declaration = file === undefined ? undefined : declares(file);
    if (declaration === undefined) continue;
    const reexport = `\`export type { ${name} } from "${from}";\``;
    return (declaration as unknown as { isExported(): boolean }).isExported()
      ? `a type of ${from}, which the contract module does not re-export ` +
          `(generated code imports what the contract module exports): add ${reexport} to the contract module`
      : `a type ${from} declares without exporting it (generated code imports what the contract module exports): ` +
          `export it there and add ${reexport} to the contract module`;
  }
  return "a type generated code cannot see (it imports only what the contract module exports): export it from the contract module";
}

function flatten(message: string | TsMorph.DiagnosticMessageChain): string {
  return typeof message === "string" ? message : message.getMessageText();
}

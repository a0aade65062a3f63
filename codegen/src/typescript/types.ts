/**
 * The TypeScript stage: the language-neutral model (model.ts) → the TypeScript text the printers write. Every
 * named schema is printed here in both modes (print-type.ts), the TypeScript compiler is asked for what zod
 * cannot say (ts-types.ts), and each event part gets its type names. Needs no ts-morph printer: the no-op cache
 * (cache.ts) hashes this stage's result before any printer loads.
 */
import type { Schema } from "@iocontract/runtime/contract";
import type { Where } from "../errors.js";
import { type ContractModel, type SchemaUse, children, describeSite, schemaSites } from "../model.js";
import { type Mode, TypePrinter, defOf, docLines, tight as tightText } from "../schema/print-type.js";
import {
  INPUT_BRAND_TEXT,
  type Question,
  askCompiler as askTypeScript,
  mayUseBrands,
  token,
} from "../schema/ts-types.js";
import { INNERMOST_BRAND, brandsOf, splitTopLevel } from "../schema/brands.js";
import { childrenOf } from "@iocontract/runtime/v1/zod-kinds";

/**
 * The type names a signature uses for one schema position (see the table at {@link SchemaUse}): what a sender
 * writes (`input`), what travels (`wire`), what a receiver gets (`output`).
 */
export interface TypeUse {
  readonly input: string;
  readonly wire: string;
  readonly output: string;
}

/** A schema position's type names: `Foo`, and `FooInput` for zod's input side where the two differ. */
export function typeUse(use: SchemaUse): TypeUse {
  const wire = use.differs ? `${use.name}Input` : use.name;
  return { output: use.name, wire, input: use.encoded ? use.name : wire };
}

/** A member of a declared interface, as printed. */
export interface MemberModel {
  readonly key: string;
  readonly optional: boolean;
  readonly type: string;
  readonly docs: readonly string[];
}

/**
 * The printed body of a declaration in one mode: an interface's members, or a type alias's type text. Until the
 * compiler's answers are in, an object that may be branded also has its text as an alias (`branded`): it is
 * declared so when the compiler finds a brand (an interface cannot be `& $brand<...>`).
 */
export type DeclarationBody =
  | { readonly kind: "interface"; readonly members: readonly MemberModel[]; readonly branded?: string }
  | { readonly kind: "alias"; readonly type: string };

/** A named schema's declarations in the types file: its output type and, when they differ, its input type. */
export interface Declaration {
  readonly name: string;
  readonly differs: boolean;
  /** True when the schema holds a `z.codec()`: an event's sender writes the output type, encoded by the runtime. */
  readonly codec: boolean;
  /** The schema's JSDoc lines (description, string format). */
  readonly docs: readonly string[];
  readonly output: DeclarationBody;
  /** Set when `differs`: the `Input` twin. */
  readonly input: DeclarationBody | undefined;
}

/**
 * `<Event>Payload` / `<Event>Ack` for an event whose schema is declared under another name (a shared type, or a
 * primitive): an alias, so that every event has both names and implementers need not read generated files.
 */
export interface AliasModel {
  readonly name: string;
  /** What the alias names, for its JSDoc: `the payload of "my custom event" (namespace "/")`. */
  readonly what: string;
  readonly type: TypeUse;
}

export interface Caveat {
  readonly where: Where;
  readonly note: string;
}

/**
 * The model with its TypeScript text: what the TypeScript printers read. Plain data (the model's zod schemas
 * aside): cache.ts hashes it.
 */
export interface TypeScriptTypes {
  readonly model: ContractModel;
  readonly declarations: readonly Declaration[];
  readonly aliases: readonly AliasModel[];
  /** Schema parts that print with a caveat (`iocontract generate --explain`). */
  readonly caveats: readonly Caveat[];
  /** TypeScript enums the contract module exports that the types name: `types.gen.ts` imports them from it. */
  readonly contractImports: readonly string[];
  /** What the types name from zod: `$brand` where a brand is written (`string & $brand<"UserId">`), else nothing. */
  readonly zodImports: readonly string[];
}

/** The generated TypeScript files that declare names, each printed by its own printer. */
export type DeclaringFile = "types" | "server" | "client" | "emitter" | "index";

/**
 * {@link TypeScriptTypes} with the names each generated file declares, as its printer reported them and the clash
 * check (typescript/index.ts) accepted: what the TypeScript printers read.
 */
export interface TypeScriptModel extends TypeScriptTypes {
  /** Per file, the names it declares, in the order it declares them (files importing them list them so). */
  readonly declared: Readonly<Record<DeclaringFile, readonly string[]>>;
  /** Every name the generated TypeScript files declare (checked unique). */
  readonly names: readonly string[];
}

export interface TypeScriptOptions {
  /** Print `z.any()` as `unknown` (with a JSDoc note) instead of refusing it. Default false. */
  readonly allowAny?: boolean;
  /**
   * The contract module's absolute path: lets the generator ask the TypeScript compiler for the types zod cannot
   * say (a transform's output, `z.custom<T>()`). Without it, those parts are refused.
   */
  readonly contractFile?: string;
}

/**
 * Prints every named schema of a model in both modes (so unsupported constructs fail here, with their path) and
 * asks the compiler what zod cannot say. `importedAt`: where the answers name each type imported from the
 * contract module (names.ts checks it against the declared names).
 */
export function typeScriptTypes(
  model: ContractModel,
  options: TypeScriptOptions = {},
): { types: TypeScriptTypes; importedAt: ReadonlyMap<string, Where> } {
  const { names, first, others: otherAccess } = schemaSites(model);
  const base: Where = { contract: model.name, file: model.file };
  const accessOf = (schema: Schema) => first.get(schema)?.access;

  // Types zod cannot say (a transform's output, z.custom<T>()): placeholders now, the compiler's answers below.
  const questions: Question[] = [];
  const asked = new Map<string, string>();
  const askCompiler =
    options.contractFile === undefined
      ? undefined
      : (schema: Schema, mode: Mode, where: Where): string | undefined => {
          const at = accessOf(schema);
          if (at === undefined) return undefined;
          const key = `${mode} ${at}`;
          let placeholder = asked.get(key);
          if (placeholder === undefined) {
            placeholder = token(questions.length);
            asked.set(key, placeholder);
            questions.push({ token: placeholder, access: at, mode, where });
          }
          return placeholder;
        };
  const inputBrands = options.contractFile !== undefined && mayUseBrands(options.contractFile, INPUT_BRAND_TEXT);
  const askBrand =
    options.contractFile === undefined || !mayUseBrands(options.contractFile)
      ? undefined
      : (schema: Schema, mode: Mode): number | undefined => {
          const at = accessOf(schema);
          if (at === undefined || (mode === "input" && !inputBrands)) return undefined;
          // zod brands the output side, and the input side too for `.brand<"X", "inout">()`.
          const key = `brand ${mode} ${at}`;
          let placeholder = asked.get(key);
          if (placeholder === undefined) {
            placeholder = token(questions.length);
            asked.set(key, placeholder);
            const others = otherAccess.get(schema);
            questions.push({
              token: placeholder,
              access: at,
              mode,
              where: base,
              brand: true,
              ...brandsThrough(schema, mode, at),
              ...(others ? { others, firstSite: describeSite(first.get(schema)!.where) } : {}),
            });
          }
          return Number(/\d+/.exec(placeholder)![0]);
        };
  const askEnum =
    options.contractFile === undefined
      ? undefined
      : (schema: Schema, _mode: Mode, where: Where, values: string): string | undefined => {
          const at = accessOf(schema);
          if (at === undefined) return undefined;
          const key = `enum ${at}`;
          let placeholder = asked.get(key);
          if (placeholder === undefined) {
            placeholder = token(questions.length);
            asked.set(key, placeholder);
            questions.push({ token: placeholder, access: at, mode: "output", where, enumFallback: values });
          }
          return placeholder;
        };
  const printer = new TypePrinter(names, {
    allowAny: options.allowAny === true,
    ...(askCompiler ? { askCompiler } : {}),
    ...(askBrand ? { askBrand } : {}),
    ...(askEnum ? { askEnum } : {}),
  });
  // Print every declaration in both modes now, so unsupported constructs fail here, with their path.
  let declarations: Declaration[] = model.schemas.map((d) => {
    const output = declarationBody(printer, d.schema, "output", d.where);
    const input = declarationBody(printer, d.schema, "input", d.where);
    return {
      name: d.name,
      differs: d.differs,
      codec: d.codec,
      docs: docLines(d.schema),
      output,
      input: d.differs ? input : undefined,
    };
  });
  let contractImports: string[] = [];
  let zodImports: string[] = [];
  let importedAt: ReadonlyMap<string, Where> = new Map();
  if (questions.length > 0) {
    const answered = askTypeScript(options.contractFile!, questions);
    const answers = answered.types;
    contractImports = answered.contractImports;
    importedAt = answered.importedAt;
    for (const q of questions)
      if (!q.brand && q.enumFallback === undefined)
        printer.noteCaveat(q.where, `typed by the TypeScript compiler: \`${answers.get(q.token)!}\``);
    declarations = declarations.map((d) => {
      const filled = fillAnswers(d, answers);
      if (filled.brands) zodImports = ["$brand"];
      return filled.declaration;
    });
  }

  // Every event's `<Event>Payload` / `<Event>Ack`: its declaration's own name, or else an alias of the type it uses.
  const aliases: AliasModel[] = [];
  for (const ns of model.namespaces) {
    for (const direction of ["clientToServer", "serverToClient", "serverToServer"] as const) {
      for (const ev of ns[direction]) {
        const typeBase = `${ns.typePrefix}${ev.ident.charAt(0).toUpperCase()}${ev.ident.slice(1)}`;
        for (const [part, use] of [
          ["payload", ev.payload],
          ["ack", ev.ack],
        ] as const) {
          const name = `${typeBase}${part === "payload" ? "Payload" : "Ack"}`;
          if (use === undefined || use.name === name) continue;
          aliases.push({
            name,
            what: `the ${part} of ${JSON.stringify(ev.wire)} (namespace ${JSON.stringify(ns.path)})`,
            type: typeUse(use),
          });
        }
      }
    }
  }

  return {
    types: { model, declarations, aliases, caveats: [...printer.caveats.values()], contractImports, zodImports },
    importedAt,
  };
}

/**
 * Replaces the compiler's placeholders in a declaration's text, parenthesized where `[]` or `&` would bind wrongly,
 * then writes the brands. A branded object declared as an interface becomes an alias (`{ ... } & $brand<"X">`).
 * `brands`: whether the declaration's text names zod's `$brand` (a brand written here, or an answer naming one).
 */
function fillAnswers(
  d: Declaration,
  answers: ReadonlyMap<string, string>,
): { declaration: Declaration; brands: boolean } {
  /** Set by {@link fill} when the text it returns names `$brand`. */
  let named = false;
  const fill = (text: string) => {
    // A loose answer (a union) gets parentheses only where the printer would have written them: before `[]` or
    // `?`, and beside `&`.
    text = text.replace(/__iocontract_type_\d+__/g, (t, offset: number, whole: string) => {
      const answer = answers.get(t)!;
      // The compiler's answer (text: the compiler speaks TypeScript) may name zod's brand type itself.
      if (answer.includes("$brand<")) named = true;
      const after = whole.slice(offset + t.length, offset + t.length + 2);
      const needs =
        after.startsWith("[") ||
        after.startsWith("?") ||
        after === " &" ||
        whole.slice(Math.max(0, offset - 2), offset) === "& ";
      return needs ? tightText(answer) : answer;
    });
    // Brands, innermost first: `<open N>text<close N>` → `text & $brand<...>`, leaving out a brand the text
    // already carries as a whole (a wrapper's type is its inner schema's).
    for (let m = INNERMOST_BRAND.exec(text); m !== null; m = INNERMOST_BRAND.exec(text)) {
      const before = text.slice(0, m.index);
      const after = text.slice(m.index + m[0].length);
      const inner = distinctMembers(m[2]!);
      const have = brandsOf(inner);
      const add = brandsOf(`unknown${answers.get(token(Number(m[1])))!}`).filter((b) => !have.includes(b));
      // `readonly` takes an array or tuple type only; zod's type for a readonly branded array drops the brand too.
      // Parentheses for a union or a function type; an intersection takes one more member as it is.
      const loose =
        splitTopLevel(inner, " | ").length > 1 ||
        splitTopLevel(inner, "=>").length > 1 ||
        inner.startsWith("readonly ");
      const write = add.length > 0 && !/\breadonly $/.test(before);
      if (write) named = true;
      let branded = write ? `${loose ? `(${inner})` : inner} & ${add.join(" & ")}` : inner;
      if (/^(?:\[|\?| &)/.test(after) || /& $/.test(before)) branded = tightText(branded);
      text = before + branded + after;
    }
    return distinctMembers(text);
  };
  let brands = false;
  const body = (b: DeclarationBody): DeclarationBody => {
    named = false;
    if (b.kind === "alias") {
      const type = fill(b.type);
      brands ||= named;
      return { kind: "alias", type };
    }
    if (b.branded !== undefined) {
      const alias = fill(b.branded);
      if (brandsOf(alias).length > 0) {
        brands ||= named;
        return { kind: "alias", type: alias };
      }
      named = false;
    }
    const members = b.members.map((m) => ({ ...m, type: fill(m.type) }));
    brands ||= named;
    return { kind: "interface", members };
  };
  const declaration = { ...d, output: body(d.output), input: d.input && body(d.input) };
  return { declaration, brands };
}

/**
 * A union's members once each: members that differ only by their brand marks (`string`, a brand question
 * answered "nothing", beside `string`) are one member again once the brands are written.
 */
function distinctMembers(text: string): string {
  const members = splitTopLevel(text, " | ");
  const distinct = [...new Set(members)];
  return distinct.length < members.length ? distinct.join(" | ") : text;
}

/**
 * An object schema (without a catchall other than `z.unknown()`) is declared as an interface, one member a line;
 * anything else as a type alias. Interface members are printed from column 0: ts-morph indents them.
 */
function declarationBody(printer: TypePrinter, schema: Schema, mode: Mode, where: Where): DeclarationBody {
  const def = defOf(schema);
  const catchall = def["catchall"] as Schema | undefined;
  if (def.type === "object" && (catchall === undefined || defOf(catchall).type !== "unknown")) {
    const members = printer.objectMembers(schema, mode, where, "");
    // An empty interface would accept any string, number or boolean; zod's type is Record<string, never>.
    if (members.length > 0) {
      if (printer.options.askBrand === undefined) return { kind: "interface", members };
      return { kind: "interface", members, branded: printer.print(schema, mode, where, "", schema) };
    }
  }
  return { kind: "alias", type: printer.print(schema, mode, where, "", schema) };
}

/**
 * Where a schema's type is made of other schemas' types as a whole (a wrapper's inner schema, a pipe's side, a
 * union's options, an intersection's sides): their brands are already in the printed text (or behind a name),
 * so the compiler's answer for the schema leaves them out. A union's: the brands every option carries.
 */
function brandsThrough(schema: Schema, mode: Mode, at: string): Pick<Question, "subtract"> {
  const inside = children(schema);
  const roles = new Set(childrenOf(schema).map((child) => child.role));
  const all = inside.map(([, , step]) => `${at}${step}`);
  if (roles.has("option")) return { subtract: { accesses: all, every: true } };
  if (roles.has("in")) return { subtract: { accesses: [all[mode === "input" ? 0 : 1]!], every: false } };
  // A wrapper's or a lazy's inner schema, an intersection's sides.
  if (roles.size > 0 && [...roles].every((role) => role === "inner" || role === "left" || role === "right"))
    return { subtract: { accesses: all, every: false } };
  return {};
}

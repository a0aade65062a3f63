/**
 * A small tree of TypeScript types, printed once with precedence rules: the type printer (print-type.ts) builds
 * it from a schema, and parentheses and union members are decided here from the tree, not by re-reading printed
 * text. Text from outside the tree (a `.meta({ tsType })`, the compiler's answers in model.ts) is read once at
 * the boundary ({@link foreign}, {@link tight}).
 *
 * Precedence, loosest first: a union (`A | B`), an intersection (`A & B`), the `readonly` operator
 * (`readonly T[]`), a postfix `[]`; everything else (names, keywords, literals, tuples, object literals,
 * generics, placeholders, brand marks) is primary. An array's element, an optional tuple item (`T?`), a rest
 * element and an intersection's members are parenthesized below postfix; nothing else needs parentheses.
 */
import { brandMarkAt, brandMarks } from "./brands.js";

export type TypeNode =
  /** `string`, `unknown`, `null`, `undefined`... */
  | { readonly kind: "keyword"; readonly name: string }
  /** `"a"`, `1`, `true`: already written as TypeScript. */
  | { readonly kind: "literal"; readonly text: string }
  /** A declared or global name, with type arguments: `Chat`, `Record<K, V>`, `Readonly<T>`. */
  | { readonly kind: "reference"; readonly name: string; readonly args?: readonly TypeNode[] }
  /** A question's token, replaced later by an answer (model.ts): a compiler answer, an enum's name. */
  | { readonly kind: "placeholder"; readonly token: string }
  /** Text written by someone else (`.meta({ tsType })`), one union member; `loose` when it needs parentheses. */
  | { readonly kind: "foreign"; readonly text: string; readonly loose: boolean }
  | { readonly kind: "union"; readonly members: readonly TypeNode[] }
  | { readonly kind: "intersection"; readonly members: readonly TypeNode[] }
  | { readonly kind: "array"; readonly element: TypeNode }
  /** The `readonly` operator on an array or tuple type. */
  | { readonly kind: "readonly"; readonly operand: TypeNode }
  | {
      readonly kind: "tuple";
      readonly items: ReadonlyArray<{ readonly type: TypeNode; readonly optional: boolean }>;
      readonly rest?: TypeNode;
    }
  /** An object literal, one member a line (indented from the line it starts on). */
  | { readonly kind: "object"; readonly members: readonly ObjectMember[] }
  /** `{ [key: K]: V }` on one line. */
  | { readonly kind: "index"; readonly key: TypeNode; readonly value: TypeNode }
  /** A brand question's marks around a type (brands.ts): model.ts writes the brand, with its own parentheses. */
  | { readonly kind: "branded"; readonly question: number; readonly inner: TypeNode };

export interface ObjectMember {
  /** The property key as written (`name`, `"my key"`) or an index signature (`[key: string]`). */
  readonly key: string;
  readonly optional: boolean;
  readonly type: TypeNode;
  /** JSDoc lines (escaped when printed). */
  readonly docs: readonly string[];
}

export const keyword = (name: string): TypeNode => ({ kind: "keyword", name });
export const literal = (text: string): TypeNode => ({ kind: "literal", text });
export const reference = (name: string, ...args: TypeNode[]): TypeNode =>
  args.length === 0 ? { kind: "reference", name } : { kind: "reference", name, args };
export const placeholder = (token: string): TypeNode => ({ kind: "placeholder", token });
export const union = (...members: TypeNode[]): TypeNode => ({ kind: "union", members });
export const intersection = (...members: TypeNode[]): TypeNode => ({ kind: "intersection", members });
export const array = (element: TypeNode): TypeNode => ({ kind: "array", element });

/**
 * Foreign text as a node: split into union members at its top level (so a union it joins stays flat and without
 * repeats), each member marked loose where `[]` or `&` would bind wrongly.
 */
export function foreign(text: string): TypeNode {
  const members = unionMembers(text);
  if (members.length === 1) return { kind: "foreign", text, loose: tight(text) !== text };
  return union(...members.map((m): TypeNode => ({ kind: "foreign", text: m, loose: tight(m) !== m })));
}

enum Precedence {
  Union = 0,
  Intersection = 1,
  Operator = 2,
  Postfix = 3,
  Primary = 4,
}

/** Prints a tree. `indent` is the indentation of the line the type starts on (object members indent from it). */
export function printType(node: TypeNode, indent = ""): string {
  return printed(node, indent).text;
}

interface Printed {
  readonly text: string;
  readonly precedence: Precedence;
}

/** The node's text where its precedence must be at least `min`: parenthesized below it. */
function at(node: TypeNode, indent: string, min: Precedence): string {
  const { text, precedence } = printed(node, indent);
  return precedence < min ? `(${text})` : text;
}

function primary(text: string): Printed {
  return { text, precedence: Precedence.Primary };
}

function printed(node: TypeNode, indent: string): Printed {
  switch (node.kind) {
    case "keyword":
      return primary(node.name);
    case "literal":
      return primary(node.text);
    case "placeholder":
      return primary(node.token);
    case "reference":
      return primary(
        node.args === undefined ? node.name : `${node.name}<${node.args.map((a) => printType(a, indent)).join(", ")}>`,
      );
    case "foreign":
      return { text: node.text, precedence: node.loose ? Precedence.Union : Precedence.Primary };
    case "union": {
      // Flattened, each member once (`string | undefined` made optional again stays as it is).
      const members = new Map<string, Printed>();
      for (const member of flatten(node, [])) {
        const p = printed(member, indent);
        if (!members.has(p.text)) members.set(p.text, p);
      }
      if (members.size === 0) return primary("never");
      if (members.size === 1) return [...members.values()][0]!;
      return { text: [...members.keys()].join(" | "), precedence: Precedence.Union };
    }
    case "intersection":
      return {
        text: node.members.map((m) => at(m, indent, Precedence.Postfix)).join(" & "),
        precedence: Precedence.Intersection,
      };
    case "array":
      return { text: `${at(node.element, indent, Precedence.Postfix)}[]`, precedence: Precedence.Postfix };
    case "readonly":
      return { text: `readonly ${printType(node.operand, indent)}`, precedence: Precedence.Operator };
    case "tuple": {
      const items = node.items.map((item) =>
        item.optional ? `${at(item.type, indent, Precedence.Postfix)}?` : printType(item.type, indent),
      );
      if (node.rest !== undefined) items.push(`...${at(node.rest, indent, Precedence.Postfix)}[]`);
      return primary(`[${items.join(", ")}]`);
    }
    case "object": {
      const inner = `${indent}  `;
      const lines: string[] = [];
      for (const m of node.members) {
        lines.push(...jsDoc(m.docs, inner));
        lines.push(`${inner}${m.key}${m.optional ? "?" : ""}: ${printType(m.type, inner)};`);
      }
      return primary(`{\n${lines.join("\n")}\n${indent}}`);
    }
    case "index":
      return primary(`{ [key: ${printType(node.key, indent)}]: ${printType(node.value, indent)} }`);
    case "branded": {
      const { open, close } = brandMarks(node.question);
      return primary(`${open}${printType(node.inner, indent)}${close}`);
    }
  }
}

/** A union's members, nested unions' members in their place. */
function flatten(node: TypeNode, into: TypeNode[]): TypeNode[] {
  if (node.kind !== "union") into.push(node);
  else for (const member of node.members) flatten(member, into);
  return into;
}

/** JSDoc text cannot contain `*\/`: it would end the comment. */
export function escapeDoc(text: string): string {
  return text.replaceAll("*/", "*\\/");
}

/** JSDoc lines for a member: one line for one line of text, a block otherwise. */
function jsDoc(raw: readonly string[], indent: string): string[] {
  const docs = raw.map(escapeDoc);
  if (docs.length === 0) return [];
  if (docs.length === 1) return [`${indent}/** ${docs[0]} */`];
  return [`${indent}/**`, ...docs.map((d) => `${indent} * ${d}`), `${indent} */`];
}

/** The members of a union type's text, split at its top level only (not inside braces, brackets, generics). */
function unionMembers(text: string): string[] {
  const members: string[] = [];
  let start = 0;
  scanTopLevel(text, (i) => {
    if (text.startsWith(" | ", i)) {
      members.push(text.slice(start, i));
      start = i + 3;
    }
    return false;
  });
  members.push(text.slice(start));
  return members;
}

/**
 * Calls `visit(index)` for each character of a type's text that stands at its top level: outside brackets,
 * braces, parentheses and generics, outside string and template literals, and outside brand marks (a marked
 * text is parenthesized, if it needs it, when its brand is written: model.ts). Stops when `visit` returns true.
 */
function scanTopLevel(text: string, visit: (index: number) => boolean | undefined): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "`") {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === "\\") i++;
      continue;
    }
    const mark = brandMarkAt(text, i);
    if (mark !== undefined) {
      depth += mark.depth;
      i += mark.length - 1;
      continue;
    }
    if ("{[(<".includes(ch)) depth++;
    else if ("}])".includes(ch) || (ch === ">" && text[i - 1] !== "=")) depth--;
    else if (depth === 0 && visit(i) === true) return;
  }
}

/**
 * Wraps a type's text in parentheses where `[]` or `&` would bind wrongly. For text from outside the tree: the
 * compiler's answers and brands model.ts writes into printed declarations.
 */
export function tight(text: string): string {
  let loose = text.startsWith("readonly ");
  scanTopLevel(text, (i) => (loose ||= text[i] === "|" || text[i] === "&" || text.startsWith("=>", i)));
  return loose ? `(${text})` : text;
}

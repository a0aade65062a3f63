/**
 * Which parts of a contract may carry a brand, read from its source text, and the contract's text with the
 * other parts left out (the "slice" the TypeScript compiler is asked about).
 *
 * Why: brands leave no trace at run time, so the generator asks the compiler which brands each schema part
 * carries (ts-types.ts). Asking through the contract's default export makes the compiler type the whole
 * `defineContract({...})` call: every event's zod calls and the check of the literal against the contract's
 * shape. On a 1,000-event contract that alone is several seconds, whatever the number of brands. A brand can
 * only come from text that says so (`.brand`, `$brand`), in the event's own expression or in a declaration it
 * names (followed through the module's top-level declarations and its relative imports). An event or named type
 * whose expression cannot reach such text carries no brand: its brand questions are answered "none" without the
 * compiler, and its property is blanked out of the text the compiler reads, so the compiler types only the parts
 * that may be branded (or that other questions need). The cost then grows with the branded parts, not with the
 * contract.
 *
 * Only a contract whose default export is written as the usual object literal (directly in the call, or in a
 * `const` the default export names) is sliced; anything this module cannot read with certainty (a spread, a
 * computed key, a namespace or event map that is not an object literal) is kept and asked about, as before.
 * Blanking replaces text with spaces, so every position and line in the contract module stays where it was.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type * as TsMorph from "ts-morph";

type Ts = typeof TsMorph.ts;
type Node = TsMorph.ts.Node;

/** What the default export's literal says about each event and named type ("roots"). */
export interface ContractSlice {
  /** root key (see {@link rootOf}) → whether its expression may carry a brand. Roots not listed: unknown. */
  readonly roots: ReadonlyMap<string, boolean>;
  /**
   * The contract's text with the given roots' properties blanked out (positions kept). `callee`: the function
   * the contract's literal is passed to is replaced by this name (the text grows by the difference in length
   * on that line only).
   */
  readonly without: (roots: ReadonlySet<string>, callee?: string) => string;
}

const KEY = String.raw`\["(?:[^"\\]|\\.)*"\]`;
const ROOT = new RegExp(
  `^C(?:\\["namespaces"\\]${KEY}\\["(?:clientToServer|serverToClient|serverToServer)"\\]|\\["types"\\])${KEY}`,
);

/** The access model.ts writes for a key: `["name"]`. */
const step = (key: string) => `[${JSON.stringify(key)}]`;

/**
 * The root an access (`C["namespaces"]["/"]["clientToServer"]["x"]["payload"]...`, as model.ts writes them)
 * lies under, as the access to it: an event (`C["namespaces"]["/"]["clientToServer"]["x"]`) or a named type
 * (`C["types"]["Money"]`); undefined for other parts (auth, socketData, errors), which are always asked about.
 */
export function rootOf(access: string): string | undefined {
  return ROOT.exec(access)?.[0];
}

/** Text that can make a brand: a `.brand` call or zod's `$brand` type. */
const BRAND_TEXT = /\.brand\b|\$brand\b/;

/**
 * Reads the contract module's text. `importMayBrand(specifier)` says whether a module it imports may hold a
 * brand (ts-types.ts `mayUseBrands` for relative ones).
 */
export function sliceContract(
  ts: Ts,
  contractFile: string,
  text: string,
  importMayBrand: (specifier: string) => boolean,
): ContractSlice {
  const source = ts.createSourceFile(contractFile, text, ts.ScriptTarget.Latest, false, scriptKind(ts, contractFile));
  const roots = new Map<string, boolean>();
  const spans = new Map<string, Array<[number, number]>>();

  // The module's top-level names: its declarations, and what it imports (and from where).
  const declared = new Map<string, Node[]>();
  const imported = new Map<string, string>();
  const declare = (name: string, node: Node) => declared.set(name, [...(declared.get(name) ?? []), node]);
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const from = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause?.name) imported.set(clause.name.text, from);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) imported.set(bindings.name.text, from);
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) imported.set(el.name.text, from);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      declare(statement.name.text, statement);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations)
        for (const name of bindingNames(ts, d.name)) declare(name, d);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isModuleDeclaration(statement)) &&
      statement.name !== undefined &&
      ts.isIdentifier(statement.name)
    ) {
      declare(statement.name.text, statement);
    }
  }

  // Whether a piece of text may carry a brand: it says so, or a name it uses leads to text that does.
  const nameMayBrand = new Map<string, boolean>();
  const mayBrand = (node: Node): boolean => {
    if (BRAND_TEXT.test(node.getText(source))) return true;
    let found = false;
    const visit = (n: Node): void => {
      if (found) return;
      if (ts.isIdentifier(n) && byName(n.text)) {
        found = true;
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
    return found;
  };
  const byName = (name: string): boolean => {
    const known = nameMayBrand.get(name);
    if (known !== undefined) return known;
    nameMayBrand.set(name, false); // a cycle adds nothing: the answer is whatever the rest of the text says
    const from = imported.get(name);
    const result = from !== undefined ? importMayBrand(from) : (declared.get(name) ?? []).some((d) => mayBrand(d));
    nameMayBrand.set(name, result);
    return result;
  };

  // The default export's object literal: `export default f({...})`, or a const it names holding `f({...})`.
  const found = contractLiteral(ts, source, declared);
  const literal = found?.literal;
  if (literal !== undefined) {
    const blank = (root: string, node: Node) => {
      let end = node.getEnd();
      const after = text.slice(end).match(/^\s*,/);
      if (after) end += after[0].length;
      spans.set(root, [...(spans.get(root) ?? []), [node.getStart(source), end]]);
    };
    const readMap = (map: TsMorph.ts.Expression | undefined, rootFor: (key: string) => string) => {
      const entries = plainEntries(ts, map);
      if (entries === undefined) return;
      for (const [key, property, value] of entries) {
        const root = rootFor(key);
        roots.set(root, mayBrand(value));
        blank(root, property);
      }
    };
    const top = plainEntries(ts, literal);
    for (const [key, , value] of top ?? []) {
      if (key === "types") readMap(value, (name) => `C["types"]${step(name)}`);
      if (key !== "namespaces") continue;
      for (const [ns, , nsValue] of plainEntries(ts, value) ?? []) {
        for (const [direction, , events] of plainEntries(ts, nsValue) ?? []) {
          if (direction !== "clientToServer" && direction !== "serverToClient" && direction !== "serverToServer")
            continue;
          readMap(events, (wire) => `C["namespaces"]${step(ns)}${step(direction)}${step(wire)}`);
        }
      }
    }
  }

  const without = (left: ReadonlySet<string>, callee?: string): string => {
    const cut: Array<[number, number, string?]> = [...left].flatMap((root) => spans.get(root) ?? []);
    if (callee !== undefined && found !== undefined) cut.push([...found.callee, callee]);
    cut.sort((a, b) => a[0] - b[0]);
    let out = "";
    let at = 0;
    for (const [start, end, by] of cut) {
      out += text.slice(at, start) + (by ?? text.slice(start, end).replace(/[^\n\r]/g, " "));
      at = end;
    }
    return out + text.slice(at);
  };
  return { roots, without };
}

/** The names a declaration binds (`const { a, b: [c] } = ...` → a, c). */
function bindingNames(ts: Ts, name: TsMorph.ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((el) => (ts.isOmittedExpression(el) ? [] : bindingNames(ts, el.name)));
}

/** Strips `(...)`, `as T`, `satisfies T` and `!` around an expression. */
function bare(ts: Ts, e: TsMorph.ts.Expression): TsMorph.ts.Expression {
  for (;;) {
    if (
      ts.isParenthesizedExpression(e) ||
      ts.isAsExpression(e) ||
      ts.isSatisfiesExpression(e) ||
      ts.isNonNullExpression(e)
    )
      e = e.expression;
    else return e;
  }
}

function contractLiteral(
  ts: Ts,
  source: TsMorph.ts.SourceFile,
  declared: ReadonlyMap<string, Node[]>,
): { literal: TsMorph.ts.ObjectLiteralExpression; callee: [number, number] } | undefined {
  type Found = { literal: TsMorph.ts.ObjectLiteralExpression; callee: [number, number] };
  const fromExpression = (e: TsMorph.ts.Expression | undefined): Found | undefined => {
    if (e === undefined) return undefined;
    e = bare(ts, e);
    if (ts.isCallExpression(e) && e.arguments.length === 1 && e.typeArguments === undefined) {
      const arg = bare(ts, e.arguments[0]!);
      return ts.isObjectLiteralExpression(arg)
        ? { literal: arg, callee: [e.expression.getStart(source), e.expression.getEnd()] }
        : undefined;
    }
    if (ts.isIdentifier(e)) {
      const decls = declared.get(e.text);
      const d = decls?.length === 1 ? decls[0] : undefined;
      return d !== undefined && ts.isVariableDeclaration(d) && ts.isIdentifier(d.name)
        ? fromExpression(d.initializer)
        : undefined;
    }
    return undefined;
  };
  for (const statement of source.statements) {
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) return fromExpression(statement.expression);
  }
  return undefined;
}

/**
 * An object literal's properties as [key, property, value], when every one is a plain `key: value` (or
 * shorthand) with a literal key; undefined otherwise (a spread or a computed key could stand for any key).
 */
function plainEntries(
  ts: Ts,
  e: TsMorph.ts.Expression | undefined,
): Array<[string, Node, TsMorph.ts.Expression]> | undefined {
  if (e === undefined) return undefined;
  e = bare(ts, e);
  if (!ts.isObjectLiteralExpression(e)) return undefined;
  const out: Array<[string, Node, TsMorph.ts.Expression]> = [];
  for (const p of e.properties) {
    if (ts.isPropertyAssignment(p)) {
      const key = p.name;
      if (
        !(
          ts.isIdentifier(key) ||
          ts.isStringLiteral(key) ||
          ts.isNoSubstitutionTemplateLiteral(key) ||
          ts.isNumericLiteral(key)
        )
      )
        return undefined;
      out.push([ts.isNumericLiteral(key) ? String(Number(key.text)) : key.text, p, p.initializer]);
    } else if (ts.isShorthandPropertyAssignment(p)) {
      out.push([p.name.text, p, p.name]);
    } else {
      return undefined;
    }
  }
  return out;
}

function scriptKind(ts: Ts, file: string): TsMorph.ts.ScriptKind {
  return /\.[cm]?tsx$/.test(file) ? ts.ScriptKind.TSX : /\.[cm]?jsx?$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/** The file a relative import names, as ts-types.ts `mayUseBrands` resolves it. */
export function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  return [base, `${base}.ts`, base.replace(/\.js$/, ".ts"), path.join(base, "index.ts")].find(
    (f) => existsSync(f) && statSync(f).isFile(),
  );
}

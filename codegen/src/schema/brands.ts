/**
 * zod's brands in printed type text. A brand (`.brand<"UserId">()`) leaves no trace at run time, so the printer
 * marks each place one may sit, `<open N>text<close N>`, and the TypeScript compiler says which brands the schema
 * at that place carries (ts-types.ts); model.ts then writes `text & $brand<"UserId">` (parenthesized where the
 * text is a union, or where `[]`, `?` or `&` follows).
 */

const OPEN = "__iocontract_brand_open_";
const CLOSE = "__iocontract_brand_close_";

/** The marks around the text of question `n` (its answer is the token `__iocontract_type_n__`). */
export function brandMarks(n: number): { open: string; close: string } {
  return { open: `${OPEN}${n}__`, close: `${CLOSE}${n}__` };
}

/** The length of a brand mark starting at `index` of `text`, with +1 for an opening and -1 for a closing one. */
export function brandMarkAt(text: string, index: number): { length: number; depth: 1 | -1 } | undefined {
  if (text.charCodeAt(index) !== 95 /* _ */) return undefined;
  const open = text.startsWith(OPEN, index);
  if (!open && !text.startsWith(CLOSE, index)) return undefined;
  const end = text.indexOf("__", index + (open ? OPEN.length : CLOSE.length));
  return { length: end + 2 - index, depth: open ? 1 : -1 };
}

/** The innermost brand mark pair of a text: `<open N>inner<close N>` with no other opening inside. */
export const INNERMOST_BRAND = new RegExp(`${OPEN}(\\d+)__((?:(?!${OPEN})[\\s\\S])*?)${CLOSE}\\1__`);

/** Splits a type's text at `separator` where it stands at the top level (outside brackets and string literals). */
export function splitTopLevel(text: string, separator: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'" || ch === "`") {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === "\\") i++;
      continue;
    }
    if ("{[(<".includes(ch)) depth++;
    else if ("}])".includes(ch) || (ch === ">" && text[i - 1] !== "=")) depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      out.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  out.push(text.slice(start));
  return out.map((part) => part.trim());
}

/** `(...)` wrapping the whole text. */
function unwrap(text: string): string | undefined {
  if (!text.startsWith("(") || !text.endsWith(")")) return undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'" || ch === "`") {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === "\\") i++;
      continue;
    }
    if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0 && i !== text.length - 1) return undefined;
  }
  return text.slice(1, -1).trim();
}

/**
 * The brands a type's text carries as a whole: `$brand<...>` members of its top-level intersection, or those
 * every member of its top-level union carries (the compiler spreads `(A | B) & $brand<"X">` over the members,
 * and `boolean & $brand<"X">` over `false` and `true`).
 */
export function brandsOf(text: string): string[] {
  const members = splitTopLevel(text, " | ");
  if (members.length > 1) {
    const each = members.map(brandsOf);
    return each[0]!.filter((brand) => each.every((b) => b.includes(brand)));
  }
  const inner = unwrap(text);
  if (inner !== undefined) return brandsOf(inner);
  const parts = splitTopLevel(text, " & ");
  if (parts.length === 1) return /^\$brand<.*>$/s.test(text) ? [text] : [];
  return [...new Set(parts.flatMap(brandsOf))];
}

/** The compiler's spelling of zod's brand type (`z.$brand<`, `import("...").$brand<`, `z.core.$brand<`), as printed: `$brand<`. */
export function normalizeBrands(text: string): string {
  return text.replace(/(?:(?:import\("[^"]*"\)|[A-Za-z_$][\w$]*)\.)+\$brand</g, "$brand<");
}

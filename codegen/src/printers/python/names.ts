/** Python identifiers from wire names: "my custom event" → my_custom_event, "USER_JOINED" → user_joined. */
const WORD_SPLIT = /[^\p{L}\p{N}]+/u;

/** Python's keywords and soft keywords, and names a generated module must not shadow. */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  "False",
  "None",
  "True",
  "and",
  "as",
  "assert",
  "async",
  "await",
  "break",
  "class",
  "continue",
  "def",
  "del",
  "elif",
  "else",
  "except",
  "finally",
  "for",
  "from",
  "global",
  "if",
  "import",
  "in",
  "is",
  "lambda",
  "nonlocal",
  "not",
  "or",
  "pass",
  "raise",
  "return",
  "try",
  "while",
  "with",
  "yield",
  "match",
  "case",
  "type",
  "_",
]);

/** Splits camelCase and separators: "myCustomEvent" and "my custom event" give the same words. */
function words(text: string): string[] {
  return text
    .split(WORD_SPLIT)
    .flatMap((w) => w.replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2").split(" "))
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** snake_case, or undefined when none can be derived (no letters, or starts with a digit). */
export function toSnake(text: string): string | undefined {
  const ident = words(text).join("_");
  return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(ident) ? ident : undefined;
}

/** "ChatAdmin" → "CHAT_ADMIN". */
export function toScreaming(pascal: string): string {
  return words(pascal).join("_").toUpperCase();
}

/** A valid Python identifier that is not a keyword. */
export function isPythonIdentifier(text: string): boolean {
  return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(text) && !PYTHON_KEYWORDS.has(text);
}

/** A Python string literal (JSON's escapes are Python's). */
export function pyString(text: string): string {
  return JSON.stringify(text);
}

/** A JSON value as a Python literal. */
export function pyLiteral(value: unknown, indent = ""): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return pyString(value);
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "None";
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${inner}${pyLiteral(v, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${pyString(k)}: ${pyLiteral(v, inner)},`).join("\n")}\n${indent}}`;
}

/** A docstring body: no text can end it early. */
export function docstring(lines: readonly string[], indent: string): string[] {
  const text = lines
    .filter((l) => l.length > 0)
    .join("\n\n")
    .replace(/\\/g, "\\\\")
    .replace(/"""/g, '\\"\\"\\"');
  if (text.length === 0) return [];
  const body = text.split("\n").map((l, i) => (i === 0 || l.length === 0 ? l : `${indent}${l}`));
  return body.length === 1 ? [`${indent}"""${body[0]}"""`] : [`${indent}"""${body.join("\n")}`, `${indent}"""`];
}

/** A `#` comment block. */
export function comment(lines: readonly string[], indent = ""): string[] {
  return lines.flatMap((l) => l.split("\n")).map((l) => (l.length === 0 ? `${indent}#` : `${indent}# ${l}`));
}

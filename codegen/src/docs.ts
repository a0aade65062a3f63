/**
 * A reference of the contract for people, from its snapshot (snapshot.ts): Markdown, and one self-contained HTML
 * page (inline style, no script, no external asset). Per namespace: auth, error codes with their details, and each
 * event with its direction, ack timeout, rate limit, and payload and ack fields as tables (type, required,
 * constraints, docs) with an example value.
 */
import { DEFAULT_ACK_TIMEOUT_MS } from "@iocontract/runtime/contract";
import type { JsonSchema } from "./json-schema.js";
import { UNPROVABLE } from "./json-schema.js";
import type { ContractSnapshot, Direction, EventSnapshot, NamespaceSnapshot } from "./snapshot.js";

const DIRECTION_TITLE: Record<Direction, string> = {
  clientToServer: "Client → server",
  serverToClient: "Server → client",
  serverToServer: "Server → server (inter-server)",
};

// ---- reading JSON Schema for people ----

function typeText(s: JsonSchema | boolean | undefined, depth = 0): string {
  if (s === undefined || s === true) return "any";
  if (s === false) return "never";
  if (depth > 4) return "…";
  if ("const" in s) return JSON.stringify(s["const"]);
  if (Array.isArray(s["enum"])) return (s["enum"] as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
  if (typeof s["$ref"] === "string")
    return s["$ref"] === "#" ? "(the same type, recursively)" : String(s["$ref"]).replace(/^#\/\$defs\//, "");
  const branches = (s["anyOf"] ?? s["oneOf"]) as JsonSchema[] | undefined;
  if (branches !== undefined) return branches.map((b) => typeText(b, depth + 1)).join(" | ");
  const t = s["type"];
  if (Array.isArray(t)) return (t as string[]).map((x) => typeText({ ...s, type: x }, depth + 1)).join(" | ");
  switch (t) {
    case "array": {
      if (Array.isArray(s["prefixItems"])) {
        const items = (s["prefixItems"] as JsonSchema[]).map((x) => typeText(x, depth + 1)).join(", ");
        const rest = s["items"] !== undefined && s["items"] !== false;
        return `[${items}${rest ? `, ...${typeText(s["items"] as JsonSchema, depth + 1)}[]` : ""}]`;
      }
      const item = typeText(s["items"] as JsonSchema | undefined, depth + 1);
      return /[ |]/.test(item) ? `(${item})[]` : `${item}[]`;
    }
    case "object": {
      const extra = s["additionalProperties"];
      if (s["properties"] === undefined && typeof extra === "object")
        return (
          `record<${typeText((s["propertyNames"] as JsonSchema | undefined) ?? { type: "string" }, depth + 1)}, ` +
          `${typeText(extra as JsonSchema, depth + 1)}>`
        );
      return "object";
    }
    case undefined:
      return "any";
    default:
      return String(t);
  }
}

function constraints(s: JsonSchema): string[] {
  const out: string[] = [];
  const say = (k: string, text: (v: unknown) => string) => {
    if (s[k] !== undefined) out.push(text(s[k]));
  };
  const chars = (v: unknown) => `${v} character${v === 1 ? "" : "s"}`;
  say("minLength", (v) => `at least ${chars(v)}`);
  say("maxLength", (v) => `at most ${chars(v)}`);
  say("format", (v) => `format ${v}`);
  if (s["format"] === undefined) say("pattern", (v) => `matches /${v}/`);
  say("minimum", (v) => (Math.abs(v as number) >= Number.MAX_SAFE_INTEGER ? "" : `≥ ${v}`));
  say("exclusiveMinimum", (v) => `> ${v}`);
  say("maximum", (v) => (Math.abs(v as number) >= Number.MAX_SAFE_INTEGER ? "" : `≤ ${v}`));
  say("exclusiveMaximum", (v) => `< ${v}`);
  say("multipleOf", (v) => `multiple of ${v}`);
  say("minItems", (v) => `at least ${v} item${v === 1 ? "" : "s"}`);
  say("maxItems", (v) => `at most ${v} item${v === 1 ? "" : "s"}`);
  say("default", (v) => `default ${JSON.stringify(v)}`);
  say(UNPROVABLE, (v) => `also checked in code: ${v}`);
  return out.filter(Boolean);
}

/** No simple value fits a string's pattern: the reference shows no example rather than a wrong one. */
class NoExample extends Error {}

/**
 * A value the schema accepts, for the reader: the simplest one that fits the bounds; undefined when a pattern
 * takes none of the plain candidates.
 */
export function exampleOf(s: JsonSchema | boolean | undefined): unknown {
  try {
    return exampleAt(s, typeof s === "object" ? s : {}, 0);
  } catch (error) {
    if (error instanceof NoExample) return undefined;
    throw error;
  }
}

function exampleAt(sIn: JsonSchema | boolean | undefined, root: JsonSchema, depth: number): unknown {
  let s = sIn;
  for (let i = 0; typeof s === "object" && typeof s["$ref"] === "string" && i < 20; i++) {
    const r = s["$ref"] as string;
    s =
      r === "#"
        ? root
        : ((root["$defs"] ?? {}) as Record<string, JsonSchema>)[decodeURIComponent(r.replace(/^#\/\$defs\//, ""))];
  }
  if (s === undefined || s === true || s === false || depth > 8) return null;
  if ("const" in s) return s["const"];
  if (Array.isArray(s["enum"])) return (s["enum"] as unknown[])[0];
  if (Array.isArray(s["examples"])) return (s["examples"] as unknown[])[0];
  const branches = (s["anyOf"] ?? s["oneOf"]) as JsonSchema[] | undefined;
  if (branches !== undefined) return exampleAt(branches[0], root, depth + 1);
  const t = Array.isArray(s["type"]) ? (s["type"] as string[])[0] : s["type"];
  const n = (k: string) => (typeof s[k] === "number" ? (s[k] as number) : undefined);
  switch (t) {
    case "string": {
      if (s["format"] === "email") return "ann@example.com";
      if (s["format"] === "date-time") return "2026-01-01T00:00:00Z";
      if (s["format"] === "uuid") return "00000000-0000-4000-8000-000000000000";
      const min = n("minLength") ?? 0;
      const fit = (c: string) => c.padEnd(min, c.slice(-1) || "x").slice(0, n("maxLength") ?? Infinity);
      const pattern = typeof s["pattern"] === "string" ? new RegExp(s["pattern"], "u") : undefined;
      const found = ["text", "abc", "a", "A1", "1", "12345", "a-b"]
        .map(fit)
        .find((c) => pattern === undefined || pattern.test(c));
      if (found === undefined) throw new NoExample();
      return found;
    }
    case "integer":
    case "number": {
      const lo = n("minimum") ?? (n("exclusiveMinimum") !== undefined ? n("exclusiveMinimum")! + 1 : undefined);
      const hi = n("maximum") ?? (n("exclusiveMaximum") !== undefined ? n("exclusiveMaximum")! - 1 : undefined);
      if (lo !== undefined && lo > 0) return lo;
      if (hi !== undefined && hi < 0) return hi;
      return 0;
    }
    case "boolean":
      return true;
    case "null":
      return null;
    case "array": {
      const prefix = ((s["prefixItems"] ?? []) as JsonSchema[]).map((x) => exampleAt(x, root, depth + 1));
      const min = Math.max((n("minItems") ?? 0) - prefix.length, 0);
      return [
        ...prefix,
        ...Array.from({ length: min }, () => exampleAt(s["items"] as JsonSchema | undefined, root, depth + 1)),
      ];
    }
    case "object": {
      const props = (s["properties"] ?? {}) as Record<string, JsonSchema>;
      const required = new Set((s["required"] ?? []) as string[]);
      const out: Record<string, unknown> = {};
      // Optional fields too, unless they lead back to where we are (a recursive type's optional link).
      for (const [k, x] of Object.entries(props)) {
        if (!required.has(k) && typeof x["$ref"] === "string") continue;
        out[k] = exampleAt(x, root, depth + 1);
      }
      return out;
    }
    default:
      return null;
  }
}

interface FieldRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly constraints: string;
  readonly doc: string;
}

/** One row per field of an object (nested objects' fields as `a.b`, array items as `a[]`); a non-object schema is one row. */
function fieldRows(s: JsonSchema, prefix = "", depth = 0): FieldRow[] {
  const props = s["properties"] as Record<string, JsonSchema> | undefined;
  if (props === undefined || depth > 4)
    return prefix === ""
      ? [
          {
            path: "(value)",
            type: typeText(s),
            required: true,
            constraints: constraints(s).join("; "),
            doc: String(s["description"] ?? ""),
          },
        ]
      : [];
  const required = new Set((s["required"] ?? []) as string[]);
  const rows: FieldRow[] = [];
  for (const [k, x] of Object.entries(props)) {
    const path = prefix === "" ? k : `${prefix}.${k}`;
    rows.push({
      path,
      type: typeText(x),
      required: required.has(k),
      constraints: constraints(x).join("; "),
      doc: String(x["description"] ?? ""),
    });
    if (x["properties"] !== undefined) rows.push(...fieldRows(x, path, depth + 1));
    const items = x["items"] as JsonSchema | undefined;
    if (x["type"] === "array" && typeof items === "object" && items["properties"] !== undefined)
      rows.push(...fieldRows(items, `${path}[]`, depth + 1));
  }
  return rows;
}

// ---- the document, as blocks both printers render ----

type Block =
  | { kind: "h"; level: number; text: string; id?: string }
  | { kind: "p"; text: string }
  | { kind: "table"; head: string[]; rows: string[][] }
  | { kind: "code"; text: string };

function anchor(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function schemaBlocks(title: string, sides: { input: JsonSchema } | undefined, out: Block[]): void {
  if (sides === undefined) {
    out.push({ kind: "p", text: `${title}: none.` });
    return;
  }
  out.push({ kind: "p", text: `${title}:` });
  out.push({
    kind: "table",
    head: ["Field", "Type", "Required", "Constraints", "Description"],
    rows: fieldRows(sides.input).map((r) => [r.path, r.type, r.required ? "yes" : "no", r.constraints, r.doc]),
  });
  const example = exampleOf(sides.input);
  if (example === undefined) {
    out.push({ kind: "p", text: "Example: none shown (a pattern decides; see the constraints)." });
  } else {
    out.push({ kind: "p", text: "Example:" });
    out.push({ kind: "code", text: JSON.stringify(example, null, 2) });
  }
}

function eventBlocks(path: string, direction: Direction, wire: string, ev: EventSnapshot, out: Block[]): void {
  out.push({ kind: "h", level: 4, text: wire, id: anchor(`${path} ${direction} ${wire}`) });
  const facts = [`${DIRECTION_TITLE[direction]}`, `identifier \`${ev.identifier}\``];
  if (ev.ack !== undefined) facts.push(`acknowledged (timeout ${ev.timeoutMs ?? DEFAULT_ACK_TIMEOUT_MS} ms)`);
  if (ev.rateLimit !== undefined)
    facts.push(
      `rate limit ${ev.rateLimit.perSecond}/s, burst ${ev.rateLimit.burst ?? Math.max(1, ev.rateLimit.perSecond)}`,
    );
  out.push({ kind: "p", text: facts.join(" · ") });
  if (ev.doc !== undefined) out.push({ kind: "p", text: ev.doc });
  schemaBlocks("Payload", ev.payload, out);
  if (ev.ack !== undefined) schemaBlocks("Ack", ev.ack, out);
}

function namespaceBlocks(path: string, ns: NamespaceSnapshot, out: Block[]): void {
  out.push({ kind: "h", level: 2, text: `Namespace ${path}`, id: anchor(`namespace ${path}`) });
  if (ns.doc !== undefined) out.push({ kind: "p", text: ns.doc });
  out.push({ kind: "h", level: 3, text: "Handshake auth" });
  if (ns.auth === undefined) out.push({ kind: "p", text: "None: any client may connect." });
  else schemaBlocks("Socket.IO's `auth` object (refused with UNAUTHORIZED when invalid)", ns.auth, out);
  const codes = Object.entries(ns.errors);
  out.push({ kind: "h", level: 3, text: "Error codes" });
  if (codes.length === 0) out.push({ kind: "p", text: "None beyond iocontract's own (docs/protocol.md)." });
  else {
    out.push({
      kind: "table",
      head: ["Code", "Details", "Example details"],
      rows: codes.map(([code, s]) => [
        code,
        fieldRows(s.input)
          .map((r) => `${r.path}: ${r.type}${r.required ? "" : " (optional)"}`)
          .join(", "),
        JSON.stringify(exampleOf(s.input)) ?? "(none shown: a pattern decides)",
      ]),
    });
  }
  for (const direction of ["clientToServer", "serverToClient", "serverToServer"] as const) {
    const events = Object.entries(ns[direction]);
    if (events.length === 0) continue;
    out.push({ kind: "h", level: 3, text: DIRECTION_TITLE[direction] });
    for (const [wire, ev] of events) eventBlocks(path, direction, wire, ev, out);
  }
}

function blocks(snapshot: ContractSnapshot): Block[] {
  const out: Block[] = [{ kind: "h", level: 1, text: `${snapshot.contract} ${snapshot.version}` }];
  if (snapshot.doc !== undefined) out.push({ kind: "p", text: snapshot.doc });
  out.push({
    kind: "p",
    text:
      "Generated by iocontract from the contract. Payload fields are what a sender may write; the receiver " +
      "checks them and refuses anything else with a correlated error.",
  });
  out.push({
    kind: "table",
    head: ["Namespace", "Client → server", "Server → client", "Server → server"],
    rows: Object.entries(snapshot.namespaces).map(([p, ns]) => [
      p,
      Object.keys(ns.clientToServer).join(", "),
      Object.keys(ns.serverToClient).join(", "),
      Object.keys(ns.serverToServer).join(", "),
    ]),
  });
  for (const [path, ns] of Object.entries(snapshot.namespaces)) namespaceBlocks(path, ns, out);
  return out;
}

// ---- Markdown ----

function mdCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function printMarkdown(snapshot: ContractSnapshot): string {
  const lines: string[] = [];
  for (const b of blocks(snapshot)) {
    if (b.kind === "h") lines.push(`${"#".repeat(b.level)} ${b.text}`, "");
    else if (b.kind === "p") lines.push(b.text, "");
    else if (b.kind === "code") lines.push("```json", b.text, "```", "");
    else
      lines.push(
        `| ${b.head.join(" | ")} |`,
        `| ${b.head.map(() => "---").join(" | ")} |`,
        ...b.rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`),
        "",
      );
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

// ---- HTML ----

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Inline `code` spans of the Markdown text, escaped. */
function inline(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;color:#1d1d1f;background:#fff}
h1{border-bottom:2px solid #3b5bdb}h2{margin-top:2.5rem;border-bottom:1px solid #ccd}h4{margin-bottom:.3rem;font-family:ui-monospace,monospace}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:14px}th,td{border:1px solid #dde;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f3f9}code,pre{font-family:ui-monospace,monospace;background:#f6f7f9;border-radius:3px}pre{padding:.5rem;overflow:auto}code{padding:0 .2rem}`;

export function printHtml(snapshot: ContractSnapshot): string {
  const body: string[] = [];
  for (const b of blocks(snapshot)) {
    if (b.kind === "h")
      body.push(`<h${b.level}${b.id !== undefined ? ` id="${esc(b.id)}"` : ""}>${inline(b.text)}</h${b.level}>`);
    else if (b.kind === "p") body.push(`<p>${inline(b.text)}</p>`);
    else if (b.kind === "code") body.push(`<pre><code>${esc(b.text)}</code></pre>`);
    else {
      body.push(
        `<table><thead><tr>${b.head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>`,
        ...b.rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join("")}</tr>`),
        "</tbody></table>",
      );
    }
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${snapshot.contract} ${snapshot.version}: real-time API reference`)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.join("\n")}
</body>
</html>
`;
}

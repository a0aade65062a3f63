/**
 * Python types from the wire-side JSON Schemas: objects as `TypedDict` (functional syntax when a key is not a
 * Python identifier or is a keyword), optional keys as `NotRequired`, `Literal` for consts and enums, unions,
 * `list`, `tuple`, `dict` for records, recursive types through `$ref`. Each object gets a name: the contract's
 * name for a top-level schema, else its parent's name and the key (`EverythingAddress`); two objects with the
 * same schema share the first name.
 */
import type { JsonSchema } from "../../json-schema.js";
import { toPascal } from "../../names.js";
import { comment, docstring, isPythonIdentifier, pyString } from "./names.js";

type Node = Record<string, unknown>;

interface Site {
  readonly root: Node;
  readonly rootName: string;
  /** `$defs` key → Python name, assigned on first reference. */
  readonly defs: Map<string, string>;
}

export class PythonTypes {
  /** Declarations in order, each its lines. */
  private readonly blocks: string[][] = [];
  private readonly declared = new Set<string>();
  private readonly byShape = new Map<string, string>();
  /** Names that are declared: references to them are quoted where Python evaluates them. */
  readonly names = new Set<string>();
  /** typing names the printed code uses. */
  readonly typing = new Set<string>();

  /** Gives `name` to a schema before anything prints, so schemas found inside others take it. */
  reserve(name: string, schema: JsonSchema): void {
    const node = schema as Node;
    const key = isObjectNode(node) || isComposite(node) ? shapeKey(node, "#") : undefined;
    if (key === undefined || this.byShape.has(key)) return;
    this.byShape.set(key, name);
    this.names.add(name);
  }

  /** Declares a top-level schema under `name` (once); `docs` go into its docstring. */
  declare(name: string, schema: JsonSchema, docs: readonly string[]): string {
    if (this.declared.has(name)) return name;
    const site: Site = { root: schema as Node, rootName: name, defs: new Map() };
    const node = schema as Node;
    if (isObjectNode(node)) {
      const printed = this.object(name, node, site, docs, "#");
      if (printed !== name) {
        // The same schema under another name: an alias.
        this.claim(name);
        this.typing.add("TypeAlias");
        this.blocks.push([...comment(docs), `${name}: TypeAlias = ${printed}`]);
      }
    } else {
      const key = isComposite(node) ? shapeKey(node, "#") : undefined;
      const known = key === undefined ? undefined : this.byShape.get(key);
      this.claim(name);
      let body: string;
      if (known !== undefined && known !== name) body = known;
      else {
        // Its own reservation must not make it an alias of itself.
        if (key !== undefined) this.byShape.delete(key);
        body = this.expr(node, name, site);
      }
      if (key !== undefined && known === undefined) this.byShape.set(key, name);
      const rhs = this.mentionsDeclared(body) ? pyString(body) : body;
      this.typing.add("TypeAlias");
      this.blocks.push([...comment(docs), `${name}: TypeAlias = ${rhs}`]);
    }
    return name;
  }

  /** The printed declarations. */
  print(): string {
    return this.blocks.map((b) => b.join("\n")).join("\n\n\n");
  }

  private claim(name: string): void {
    this.declared.add(name);
    this.names.add(name);
  }

  private fresh(hint: string): string {
    let name = hint;
    for (let i = 2; this.names.has(name); i++) name = `${hint}${i}`;
    return name;
  }

  /** Declares an object as a TypedDict, or reuses the name of one with the same schema. */
  private object(hint: string, node: Node, site: Site, docs: readonly string[], selfRef: string): string {
    const key = shapeKey(node, selfRef);
    const known = key === undefined ? undefined : this.byShape.get(key);
    if (known !== undefined && (known !== site.rootName || this.declared.has(known) || hint !== known)) return known;
    const name = hint === site.rootName && !this.declared.has(hint) ? hint : this.fresh(hint);
    if (key !== undefined) this.byShape.set(key, name);
    if (selfRef === "#") site.defs.set("#", name);
    this.typedDict(name, node, site, docs);
    return name;
  }

  /** Prints `name` as a TypedDict. */
  private typedDict(name: string, node: Node, site: Site, docs: readonly string[]): void {
    this.claim(name);
    const properties = (node["properties"] ?? {}) as Record<string, Node>;
    const required = new Set((node["required"] ?? []) as string[]);
    const fields = Object.entries(properties).map(([k, v]) => {
      let type = this.expr(v, `${name}${toPascal(k) || "Field"}`, site);
      if (!required.has(k)) {
        this.typing.add("NotRequired");
        type = `NotRequired[${type}]`;
      }
      const description = typeof v["description"] === "string" ? (v["description"] as string) : undefined;
      return { key: k, type, description };
    });
    const description = typeof node["description"] === "string" ? [node["description"] as string] : [];
    const allDocs = [...description, ...docs];
    this.typing.add("TypedDict");
    const lines: string[] = [];
    if (fields.every((f) => isPythonIdentifier(f.key))) {
      lines.push(`class ${name}(TypedDict):`);
      lines.push(...docstring(allDocs, "    "));
      for (const f of fields) {
        lines.push(`    ${f.key}: ${f.type}`);
        if (f.description !== undefined) lines.push(...docstring([f.description], "    "));
      }
      if (lines.length === 1) lines.push("    pass");
    } else {
      // A key Python cannot write as a class attribute (`from`, `quoted-key`): the functional syntax.
      lines.push(...comment(allDocs));
      const described = fields.filter((f) => f.description !== undefined);
      if (described.length > 0) lines.push(...comment(described.map((f) => `${f.key}: ${f.description}`)));
      lines.push(`${name} = TypedDict(`);
      lines.push(`    ${pyString(name)},`);
      lines.push("    {");
      for (const f of fields)
        lines.push(`        ${pyString(f.key)}: ${this.mentionsDeclared(f.type) ? pyString(f.type) : f.type},`);
      lines.push("    },");
      lines.push(")");
    }
    this.blocks.push(lines);
  }

  /** True when a type expression names a declared type (Python evaluates it: it must be quoted). */
  private mentionsDeclared(type: string): boolean {
    return type.split(/[^\w]+/).some((w) => this.names.has(w));
  }

  /** A type expression for a schema; `hint` names an object found inside. */
  expr(node: Node, hint: string, site: Site): string {
    if (isComposite(node)) {
      // A union or list declared under a name of its own: that name.
      const key = shapeKey(node, "");
      const known = key === undefined ? undefined : this.byShape.get(key);
      if (known !== undefined) return known;
    }
    const ref = node["$ref"];
    if (typeof ref === "string") return this.ref(ref, hint, site);
    for (const key of ["anyOf", "oneOf"] as const) {
      const options = node[key];
      if (Array.isArray(options))
        return union(
          (options as Node[]).map((o, i) => this.expr(o, `${hint}${options.length > 1 ? `Option${i + 1}` : ""}`, site)),
        );
    }
    if (Array.isArray(node["allOf"])) {
      const parts = (node["allOf"] as Node[]).map((p) => resolve(p, site));
      if (parts.every(isObjectNode)) return this.expr(mergeObjects(parts), hint, site);
      return "object";
    }
    if ("const" in node) return this.literal([node["const"]]);
    if (Array.isArray(node["enum"])) return this.literal(node["enum"] as unknown[]);
    const type = node["type"];
    if (Array.isArray(type)) return union((type as string[]).map((t) => this.expr({ ...node, type: t }, hint, site)));
    switch (type) {
      case "string":
        return "str";
      case "integer":
        return "int";
      case "number":
        return "float";
      case "boolean":
        return "bool";
      case "null":
        return "None";
      case "array": {
        const prefix = node["prefixItems"] as Node[] | undefined;
        const items = node["items"];
        if (prefix !== undefined) {
          const head = prefix.map((p, i) => this.expr(p, `${hint}Item${i + 1}`, site));
          if (items === false || items === undefined) return `tuple[${head.join(", ") || "()"}]`;
          return `tuple[${[...head, `*tuple[${this.expr(items as Node, `${hint}Rest`, site)}, ...]`].join(", ")}]`;
        }
        if (items !== undefined && typeof items === "object")
          return `list[${this.expr(items as Node, `${hint}Item`, site)}]`;
        return "list[object]";
      }
      case "object": {
        if (isObjectNode(node)) return this.object(hint, node, site, [], "");
        const extra = node["additionalProperties"];
        const value =
          extra !== undefined && typeof extra === "object" ? this.expr(extra as Node, `${hint}Value`, site) : "object";
        return `dict[str, ${value}]`;
      }
      default:
        return "object";
    }
  }

  private ref(ref: string, hint: string, site: Site): string {
    if (ref === "#") return site.defs.get("#") ?? site.rootName;
    const match = /^#\/\$defs\/(.+)$/.exec(ref);
    if (match === null) return "object";
    const defKey = match[1]!;
    const known = site.defs.get(defKey);
    if (known !== undefined) return known;
    const def = ((site.root["$defs"] ?? {}) as Record<string, Node>)[defKey];
    if (def === undefined) return "object";
    const defHint = defKey.startsWith("__") ? hint : defKey;
    if (isObjectNode(def)) {
      const key = shapeKey(def, ref);
      const shared = key === undefined ? undefined : this.byShape.get(key);
      if (shared !== undefined) {
        site.defs.set(defKey, shared);
        return shared;
      }
      // Named before its body prints, so the body can refer to it.
      const name = this.fresh(defHint);
      site.defs.set(defKey, name);
      if (key !== undefined) this.byShape.set(key, name);
      this.typedDict(name, def, site, []);
      return name;
    }
    const name = this.fresh(defHint);
    site.defs.set(defKey, name);
    this.claim(name);
    const body = this.expr(def, name, site);
    this.typing.add("TypeAlias");
    this.blocks.push([`${name}: TypeAlias = ${pyString(body)}`]);
    return name;
  }

  private literal(values: readonly unknown[]): string {
    this.typing.add("Literal");
    const printed = values.map((v) =>
      v === null
        ? "None"
        : v === true
          ? "True"
          : v === false
            ? "False"
            : typeof v === "string"
              ? pyString(v)
              : JSON.stringify(v),
    );
    return `Literal[${printed.join(", ")}]`;
  }
}

/** Unions and lists: worth their alias's name where they appear again. */
function isComposite(node: Node): boolean {
  return (
    Array.isArray(node["anyOf"]) ||
    Array.isArray(node["oneOf"]) ||
    Array.isArray(node["allOf"]) ||
    node["type"] === "array"
  );
}

function union(types: readonly string[]): string {
  return [...new Set(types)].join(" | ");
}

function isObjectNode(node: Node): boolean {
  return (
    (node["type"] === "object" || (node["type"] === undefined && node["properties"] !== undefined)) &&
    node["properties"] !== undefined
  );
}

function resolve(node: Node, site: Site): Node {
  const ref = node["$ref"];
  if (ref === "#") return site.root;
  if (typeof ref === "string") {
    const match = /^#\/\$defs\/(.+)$/.exec(ref);
    const def = match ? ((site.root["$defs"] ?? {}) as Record<string, Node>)[match[1]!] : undefined;
    return def ?? node;
  }
  return node;
}

function mergeObjects(parts: readonly Node[]): Node {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const p of parts) {
    Object.assign(properties, p["properties"]);
    required.push(...((p["required"] ?? []) as string[]));
  }
  return { type: "object", properties, required: [...new Set(required)] };
}

/** A key for "the same schema": its JSON with references to itself as `#`; undefined when it refers elsewhere. */
function shapeKey(node: Node, selfRef: string): string | undefined {
  let foreign = false;
  const text = JSON.stringify(node, (key, value: unknown) => {
    if (key === "$defs") return undefined;
    if (key === "$ref" && typeof value === "string") {
      if (value === selfRef || (selfRef === "#" && value === "#")) return "#";
      foreign = true;
    }
    return value;
  });
  return foreign ? undefined : text;
}

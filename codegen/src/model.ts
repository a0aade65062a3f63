/**
 * Contract → model: plain data the printers read. Every check that needs the whole contract happens here
 * (identifiers, collisions, reserved names, unsupported schemas), so printers never fail.
 */
import type { Contract, EventDef, Schema } from "@iocontract/runtime/contract";
import { BUILTIN_ERROR_CODES, RESERVED_EVENT_PREFIX } from "@iocontract/runtime/v1/wire";
import { CodegenError, type Where } from "./errors.js";
import { type ContractJsonSchemas, contractJsonSchemas } from "./json-schema.js";
import { INDEX_NAMES } from "./outputs.js";
import { SOCKET_IO_RESERVED_EVENTS, namespacePrefix, toIdentifier, toPascal } from "./names.js";
import { type Mode, TypePrinter, defOf, docLines, isCodec, metaOf, tight as tightText } from "./schema/print-type.js";
import {
  INPUT_BRAND_TEXT,
  type Question,
  askCompiler as askTypeScript,
  mayUseBrands,
  token,
} from "./schema/ts-types.js";
import { INNERMOST_BRAND, brandsOf, splitTopLevel } from "./schema/brands.js";
import { type ChildRole, type ZodChild, childrenOf, kindOf } from "@iocontract/runtime/v1/zod-kinds";

/**
 * The types a signature uses for one schema: what a sender writes, what travels, and what a receiver gets.
 *
 * | schema                              | sender writes (`input`) | travels (`wire`) | receiver gets (`output`) |
 * | ----------------------------------- | ----------------------- | ---------------- | ------------------------ |
 * | plain, or with defaults             | zod's input             | zod's input      | zod's output             |
 * | one-way transform, z.preprocess     | zod's input             | zod's input      | zod's output             |
 * | z.coerce.date() / z.coerce.bigint() | JSON it accepts         | the same         | Date / bigint            |
 * | an event part holding a z.codec()   | zod's output (encoded)  | zod's input      | zod's output (decoded)   |
 *
 * (For a codec in `auth` or in an error's details, senders write zod's input: only events are encoded.)
 */
export interface TypeUse {
  readonly input: string;
  readonly wire: string;
  readonly output: string;
}

export interface EventModel {
  readonly wire: string;
  /** camelCase method name: `myCustomEvent`. */
  readonly ident: string;
  readonly doc: string | undefined;
  readonly timeoutMs: number | undefined;
  readonly payload: TypeUse | undefined;
  readonly ack: TypeUse | undefined;
  /** Bit 1: the payload's schema holds a codec (senders encode it); bit 2: the ack's. The runtime spec's `encode`. */
  readonly encodes: number;
}

export interface ErrorModel {
  readonly code: string;
  readonly details: TypeUse;
}

export interface NamespaceModel {
  readonly path: string;
  readonly doc: string | undefined;
  /** Prefix of this namespace's SDK names: "Chat" for "/", "ChatAdmin" for "/admin". */
  readonly sdkPrefix: string;
  /** Prefix of this namespace's payload type names: "" for "/", "Admin" for "/admin". */
  readonly typePrefix: string;
  readonly auth: TypeUse | undefined;
  readonly socketData: TypeUse | undefined;
  readonly errors: readonly ErrorModel[];
  readonly clientToServer: readonly EventModel[];
  readonly serverToClient: readonly EventModel[];
  /** Inter-server events (`serverSideEmit`): received by the same handler object as clientToServer events. */
  readonly serverToServer: readonly EventModel[];
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

/** A named type of the types file: printed once for output and, when they differ, once more for input. */
export interface Declaration {
  readonly name: string;
  readonly schema: Schema;
  readonly where: Where;
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

/**
 * Everything the printers read. Whatever they print from a schema is already text here (`declarations`, `TypeUse`),
 * so the model minus its `schema` fields is plain data: cache.ts hashes it.
 */
export interface ContractModel {
  readonly name: string;
  readonly version: string;
  readonly pascal: string;
  readonly doc: string | undefined;
  /** The contract file, relative to the config's folder, with forward slashes. */
  readonly file: string;
  readonly namespaces: readonly NamespaceModel[];
  readonly declarations: readonly Declaration[];
  readonly aliases: readonly AliasModel[];
  /** Every name the generated files declare (checked unique). */
  readonly names: readonly string[];
  /**
   * The JSON Schemas (wire side) of every namespace's auth, errors and events: what the Python outputs print.
   * Computed on first read (zod's toJSONSchema over every schema is a third of a 1,000-event generate), and not an
   * own enumerable property: a config without Python outputs never pays for it, and the no-op cache's key adds it
   * only for configs that print it (cache.ts `inputKey`).
   */
  readonly jsonSchemas: ContractJsonSchemas;
  /** Schema parts that print with a caveat (`iocontract generate --explain`). */
  readonly caveats: readonly Caveat[];
  /** TypeScript enums the contract module exports that the types name: `types.gen.ts` imports them from it. */
  readonly contractImports: readonly string[];
}

export interface Caveat {
  readonly where: Where;
  readonly note: string;
}

export interface ModelOptions {
  /** Print `z.any()` as `unknown` (with a JSDoc note) instead of refusing it. Default false. */
  readonly allowAny?: boolean;
  /**
   * The contract module's absolute path: lets the generator ask the TypeScript compiler for the types zod cannot
   * say (a transform's output, `z.custom<T>()`). Without it, those parts are refused.
   */
  readonly contractFile?: string;
}

/**
 * Replaces the compiler's placeholders in a declaration's text, parenthesized where `[]` or `&` would bind wrongly,
 * then writes the brands. A branded object declared as an interface becomes an alias (`{ ... } & $brand<"X">`).
 */
function fillAnswers(d: Declaration, answers: ReadonlyMap<string, string>): Declaration {
  const fill = (text: string) => {
    // A loose answer (a union) gets parentheses only where the printer would have written them: before `[]` or
    // `?`, and beside `&`.
    text = text.replace(/__iocontract_type_\d+__/g, (t, offset: number, whole: string) => {
      const answer = answers.get(t)!;
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
      let branded =
        add.length === 0 || /\breadonly $/.test(before)
          ? inner
          : `${loose ? `(${inner})` : inner} & ${add.join(" & ")}`;
      if (/^(?:\[|\?| &)/.test(after) || /& $/.test(before)) branded = tightText(branded);
      text = before + branded + after;
    }
    return distinctMembers(text);
  };
  const body = (b: DeclarationBody): DeclarationBody => {
    if (b.kind === "alias") return { kind: "alias", type: fill(b.type) };
    if (b.branded !== undefined) {
      const alias = fill(b.branded);
      if (brandsOf(alias).length > 0) return { kind: "alias", type: alias };
    }
    return { kind: "interface", members: b.members.map((m) => ({ ...m, type: fill(m.type) })) };
  };
  return { ...d, output: body(d.output), input: d.input && body(d.input) };
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

/** Method names a handler object or a client's `on` already use for lifecycle, or that JavaScript reserves. */
const RESERVED_IDENTS = {
  clientToServer: new Set(["connect", "disconnect", "constructor", "__proto__", "prototype"]),
  serverToClient: new Set([
    "connect",
    "disconnect",
    "connectError",
    "reconnect",
    "eventError",
    "constructor",
    "__proto__",
    "prototype",
  ]),
  serverToServer: new Set(["connect", "disconnect", "constructor", "__proto__", "prototype"]),
} as const;

/** Names a socket.io Namespace emits itself (or that Node's EventEmitter treats specially): not inter-server events. */
const NAMESPACE_RESERVED_EVENTS: ReadonlySet<string> = new Set([
  "connection",
  "connect",
  "error",
  "newListener",
  "removeListener",
]);

type Direction = "clientToServer" | "serverToClient" | "serverToServer";

/** Kinds worth a name of their own when a schema is reused. */
const NAMEABLE = new Set(["object", "union", "intersection", "tuple", "enum", "record"]);

export function buildModel(contract: Contract, file: string, options: ModelOptions = {}): ContractModel {
  const base: Where = { contract: contract.name, file };
  const pascal = toPascal(contract.name);
  refuseHiddenKeys(contract, base);

  // ---- names: declared types, .meta({ id }), then reuse ----
  const names = new Map<Schema, string>();
  const nameSites = new Map<string, Where>();
  const order: Array<{ schema: Schema; where: Where }> = [];
  const assign = (schema: Schema, name: string, where: Where) => {
    if (names.has(schema)) return;
    const taken = nameSites.get(name);
    if (taken !== undefined) {
      throw new CodegenError(
        `type name ${JSON.stringify(name)} is used by two different schemas (the other: ${describeSite(taken)}); rename one`,
        where,
      );
    }
    names.set(schema, name);
    nameSites.set(name, where);
    order.push({ schema, where });
  };
  for (const [typeName, schema] of Object.entries(contract.types ?? {})) {
    assign(schema, typeName, { ...base, part: `types.${typeName}` });
  }

  // Every schema position of the contract, in a fixed order: the sites.
  interface Site {
    readonly schema: Schema;
    readonly where: Where;
    readonly name: string;
    /** Its type-level access from the contract's default export (`C`). */
    readonly access: string;
  }
  const sites: Site[] = [];
  const namespaces = Object.entries(contract.namespaces);
  const prefixes = new Map<string, string>();
  for (const [path, ns] of namespaces) {
    const typePrefix = namespacePrefix(path);
    const other = prefixes.get(typePrefix);
    if (other !== undefined) {
      throw new CodegenError(
        `namespaces ${JSON.stringify(other)} and ${JSON.stringify(path)} give the same identifier "${typePrefix}"; rename one`,
        base,
      );
    }
    prefixes.set(typePrefix, path);
    const nsWhere: Where = { ...base, namespace: path };
    const nsAt = `C["namespaces"][${JSON.stringify(path)}]`;
    if (ns.auth)
      sites.push({
        schema: ns.auth,
        where: { ...nsWhere, part: "auth" },
        name: `${typePrefix}Auth`,
        access: `${nsAt}["auth"]`,
      });
    if (ns.socketData)
      sites.push({
        schema: ns.socketData,
        where: { ...nsWhere, part: "socketData" },
        name: `${typePrefix}SocketData`,
        access: `${nsAt}["socketData"]`,
      });
    for (const [code, schema] of Object.entries(ns.errors ?? {})) {
      sites.push({
        schema,
        where: { ...nsWhere, part: `errors.${code}` },
        name: `${typePrefix}${toPascal(code)}Details`,
        access: `${nsAt}["errors"][${JSON.stringify(code)}]`,
      });
    }
    // Inter-server events land on the same handler object as clientToServer events: one method cannot serve both.
    const handled = new Map<string, string>();
    for (const [wire, ev] of Object.entries(ns.clientToServer ?? {}))
      handled.set(eventIdent(wire, ev, { ...nsWhere, direction: "clientToServer", event: wire }), wire);
    for (const [wire, ev] of Object.entries(ns.serverToServer ?? {})) {
      const where: Where = { ...nsWhere, direction: "serverToServer", event: wire };
      const ident = eventIdent(wire, ev, where);
      const other = handled.get(ident);
      if (other !== undefined) {
        throw new CodegenError(
          `clientToServer event ${JSON.stringify(other)} and this event both become the handler method ${ident}; rename one or set \`identifier\``,
          where,
        );
      }
    }
    for (const direction of ["clientToServer", "serverToClient", "serverToServer"] as const) {
      for (const [wire, ev] of Object.entries(ns[direction] ?? {}) as Array<[string, EventDef]>) {
        const ident = eventIdent(wire, ev, { ...nsWhere, direction, event: wire });
        const typeBase = `${typePrefix}${ident.charAt(0).toUpperCase()}${ident.slice(1)}`;
        const evWhere: Where = { ...nsWhere, direction, event: wire };
        const evAt = `C["namespaces"][${JSON.stringify(path)}][${JSON.stringify(direction)}][${JSON.stringify(wire)}]`;
        if (ev.payload)
          sites.push({
            schema: ev.payload,
            where: { ...evWhere, part: "payload" },
            name: `${typeBase}Payload`,
            access: `${evAt}["payload"]`,
          });
        if (ev.ack)
          sites.push({
            schema: ev.ack,
            where: { ...evWhere, part: "ack" },
            name: `${typeBase}Ack`,
            access: `${evAt}["ack"]`,
          });
      }
    }
  }

  // Count how often each composite schema appears; name .meta({ id }) schemas on the way. A schema met again on
  // its own path is recursive: it needs a name (getters recurse through an object, z.lazy() through itself).
  const seen = new Map<Schema, { count: number; where: Where }>();
  const onPath = new Set<Schema>();
  const recursive = new Set<Schema>();
  /** Each schema's type-level access from the contract's default export, where it is first met. */
  const access = new Map<Schema, string>();
  /** Where a schema is met again (`.brand()` returns the same schema: a brand question checks every place). */
  const otherAccess = new Map<Schema, Array<{ access: string; where: Where }>>();
  const walk = (schema: Schema, where: Where, at: string) => {
    const entry = seen.get(schema);
    if (entry !== undefined) {
      entry.count++;
      if (onPath.has(schema)) recursive.add(schema);
      else (otherAccess.get(schema) ?? otherAccess.set(schema, []).get(schema)!).push({ access: at, where });
      return;
    }
    seen.set(schema, { count: 1, where });
    access.set(schema, at);
    onPath.add(schema);
    const id = metaOf(schema)?.id;
    if (id !== undefined) {
      if (!/^[A-Z][A-Za-z0-9]*$/.test(id))
        throw new CodegenError(`.meta({ id: ${JSON.stringify(id)} }) must be a PascalCase type name`, where);
      assign(schema, id, where);
    }
    for (const [child, segment, step] of children(schema)) {
      walk(child, segment === undefined ? where : { ...where, path: [...(where.path ?? []), segment] }, at + step);
    }
    onPath.delete(schema);
  };
  for (const [typeName, schema] of Object.entries(contract.types ?? {}))
    walk(schema, { ...base, part: `types.${typeName}` }, `C["types"][${JSON.stringify(typeName)}]`);
  for (const site of sites) walk(site.schema, site.where, site.access);
  // Top-level sites get their site name; reused nested composites get the name of the first place they appear.
  for (const site of sites) assign(site.schema, site.name, site.where);
  for (const [schema, { count, where }] of seen) {
    if (count > 1 && !names.has(schema) && (NAMEABLE.has(kindOf(schema)!) || recursive.has(schema))) {
      assign(schema, reuseName(where), where);
    }
  }

  // Types zod cannot say (a transform's output, z.custom<T>()): placeholders now, the compiler's answers below.
  const questions: Question[] = [];
  const asked = new Map<string, string>();
  const askCompiler =
    options.contractFile === undefined
      ? undefined
      : (schema: Schema, mode: Mode, where: Where): string | undefined => {
          const at = access.get(schema);
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
          const at = access.get(schema);
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
              ...(others ? { others, firstSite: describeSite(seen.get(schema)!.where) } : {}),
            });
          }
          return Number(/\d+/.exec(placeholder)![0]);
        };
  const askEnum =
    options.contractFile === undefined
      ? undefined
      : (schema: Schema, _mode: Mode, where: Where, values: string): string | undefined => {
          const at = access.get(schema);
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
  const named = order.map(({ schema, where }) => ({
    name: names.get(schema)!,
    schema,
    where,
    differs: printer.differs(schema),
  }));
  // The Input twin of a declaration must not take another declaration's name.
  const declared = new Set(named.map((d) => d.name));
  for (const d of named) {
    if (d.differs && declared.has(`${d.name}Input`)) {
      throw new CodegenError(
        `type ${d.name} needs a twin named ${d.name}Input for its input side, and that name is taken; rename one`,
        d.where,
      );
    }
  }
  // Print every declaration in both modes now, so unsupported constructs fail here, with their path.
  let declarations: Declaration[] = named.map((d) => {
    const output = declarationBody(printer, d.schema, "output", d.where);
    const input = declarationBody(printer, d.schema, "input", d.where);
    return {
      ...d,
      codec: holdsCodec(d.schema),
      docs: docLines(d.schema),
      output,
      input: d.differs ? input : undefined,
    };
  });
  let contractImports: string[] = [];
  let importedAt: ReadonlyMap<string, Where> = new Map();
  if (questions.length > 0) {
    const asked = askTypeScript(options.contractFile!, questions);
    const answers = asked.types;
    contractImports = asked.contractImports;
    importedAt = asked.importedAt;
    for (const q of questions)
      if (!q.brand && q.enumFallback === undefined)
        printer.noteCaveat(q.where, `typed by the TypeScript compiler: \`${answers.get(q.token)!}\``);
    declarations = declarations.map((d) => fillAnswers(d, answers));
  }

  const use = (schema: Schema, encodes = false): TypeUse => ({
    output: printer.refName(schema, "output")!,
    input: printer.refName(schema, encodes ? "output" : "input")!,
    wire: printer.refName(schema, "input")!,
  });
  /** An event part with a codec is encoded by its sender: it must be encodable (see {@link encodable}). */
  const encodes = (schema: Schema | undefined, where: Where): boolean =>
    schema !== undefined && encodable(schema, where);

  const namespaceModels: NamespaceModel[] = namespaces.map(([path, ns]) => {
    const typePrefix = namespacePrefix(path);
    const nsWhere: Where = { ...base, namespace: path };
    const errors = Object.entries(ns.errors ?? {}).map(([code, schema]) => {
      if (BUILTIN_ERROR_CODES.has(code)) {
        throw new CodegenError(`error code ${code} is one of iocontract's own codes; choose another name`, {
          ...nsWhere,
          part: `errors.${code}`,
        });
      }
      return { code, details: use(schema) };
    });
    const events = (direction: Direction): EventModel[] => {
      const byIdent = new Map<string, string>();
      return Object.entries(ns[direction] ?? {}).map(([wire, ev]: [string, EventDef]) => {
        const where: Where = { ...nsWhere, direction, event: wire };
        if (
          SOCKET_IO_RESERVED_EVENTS.has(wire) ||
          (direction === "serverToServer" && NAMESPACE_RESERVED_EVENTS.has(wire))
        ) {
          throw new CodegenError(`${JSON.stringify(wire)} is reserved by Socket.IO and cannot be an event name`, where);
        }
        if (wire.startsWith(RESERVED_EVENT_PREFIX)) {
          throw new CodegenError(
            `event names starting with "${RESERVED_EVENT_PREFIX}" are reserved for the runtime`,
            where,
          );
        }
        const ident = eventIdent(wire, ev, where);
        if (RESERVED_IDENTS[direction].has(ident)) {
          throw new CodegenError(
            `its identifier ${ident} is reserved in the generated ${direction === "serverToClient" ? "client" : "handler interface"}; set \`identifier\` to another name`,
            where,
          );
        }
        const clash = byIdent.get(ident);
        if (clash !== undefined) {
          throw new CodegenError(
            `events ${JSON.stringify(clash)} and ${JSON.stringify(wire)} both become the identifier ${ident}; rename one or set \`identifier\``,
            where,
          );
        }
        byIdent.set(ident, wire);
        const encodesPayload = encodes(ev.payload, { ...where, part: "payload" });
        const encodesAck = encodes(ev.ack, { ...where, part: "ack" });
        return {
          wire,
          ident,
          doc: ev.doc,
          timeoutMs: ev.timeoutMs,
          payload: ev.payload ? use(ev.payload, encodesPayload) : undefined,
          ack: ev.ack ? use(ev.ack, encodesAck) : undefined,
          encodes: (encodesPayload ? 1 : 0) | (encodesAck ? 2 : 0),
        };
      });
    };
    return {
      path,
      doc: ns.doc,
      sdkPrefix: `${pascal}${typePrefix}`,
      typePrefix,
      auth: ns.auth ? use(ns.auth) : undefined,
      socketData: ns.socketData ? use(ns.socketData) : undefined,
      errors,
      clientToServer: events("clientToServer"),
      serverToClient: events("serverToClient"),
      serverToServer: events("serverToServer"),
    };
  });

  // Every event's `<Event>Payload` / `<Event>Ack`: its declaration's own name, or else an alias of the type it uses.
  const aliases: AliasModel[] = [];
  for (const ns of namespaceModels) {
    for (const direction of ["clientToServer", "serverToClient", "serverToServer"] as const) {
      for (const ev of ns[direction]) {
        const typeBase = `${ns.typePrefix}${ev.ident.charAt(0).toUpperCase()}${ev.ident.slice(1)}`;
        for (const [part, type] of [
          ["payload", ev.payload],
          ["ack", ev.ack],
        ] as const) {
          const name = `${typeBase}${part === "payload" ? "Payload" : "Ack"}`;
          if (type === undefined || type.output === name) continue;
          aliases.push({
            name,
            what: `the ${part} of ${JSON.stringify(ev.wire)} (namespace ${JSON.stringify(ns.path)})`,
            type,
          });
        }
      }
    }
  }

  const owners = generatedNames(pascal, declarations, aliases, namespaceModels, base);
  // A type imported from the contract module cannot share a name with one the generated files declare.
  for (const [name, where] of importedAt) {
    const owner = owners.get(name);
    if (owner !== undefined) {
      throw new CodegenError(
        `the generated types import ${name} from the contract module, and the generated files declare a ${name} of their own (for ${owner}): rename one`,
        where,
      );
    }
  }
  const generated = [...owners.keys()];

  const model = {
    name: contract.name,
    version: contract.version,
    pascal,
    doc: contract.doc,
    file,
    namespaces: namespaceModels,
    declarations,
    aliases,
    names: generated,
    caveats: [...printer.caveats.values()],
    contractImports,
  };
  let jsonSchemas: ContractJsonSchemas | undefined;
  return Object.defineProperty(model as Omit<ContractModel, "jsonSchemas"> as ContractModel, "jsonSchemas", {
    enumerable: false,
    get: () => (jsonSchemas ??= contractJsonSchemas(contract)),
  });
}

/**
 * An object literal's `"__proto__": ...` key sets its prototype instead of adding an entry: an event, type,
 * error or namespace named so would vanish without a word. Refused, naming where.
 */
function refuseHiddenKeys(contract: Contract, base: Where): void {
  const check = (table: object | undefined, where: Where, what: string) => {
    if (table === undefined) return;
    const proto: unknown = Object.getPrototypeOf(table);
    if (proto !== Object.prototype && proto !== null) {
      throw new CodegenError(
        `${what} named "__proto__" is not an entry (it sets the object literal's prototype) and cannot be used; rename it`,
        where,
      );
    }
  };
  check(contract.types, { ...base, part: "types" }, "a type");
  check(contract.namespaces, base, "a namespace");
  for (const [path, ns] of Object.entries(contract.namespaces)) {
    const nsWhere: Where = { ...base, namespace: path };
    check(ns.errors, { ...nsWhere, part: "errors" }, "an error code");
    for (const direction of ["clientToServer", "serverToClient", "serverToServer"] as const) {
      check(ns[direction], { ...nsWhere, direction, event: "__proto__" }, "an event");
    }
  }
}

/** True when a `z.codec()` is anywhere in a schema. */
function holdsCodec(schema: Schema, seen = new Set<Schema>()): boolean {
  if (seen.has(schema)) return false;
  seen.add(schema);
  return isCodec(schema) || children(schema).some(([child]) => holdsCodec(child, seen));
}

/**
 * True when a schema holds a `z.codec()`: its senders write zod's output and the runtime encodes it (zod's
 * `encode`). Encoding runs every part backwards, so a one-way transform (or `z.preprocess`) in the same schema
 * would throw, and `z.coerce.bigint()` would encode to a bigint, which JSON cannot carry: both are refused here.
 */
function encodable(schema: Schema, where: Where): boolean {
  const found: { codec?: Where; oneWay?: { where: Where; what: string } } = {};
  const seen = new Set<Schema>();
  const visit = (s: Schema, at: Where) => {
    if (seen.has(s)) return;
    seen.add(s);
    const kind = kindOf(s);
    if (isCodec(s)) found.codec ??= at;
    else if (kind === "transform")
      found.oneWay ??= { where: at, what: "a one-way transform (z.transform, .transform(), z.preprocess)" };
    else if (kind === "bigint" && defOf(s)["coerce"] === true)
      found.oneWay ??= { where: at, what: "z.coerce.bigint() (it encodes to a bigint)" };
    for (const [child, segment] of children(s))
      visit(child, segment === undefined ? at : { ...at, path: [...(at.path ?? []), segment] });
  };
  visit(schema, where);
  if (found.codec === undefined) return false;
  if (found.oneWay !== undefined) {
    const codecAt = [found.codec.part, ...(found.codec.path ?? [])].join(".");
    throw new CodegenError(
      `this schema holds a codec (at ${codecAt}), so its senders encode it, and ${found.oneWay.what} cannot be encoded: make it a z.codec() with an encode, or move the codec to another event`,
      found.oneWay.where,
    );
  }
  return true;
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

/** What the printers declare per namespace: `${sdkPrefix}${suffix}`. */
const NAMESPACE_DECLARATIONS = [
  "ErrorCode",
  "ErrorDetails",
  "ClientToServerEvents",
  "ServerToClientEvents",
  "Emit",
  "Request",
  "BroadcastRequest",
  "Broadcast",
  "Handshake",
  "Context",
  "Handlers",
  "Namespace",
  "ClientEmit",
  "ClientOnce",
  "ClientOn",
  "ClientHandle",
  "ClientOptions",
  "Client",
  "InterServerEvents",
  "ServerSideEmit",
  "EmitterSelection",
  "EmitterNamespace",
  "Types",
  "ClientTypes",
];

/**
 * Every name the generated files declare, with what declares it. Each must be declared once: TypeScript would
 * silently merge two interfaces of the same name (namespace "/server" of contract "chat" would add to
 * `ChatServerHandlers`). The golden tests check that the printers declare nothing this list lacks.
 */
function generatedNames(
  pascal: string,
  declarations: readonly Declaration[],
  aliases: readonly AliasModel[],
  namespaces: readonly NamespaceModel[],
  base: Where,
): Map<string, string> {
  const owners = new Map<string, string>();
  const claim = (name: string, owner: string) => {
    const other = owners.get(name);
    if (other !== undefined && other !== owner) {
      throw new CodegenError(
        `the generated name ${name} would be declared twice, for ${other} and for ${owner}; rename one`,
        base,
      );
    }
    owners.set(name, owner);
  };
  for (const name of [
    `${pascal}ServerHandlers`,
    `${pascal}ServerOptions`,
    `${pascal}Server`,
    `create${pascal}Server`,
    `${pascal}Emitter`,
    `create${pascal}Emitter`,
  ]) {
    claim(name, `contract ${JSON.stringify(base.contract)}`);
  }
  // index.gen.ts re-exports these from the runtime beside the generated names.
  for (const name of INDEX_NAMES) claim(name, "the runtime (index.gen.ts)");
  for (const ns of namespaces) {
    const owner = `namespace ${JSON.stringify(ns.path)}`;
    for (const suffix of NAMESPACE_DECLARATIONS) claim(`${ns.sdkPrefix}${suffix}`, owner);
    claim(`create${ns.sdkPrefix}Client`, owner);
  }
  for (const d of declarations) {
    claim(d.name, `type ${d.name}`);
    if (d.differs) claim(`${d.name}Input`, `type ${d.name}`);
  }
  for (const a of aliases) {
    claim(a.name, a.what);
    if (a.type.input !== a.type.output) claim(`${a.name}Input`, a.what);
  }
  return owners;
}

function eventIdent(wire: string, ev: EventDef, where: Where): string {
  if (ev.identifier !== undefined) {
    if (!/^[A-Za-z_$][\w$]*$/.test(ev.identifier))
      throw new CodegenError(`identifier ${JSON.stringify(ev.identifier)} is not a valid identifier`, where);
    return ev.identifier;
  }
  const ident = toIdentifier(wire);
  if (ident === undefined) {
    throw new CodegenError(
      `no identifier can be derived from this name (it must contain a letter and not start with a digit); set \`identifier\``,
      where,
    );
  }
  return ident;
}

/**
 * Where a schema's type is made of other schemas' types as a whole (a wrapper's inner schema, a pipe's side, a
 * union's options, an intersection's sides): their brands are already in the printed text (or behind a name),
 * so the compiler's answer for the schema leaves them out. A union's: the brands every option carries.
 */
function brandsThrough(schema: Schema, mode: Mode, at: string): Pick<Question, "subtract"> {
  const inside = childrenOf(schema);
  const roles = new Set(inside.map((child) => child.role));
  const all = inside.map((child) => `${at}${accessText(child)}`);
  if (roles.has("option")) return { subtract: { accesses: all, every: true } };
  if (roles.has("in")) return { subtract: { accesses: [all[mode === "input" ? 0 : 1]!], every: false } };
  // A wrapper's or a lazy's inner schema, an intersection's sides.
  if (roles.size > 0 && [...roles].every((role) => role === "inner" || role === "left" || role === "right"))
    return { subtract: { accesses: all, every: false } };
  return {};
}

type Child = [schema: Schema, segment: string | number | undefined, access: string];

/**
 * The schemas directly inside a schema (the runtime's zod walker), with the path segment that leads to each (for
 * messages) and the type-level access to it (for questions to the TypeScript compiler: `["_zod"]["def"]["shape"]["name"]`).
 */
function children(schema: Schema): Child[] {
  let found = childCache.get(schema);
  if (found === undefined) {
    found = childrenOf(schema).map((child) => [child.schema, SEGMENT[child.role](child.key), accessText(child)]);
    childCache.set(schema, found);
  }
  return found;
}

/** Each schema's children, worked out once (the model asks several times per schema). */
const childCache = new WeakMap<Schema, Child[]>();

/** A child's type-level access from its parent: `["_zod"]["def"]["shape"]["name"]`. */
function accessText(child: ZodChild): string {
  return `["_zod"]${child.access.map((k) => `[${JSON.stringify(k)}]`).join("")}`;
}

/** The segment each role adds to a field's path in messages (`payload.items.0`), or none (the same place). */
const SEGMENT: Record<ChildRole, (key: string | number | undefined) => string | number | undefined> = {
  entry: (key) => key,
  catchall: () => "(catchall)",
  element: () => 0,
  item: (key) => key,
  rest: () => "(rest)",
  option: (key) => `(option ${key})`,
  left: () => undefined,
  right: () => undefined,
  key: () => "(key)",
  value: () => "(value)",
  inner: () => undefined,
  in: () => undefined,
  out: () => undefined,
};

/** A name for a reused nested schema, from where it first appears: `MyMessagePayload.author` → `MyMessagePayloadAuthor`. */
function reuseName(where: Where): string {
  const segments = [
    where.namespace ? namespacePrefix(where.namespace) : "",
    where.event ? toPascal(where.event) : "",
    toPascal(where.part ?? ""),
  ];
  for (const p of where.path ?? []) segments.push(typeof p === "number" ? "Item" : toPascal(p));
  return segments.join("") || "Shared";
}

function describeSite(where: Where): string {
  const parts: string[] = [];
  if (where.namespace !== undefined) parts.push(`namespace ${JSON.stringify(where.namespace)}`);
  if (where.event !== undefined) parts.push(`event ${JSON.stringify(where.event)}`);
  if (where.part !== undefined) parts.push([where.part, ...(where.path ?? [])].join("."));
  return parts.join(", ");
}

/**
 * Contract → model: language-neutral data every output reads (the TypeScript printers through the TypeScript
 * stage, typescript/types.ts; the Python printers; AsyncAPI; the docs; the snapshot and its diff). Every check
 * that needs the whole contract and no target language happens here (identifiers, collisions, reserved names,
 * the names of schemas); the TypeScript stage adds its own (schemas TypeScript cannot say, clashes between the
 * names the printers declare), so printers never fail. The model holds no printed text of any language: schemas
 * are zod objects with a name and where they are; what a schema is in TypeScript is the TypeScript stage's
 * business. (Whether zod's input and output differ is asked of print-type.ts's `differs`, the zod reading it
 * shares with the type printer.)
 */
import type { Contract, EventDef, Schema } from "@iocontract/runtime/contract";
import { BUILTIN_ERROR_CODES, RESERVED_EVENT_PREFIX } from "@iocontract/runtime/v1/wire";
import { CodegenError, type Where } from "./errors.js";
import { type ContractJsonSchemas, contractJsonSchemas } from "./json-schema.js";
import { SOCKET_IO_RESERVED_EVENTS, namespacePrefix, toIdentifier, toPascal } from "./names.js";
import { TypePrinter, defOf, isCodec, metaOf } from "./schema/print-type.js";
import { type ChildRole, type ZodChild, childrenOf, kindOf } from "@iocontract/runtime/v1/zod-kinds";

/**
 * A schema position (an event's payload or ack, a namespace's auth or socketData, an error's details) and the
 * named schema whose type it has: every position has a name, its own (`MyEventPayload`) or a shared one.
 *
 * | schema                              | sender writes           | travels          | receiver gets        |
 * | ----------------------------------- | ----------------------- | ---------------- | -------------------- |
 * | plain, or with defaults             | zod's input             | zod's input      | zod's output         |
 * | one-way transform, z.preprocess     | zod's input             | zod's input      | zod's output         |
 * | z.coerce.date() / z.coerce.bigint() | JSON it accepts         | the same         | Date / bigint        |
 * | an event part holding a z.codec()   | zod's output (encoded)  | zod's input      | zod's output         |
 *
 * (For a codec in `auth` or in an error's details, senders write zod's input: only events are encoded.)
 */
export interface SchemaUse {
  /** The named schema (see {@link NamedSchema}): its output side's name; its input side's is `${name}Input`. */
  readonly name: string;
  /** True when zod's input and output types of the schema differ: the input side has a name of its own. */
  readonly differs: boolean;
  /** True when senders write zod's output and the runtime encodes it (an event part holding a codec). */
  readonly encoded: boolean;
}

export interface EventModel {
  readonly wire: string;
  /** camelCase method name: `myCustomEvent`. */
  readonly ident: string;
  readonly doc: string | undefined;
  readonly timeoutMs: number | undefined;
  readonly payload: SchemaUse | undefined;
  readonly ack: SchemaUse | undefined;
  /** Bit 1: the payload's schema holds a codec (senders encode it); bit 2: the ack's. The runtime spec's `encode`. */
  readonly encodes: number;
}

export interface ErrorModel {
  readonly code: string;
  readonly details: SchemaUse;
}

export interface NamespaceModel {
  readonly path: string;
  readonly doc: string | undefined;
  /** Prefix of this namespace's SDK names: "Chat" for "/", "ChatAdmin" for "/admin". */
  readonly sdkPrefix: string;
  /** Prefix of this namespace's payload type names: "" for "/", "Admin" for "/admin". */
  readonly typePrefix: string;
  readonly auth: SchemaUse | undefined;
  readonly socketData: SchemaUse | undefined;
  readonly errors: readonly ErrorModel[];
  readonly clientToServer: readonly EventModel[];
  readonly serverToClient: readonly EventModel[];
  /** Inter-server events (`serverSideEmit`): received by the same handler object as clientToServer events. */
  readonly serverToServer: readonly EventModel[];
}

/**
 * A schema with a name (the contract's `types`, `.meta({ id })`, every schema position, schemas reused across
 * positions), in declaration order: each output declares one type per named schema (two when `differs`).
 */
export interface NamedSchema {
  readonly name: string;
  readonly schema: Schema;
  /** Where the schema is first met (or declared, for the contract's `types`). */
  readonly where: Where;
  /** True when zod's input and output types differ: an `Input` twin is declared beside it. */
  readonly differs: boolean;
  /** True when the schema holds a `z.codec()`: an event's sender writes the output type, encoded by the runtime. */
  readonly codec: boolean;
}

/**
 * The contract, checked, as plain data beside its zod schemas (the `schema` fields): what every output reads.
 * Without its `schema` fields it is JSON (cache.ts hashes it with the TypeScript stage's text).
 */
export interface ContractModel {
  readonly name: string;
  readonly version: string;
  readonly pascal: string;
  readonly doc: string | undefined;
  /** The contract file, relative to the config's folder, with forward slashes. */
  readonly file: string;
  readonly namespaces: readonly NamespaceModel[];
  /** Every named schema, in declaration order: the contract's `types` first. */
  readonly schemas: readonly NamedSchema[];
  /**
   * The JSON Schemas (wire side) of every namespace's auth, errors and events: what the Python outputs print.
   * Computed on first read (zod's toJSONSchema over every schema is a third of a 1,000-event generate), and not an
   * own enumerable property: a config without Python outputs never pays for it, and the no-op cache's key adds it
   * only for configs that print it (cache.ts `inputKey`).
   */
  readonly jsonSchemas: ContractJsonSchemas;
}

/**
 * Where each schema of a model sits in the contract: what a stage that asks about schemas by their place needs
 * (the TypeScript stage asks the compiler about `C["namespaces"]["/"]...`). Kept beside the model, not in it:
 * it is not data an output prints. `access` is the type-level index path from the contract's default export,
 * as {@link children} gives its steps.
 */
export interface SchemaSites {
  /** schema → its name, for every named schema. */
  readonly names: ReadonlyMap<Schema, string>;
  /** schema → where it is first met and its access from there. */
  readonly first: ReadonlyMap<Schema, { readonly where: Where; readonly access: string }>;
  /** Where a schema is met again (`.brand()` returns the same schema: a brand question checks every place). */
  readonly others: ReadonlyMap<Schema, ReadonlyArray<{ readonly access: string; readonly where: Where }>>;
}

const SITES = new WeakMap<ContractModel, SchemaSites>();

/** The {@link SchemaSites} of a model {@link buildModel} built. */
export function schemaSites(model: ContractModel): SchemaSites {
  const sites = SITES.get(model);
  if (sites === undefined) throw new Error("iocontract internal error: a model buildModel did not build");
  return sites;
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

export function buildModel(contract: Contract, file: string): ContractModel {
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

  // zod's input and output sides: a named schema whose two differ has an input twin (`${name}Input`).
  const sides = new TypePrinter(names);
  // Whether a schema holds a codec, once per schema: every event part is a named schema, asked again below.
  const codecs = new Map<Schema, boolean>();
  const codecIn = (schema: Schema): boolean => {
    let found = codecs.get(schema);
    if (found === undefined) codecs.set(schema, (found = holdsCodec(schema)));
    return found;
  };
  const schemas: NamedSchema[] = order.map(({ schema, where }) => ({
    name: names.get(schema)!,
    schema,
    where,
    differs: sides.differs(schema),
    codec: codecIn(schema),
  }));
  // The Input twin of a named schema must not take another one's name.
  const declared = new Set(schemas.map((d) => d.name));
  for (const d of schemas) {
    if (d.differs && declared.has(`${d.name}Input`)) {
      throw new CodegenError(
        `type ${d.name} needs a twin named ${d.name}Input for its input side, and that name is taken; rename one`,
        d.where,
      );
    }
  }

  const use = (schema: Schema, encoded = false): SchemaUse => ({
    name: names.get(schema)!,
    differs: sides.differs(schema),
    encoded,
  });
  /**
   * An event part with a codec is encoded by its sender: it must be encodable (see {@link encodable}). Without a
   * codec it is not encoded, and there is nothing to check.
   */
  const encodes = (schema: Schema | undefined, where: Where): boolean =>
    schema !== undefined && codecIn(schema) && encodable(schema, where);
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
            `its identifier ${ident} is reserved in the generated ` +
              `${direction === "serverToClient" ? "client" : "handler interface"}; set \`identifier\` to another name`,
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

  const model = {
    name: contract.name,
    version: contract.version,
    pascal,
    doc: contract.doc,
    file,
    namespaces: namespaceModels,
    schemas,
  };
  let jsonSchemas: ContractJsonSchemas | undefined;
  const built = Object.defineProperty(model as Omit<ContractModel, "jsonSchemas"> as ContractModel, "jsonSchemas", {
    enumerable: false,
    get: () => (jsonSchemas ??= contractJsonSchemas(contract)),
  });
  const first = new Map<Schema, { where: Where; access: string }>();
  for (const [schema, { where }] of seen) first.set(schema, { where, access: access.get(schema)! });
  SITES.set(built, { names, first, others: otherAccess });
  return built;
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
      `this schema holds a codec (at ${codecAt}), so its senders encode it, and ${found.oneWay.what} cannot be encoded: ` +
        "make it a z.codec() with an encode, or move the codec to another event",
      found.oneWay.where,
    );
  }
  return true;
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

export type Child = [schema: Schema, segment: string | number | undefined, access: string];

/**
 * The schemas directly inside a schema (the runtime's zod walker), with the path segment that leads to each (for
 * messages) and the type-level access to it (for questions to the TypeScript compiler: `["_zod"]["def"]["shape"]["name"]`).
 */
export function children(schema: Schema): Child[] {
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

/** `namespace "/", event "x", payload.a`: a place in words. */
export function describeSite(where: Where): string {
  const parts: string[] = [];
  if (where.namespace !== undefined) parts.push(`namespace ${JSON.stringify(where.namespace)}`);
  if (where.event !== undefined) parts.push(`event ${JSON.stringify(where.event)}`);
  if (where.part !== undefined) parts.push([where.part, ...(where.path ?? [])].join("."));
  return parts.join(", ");
}

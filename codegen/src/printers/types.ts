/**
 * types.gen.ts: one declaration per named schema (its output type, and an `Input` twin where zod's input
 * differs), Socket.IO's event maps per namespace, and each namespace's error codes.
 */
import type { StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import { ERROR_EVENT } from "@iocontract/runtime/v1/wire";
import type { Mode } from "../schema/print-type.js";
import type { EventModel, NamespaceModel } from "../model.js";
import { type Declaration, type TypeScriptTypes, typeUse } from "../typescript/types.js";
import {
  type DeclaredName,
  type PrintedFile,
  type TypesContext,
  WIDTH,
  docs,
  errorCodeType,
  eventDocs,
  iface,
  namedList,
  namespaceOwner,
  printFile,
  prop,
  quoted,
} from "./common.js";

/** The names types.gen.ts declares per namespace, in order. */
function namespaceNames(ns: NamespaceModel) {
  const P = ns.sdkPrefix;
  return {
    errorCode: errorCodeType(ns),
    errorDetails: `${P}ErrorDetails`,
    clientToServer: `${P}ClientToServerEvents`,
    serverToClient: `${P}ServerToClientEvents`,
    ...(ns.serverToServer.length > 0 ? { interServer: `${P}InterServerEvents` } : {}),
  };
}

/** Every name types.gen.ts declares, in the order it declares them (the other files import them in this order). */
export function typesDeclare(ts: TypeScriptTypes): DeclaredName[] {
  const out: DeclaredName[] = [];
  ts.declarations.forEach((d, i) => {
    const claim = { owner: `type ${d.name}`, rank: [3, i] as const };
    out.push({ name: d.name, ...claim });
    if (d.differs) out.push({ name: `${d.name}Input`, ...claim });
  });
  ts.aliases.forEach((a, i) => {
    const claim = { owner: a.what, rank: [4, i] as const };
    out.push({ name: a.name, ...claim });
    if (a.type.input !== a.type.output) out.push({ name: `${a.name}Input`, ...claim });
  });
  for (const ns of ts.model.namespaces) {
    const claim = namespaceOwner(ts.model, ns);
    for (const name of Object.values(namespaceNames(ns))) out.push({ name, ...claim });
  }
  return out;
}

function declare(d: Declaration, mode: Mode): StatementStructures {
  const name = mode === "input" ? `${d.name}Input` : d.name;
  const body = mode === "input" ? d.input! : d.output;
  const lines = [
    ...d.docs,
    ...(d.differs
      ? [
          d.codec
            ? mode === "input"
              ? `What travels (zod's input type); receivers get {@link ${d.name}}, decoded. An event's sender writes {@link ${d.name}}: the runtime encodes it.`
              : `What a receiver gets, decoded (zod's output type), and what an event's sender writes (the runtime encodes it to {@link ${d.name}Input}).`
            : mode === "input"
              ? `What a sender writes (zod's input type); receivers get {@link ${d.name}}.`
              : `What a receiver gets after parsing (zod's output type); senders write {@link ${d.name}Input}.`,
        ]
      : []),
  ];
  if (body.kind === "interface") {
    return iface(name, {
      docs: docs(lines.join("\n")),
      properties: body.members.map((m) => ({
        name: m.key,
        type: m.type,
        hasQuestionToken: m.optional,
        docs: docs(m.docs.join("\n")),
      })),
    });
  }
  return {
    kind: StructureKind.TypeAlias,
    name,
    isExported: true,
    type: body.type,
    docs: docs(lines.join("\n")),
  };
}

/**
 * The listener signature Socket.IO's generics want for one event: wire types (what the sender writes). One
 * parameter a line when the event map's member (`  "wire name": (...) => void;`) would not fit {@link WIDTH}.
 */
function listener(ev: EventModel, ns: NamespaceModel): string {
  const params: string[] = [];
  if (ev.payload) params.push(`payload: ${typeUse(ev.payload).wire}`);
  if (ev.ack) params.push(`ack: (answer: AckEnvelope<${typeUse(ev.ack).wire}, ${errorCodeType(ns)}>) => void`);
  const line = `(${params.join(", ")}) => void`;
  if (`  ${quoted(ev.wire)}: ${line};`.length <= WIDTH) return line;
  return `(\n${params.map((p) => `  ${p},\n`).join("")}) => void`;
}

/**
 * Reads no output-folder setting (a {@link TypesContext}) unless the types name enums of the contract module
 * (`ts.contractImports`): then each output's copy imports them by its own path (`contractImport`).
 */
export function printTypes(ctx: TypesContext & { readonly contractImport?: string }): PrintedFile {
  const ts = ctx.ts;
  const statements: Array<StatementStructures | string> = [];
  const imports: string[] = [
    namedList("import type", ["AckEnvelope", "BuiltinErrorCode", "ErrorEventPayload"], `${ctx.runtimeImport}/v1/wire`),
  ];
  // The compiler's answers name these (ts-types.ts): imported by name, as the answers hold them.
  if (ts.contractImports.length > 0) imports.push(namedList("import type", ts.contractImports, ctx.contractImport!));
  // zod's brand type, for branded schemas (`string & $brand<"UserId">`: ids of two kinds cannot be mixed).
  if (ts.zodImports.length > 0) imports.push(namedList("import type", ts.zodImports, "zod"));
  for (const d of ts.declarations) {
    statements.push(declare(d, "output"));
    if (d.differs) statements.push(declare(d, "input"));
  }
  for (const a of ts.aliases) {
    const alias = (name: string, type: string, doc: string): StatementStructures => ({
      kind: StructureKind.TypeAlias,
      name,
      isExported: true,
      type,
      docs: docs(doc),
    });
    statements.push(alias(a.name, a.type.output, `${a.what.charAt(0).toUpperCase()}${a.what.slice(1)}.`));
    if (a.type.input !== a.type.output)
      statements.push(alias(`${a.name}Input`, a.type.input, `What a sender writes for ${a.what}.`));
  }
  for (const ns of ts.model.namespaces) {
    const n = namespaceNames(ns);
    const codes = ns.errors.map((e) => JSON.stringify(e.code));
    statements.push({
      kind: StructureKind.TypeAlias,
      name: n.errorCode,
      isExported: true,
      type: ["BuiltinErrorCode", ...codes].join(" | "),
      docs: docs(
        `Every error code a call in namespace ${JSON.stringify(ns.path)} can fail with: iocontract's own, then the contract's.`,
      ),
    });
    statements.push(
      iface(n.errorDetails, {
        docs: docs(
          `The \`details\` of each error code the contract declares for namespace ${JSON.stringify(ns.path)}.`,
        ),
        properties: ns.errors.map((e) => prop(e.code, typeUse(e.details).output)),
      }),
    );
    statements.push(
      iface(n.clientToServer, {
        docs: docs(`Socket.IO's \`ClientToServerEvents\` for namespace ${JSON.stringify(ns.path)} (wire types).`),
        properties: ns.clientToServer.map((ev) => ({
          ...prop(quoted(ev.wire), listener(ev, ns), { readonly: false }),
          docs: eventDocs(ev.wire, ev.doc),
        })),
      }),
    );
    statements.push(
      iface(n.serverToClient, {
        docs: docs(`Socket.IO's \`ServerToClientEvents\` for namespace ${JSON.stringify(ns.path)} (wire types).`),
        properties: [
          ...ns.serverToClient.map((ev) => ({
            ...prop(quoted(ev.wire), listener(ev, ns), { readonly: false }),
            docs: eventDocs(ev.wire, ev.doc),
          })),
          prop(quoted(ERROR_EVENT), "(error: ErrorEventPayload) => void", {
            readonly: false,
            docs: ["The runtime's reserved event: a fire-and-forget event was rejected."],
          }),
        ],
      }),
    );
    if (n.interServer !== undefined) {
      statements.push(
        iface(n.interServer, {
          docs: docs(
            `Socket.IO's \`InterServerEvents\` for namespace ${JSON.stringify(ns.path)}: what \`serverSideEmit\` carries between server nodes.`,
          ),
          properties: ns.serverToServer.map((ev) => ({
            ...prop(quoted(ev.wire), listener(ev, ns), { readonly: false }),
            docs: eventDocs(ev.wire, ev.doc),
          })),
        }),
      );
    }
  }
  return {
    name: "types.gen.ts",
    text: printFile(
      ctx,
      `Types of contract "${ctx.model.name}": payloads, acks, Socket.IO event maps.`,
      imports,
      statements,
      ts.declared.types,
    ),
  };
}

/**
 * client.gen.ts: per namespace a typed client (`emit`, `on`, `once`, `handle`) and its `create...Client()`,
 * a one-line call into the runtime.
 */
import { DEFAULT_ACK_TIMEOUT_MS } from "@iocontract/runtime/contract";
import type { StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import type { NamespaceModel } from "../model.js";
import type { TypeScriptTypes } from "../typescript/types.js";
import {
  type DeclaredName,
  ImportFrom,
  type PrintContext,
  type PrintedFile,
  type TypeRef,
  defaultImport,
  docs,
  errorCodeType,
  errorDetailsType,
  eventDocs,
  iface,
  local,
  method,
  namedList,
  namespaceOwner,
  param,
  printFile,
  prop,
  specStatement,
  typesOf,
} from "./common.js";

/** The names client.gen.ts declares per namespace, in order. */
function namespaceNames(ns: NamespaceModel) {
  const P = ns.sdkPrefix;
  return {
    emit: `${P}ClientEmit`,
    once: `${P}ClientOnce`,
    on: `${P}ClientOn`,
    handle: `${P}ClientHandle`,
    options: `${P}ClientOptions`,
    types: `${P}ClientTypes`,
    client: `${P}Client`,
    create: `create${P}Client`,
  };
}

/** Every name client.gen.ts declares, in order. */
export function clientDeclare(ts: TypeScriptTypes): DeclaredName[] {
  return ts.model.namespaces.flatMap((ns) =>
    Object.values(namespaceNames(ns)).map((name) => ({ name, ...namespaceOwner(ts.model, ns) })),
  );
}

function namespaceStatements(
  ctx: PrintContext,
  ns: NamespaceModel,
  t: TypeRef,
  rt: TypeRef,
  rv: TypeRef,
): StatementStructures[] {
  const n = namespaceNames(ns);
  const P = ns.sdkPrefix;
  const at = JSON.stringify(ns.path);
  const events = ns.serverToClient.filter((ev) => !ev.ack);
  const requests = ns.serverToClient.filter((ev) => ev.ack);
  const listenerOf = (payload: string | undefined) => `(${payload ? `payload: ${payload}` : ""}) => void`;
  return [
    iface(n.emit, {
      docs: docs(
        `Client→server events of namespace ${at}. Payloads are validated before they leave; an invalid one throws (or rejects) with REQUEST_INVALID.`,
      ),
      methods: ns.clientToServer.map((ev) => {
        const params = [...(ev.payload ? [param("payload", typesOf(ev.payload, t).input)] : [])];
        if (!ev.ack) return method(ev.ident, params, "void", eventDocs(ev.wire, ev.doc));
        params.push(param("options", rt("CallOptions"), true));
        const timeout = `Times out after ${ev.timeoutMs ?? DEFAULT_ACK_TIMEOUT_MS} ms unless \`options.timeoutMs\` says otherwise.`;
        return method(
          ev.ident,
          params,
          `Promise<${typesOf(ev.ack, t).output}>`,
          eventDocs(
            ev.wire,
            ev.doc,
            `Resolves with the server's ack; rejects with an \`IocontractError<${errorCodeType(ns)}>\`. ${timeout}`,
          ),
        );
      }),
    }),
    iface(n.once, {
      docs: docs(`Server→client events of namespace ${at}: each returns an unsubscribe function.`),
      methods: events.map((ev) =>
        method(
          ev.ident,
          [param("listener", listenerOf(ev.payload && typesOf(ev.payload, t).output))],
          rt("Unsubscribe"),
          eventDocs(ev.wire, ev.doc),
        ),
      ),
    }),
    iface(n.on, {
      docs: docs(
        `Server→client events and connection lifecycle of namespace ${at}: each returns an unsubscribe function.`,
      ),
      extends: [n.once, `${rt("ClientLifecycle")}<${t(errorCodeType(ns))}>`],
    }),
    iface(n.handle, {
      docs: docs(`Answers to server→client requests of namespace ${at}: return the ack, or throw an IocontractError.`),
      methods: requests.map((ev) =>
        method(
          ev.ident,
          [
            param(
              "handler",
              `(${ev.payload ? `payload: ${typesOf(ev.payload, t).output}` : ""}) => ${typesOf(ev.ack!, t).input} | Promise<${typesOf(ev.ack!, t).input}>`,
            ),
          ],
          rt("Unsubscribe"),
          eventDocs(ev.wire, ev.doc),
        ),
      ),
    }),
    iface(n.options, { extends: [`${rt("ClientOptions")}<${ns.auth ? typesOf(ns.auth, t).input : "never"}>`] }),
    iface(n.types, {
      docs: docs(`The types of namespace ${at} that the runtime's generic client API is instantiated with.`),
      properties: [
        prop("emit", n.emit),
        prop("on", n.on),
        prop("once", n.once),
        prop("handle", n.handle),
        prop("socket", `Socket<${t(`${P}ServerToClientEvents`)}, ${t(`${P}ClientToServerEvents`)}>`),
        // What `client.error(code, details)` takes, per contract error code (as the server's `ctx.error`).
        prop("errors", errorDetailsType(ns, t)),
      ],
    }),
    iface(n.client, {
      docs: docs(ns.doc, `A client of namespace ${at} of contract "${ctx.model.name}".`),
      extends: [`${rt("Client")}<${n.types}>`],
    }),
    {
      kind: StructureKind.Function,
      isExported: true,
      name: n.create,
      docs: docs(`Connects to namespace ${at}. Without \`url\`, connects to the page's own origin (browsers).`),
      parameters: [param("url", "string | undefined", true), param("options", n.options, true)],
      returnType: n.client,
      statements: [`return ${rv("createClient")}<${n.types}>(spec, ${at}, url, options);`],
    },
  ];
}

export function printClient(ctx: PrintContext): PrintedFile {
  const runtime = new ImportFrom(`${ctx.runtimeImport}/v1/client`);
  const types = new ImportFrom(local(ctx, "./types.gen"), ctx.ts.declared.types);
  const t: TypeRef = (name) => types.type(name);
  const rt: TypeRef = (name) => runtime.type(name);
  const rv: TypeRef = (name) => runtime.value(name);
  const statements: Array<StatementStructures | string> = [
    specStatement(ctx.model, "spec", runtime, { serverToServer: false }),
  ];
  for (const ns of ctx.model.namespaces) statements.push(...namespaceStatements(ctx, ns, t, rt, rv));
  return {
    name: "client.gen.ts",
    text: printFile(
      ctx,
      `Client SDK of contract "${ctx.model.name}": one typed client per namespace.`,
      [
        namedList("import type", ["Socket"], "socket.io-client"),
        defaultImport("contract", ctx.contractImport),
        runtime,
        types,
      ],
      statements,
      ctx.ts.declared.client,
    ),
  };
}

/**
 * client.gen.ts: per namespace a typed client (`emit`, `on`, `once`, `handle`) and its `create...Client()`,
 * a one-line call into the runtime.
 */
import { DEFAULT_ACK_TIMEOUT_MS } from "@iocontract/runtime/contract";
import type { StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import type { NamespaceModel } from "../model.js";
import { errorCodeType, errorDetailsType } from "./types.js";
import { specStatement, typeNames } from "./server.js";
import {
  type PrintContext,
  type PrintedFile,
  docs,
  eventDocs,
  iface,
  local,
  method,
  param,
  printFile,
  prop,
} from "./common.js";

function namespaceStatements(ctx: PrintContext, ns: NamespaceModel): StatementStructures[] {
  const P = ns.sdkPrefix;
  const at = JSON.stringify(ns.path);
  const events = ns.serverToClient.filter((ev) => !ev.ack);
  const requests = ns.serverToClient.filter((ev) => ev.ack);
  const listenerOf = (payload: string | undefined) => `(${payload ? `payload: ${payload}` : ""}) => void`;
  return [
    iface(`${P}ClientEmit`, {
      docs: docs(
        `Client→server events of namespace ${at}. Payloads are validated before they leave; an invalid one throws (or rejects) with REQUEST_INVALID.`,
      ),
      methods: ns.clientToServer.map((ev) => {
        const params = [...(ev.payload ? [param("payload", ev.payload.input)] : [])];
        if (!ev.ack) return method(ev.ident, params, "void", eventDocs(ev.wire, ev.doc));
        params.push(param("options", "CallOptions", true));
        const timeout = `Times out after ${ev.timeoutMs ?? DEFAULT_ACK_TIMEOUT_MS} ms unless \`options.timeoutMs\` says otherwise.`;
        return method(
          ev.ident,
          params,
          `Promise<${ev.ack.output}>`,
          eventDocs(
            ev.wire,
            ev.doc,
            `Resolves with the server's ack; rejects with an \`IocontractError<${errorCodeType(ns)}>\`. ${timeout}`,
          ),
        );
      }),
    }),
    iface(`${P}ClientOnce`, {
      docs: docs(`Server→client events of namespace ${at}: each returns an unsubscribe function.`),
      methods: events.map((ev) =>
        method(
          ev.ident,
          [param("listener", listenerOf(ev.payload?.output))],
          "Unsubscribe",
          eventDocs(ev.wire, ev.doc),
        ),
      ),
    }),
    iface(`${P}ClientOn`, {
      docs: docs(
        `Server→client events and connection lifecycle of namespace ${at}: each returns an unsubscribe function.`,
      ),
      extends: [`${P}ClientOnce`, `ClientLifecycle<${errorCodeType(ns)}>`],
    }),
    iface(`${P}ClientHandle`, {
      docs: docs(`Answers to server→client requests of namespace ${at}: return the ack, or throw an IocontractError.`),
      methods: requests.map((ev) =>
        method(
          ev.ident,
          [
            param(
              "handler",
              `(${ev.payload ? `payload: ${ev.payload.output}` : ""}) => ${ev.ack!.input} | Promise<${ev.ack!.input}>`,
            ),
          ],
          "Unsubscribe",
          eventDocs(ev.wire, ev.doc),
        ),
      ),
    }),
    iface(`${P}ClientOptions`, { extends: [`ClientOptions<${ns.auth ? ns.auth.input : "never"}>`] }),
    iface(`${P}ClientTypes`, {
      docs: docs(`The types of namespace ${at} that the runtime's generic client API is instantiated with.`),
      properties: [
        prop("emit", `${P}ClientEmit`),
        prop("on", `${P}ClientOn`),
        prop("once", `${P}ClientOnce`),
        prop("handle", `${P}ClientHandle`),
        prop("socket", `Socket<${P}ServerToClientEvents, ${P}ClientToServerEvents>`),
        // What `client.error(code, details)` takes, per contract error code (as the server's `ctx.error`).
        prop("errors", errorDetailsType(ns)),
      ],
    }),
    iface(`${P}Client`, {
      docs: docs(ns.doc, `A client of namespace ${at} of contract "${ctx.model.name}".`),
      extends: [`Client<${P}ClientTypes>`],
    }),
    {
      kind: StructureKind.Function,
      isExported: true,
      name: `create${P}Client`,
      docs: docs(`Connects to namespace ${at}. Without \`url\`, connects to the page's own origin (browsers).`),
      parameters: [param("url", "string | undefined", true), param("options", `${P}ClientOptions`, true)],
      returnType: `${P}Client`,
      statements: [`return createClient<${P}ClientTypes>(spec, ${at}, url, options);`],
    },
  ];
}

/** The runtime's client names a client file may use; only the ones it uses are imported. */
const RUNTIME_CLIENT_TYPES = [
  "CallOptions",
  "Client",
  "ClientLifecycle",
  "ClientOptions",
  "IocontractError",
  "RuntimeSpec",
  "Unsubscribe",
];

export function printClient(ctx: PrintContext): PrintedFile {
  const imports: StatementStructures[] = [
    {
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      namedImports: ["Socket"],
      moduleSpecifier: "socket.io-client",
    },
    { kind: StructureKind.ImportDeclaration, defaultImport: "contract", moduleSpecifier: ctx.contractImport },
  ];
  const statements: Array<StatementStructures | string> = [specStatement(ctx, "spec", { serverToServer: false })];
  for (const ns of ctx.model.namespaces) statements.push(...namespaceStatements(ctx, ns));
  return {
    name: "client.gen.ts",
    text: printFile(
      ctx,
      `Client SDK of contract "${ctx.model.name}": one typed client per namespace.`,
      imports,
      statements,
      { from: `${ctx.runtimeImport}/v1/client`, names: RUNTIME_CLIENT_TYPES, values: ["createClient"] },
      { from: local(ctx, "./types.gen"), names: typeNames(ctx) },
    ),
  };
}

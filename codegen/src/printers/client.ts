/**
 * client.gen.ts: per namespace a typed client (`emit`, `on`, `once`, `handle`) and its `create...Client()`,
 * a one-line call into the runtime.
 */
import type { StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import type { NamespaceModel } from "../model.js";
import { errorCodeType } from "./types.js";
import { specStatement, typeNames } from "./server.js";
import { type PrintContext, type PrintedFile, docs, eventDocs, iface, method, param, printFile, prop } from "./common.js";

function namespaceStatements(ctx: PrintContext, ns: NamespaceModel): StatementStructures[] {
  const P = ns.sdkPrefix;
  const at = JSON.stringify(ns.path);
  const events = ns.serverToClient.filter((ev) => !ev.ack);
  const requests = ns.serverToClient.filter((ev) => ev.ack);
  const listenerOf = (payload: string | undefined) => `(${payload ? `payload: ${payload}` : ""}) => void`;
  return [
    iface(`${P}ClientEmit`, {
      docs: docs(`Client→server events of namespace ${at}. Payloads are validated before they leave; an invalid one throws (or rejects) with REQUEST_INVALID.`),
      methods: ns.clientToServer.map((ev) => {
        const params = [...(ev.payload ? [param("payload", ev.payload.input)] : [])];
        if (!ev.ack) return method(ev.ident, params, "void", eventDocs(ev.wire, ev.doc));
        params.push(param("options", "CallOptions", true));
        const timeout = `Times out after ${ev.timeoutMs ?? 10000} ms unless \`options.timeoutMs\` says otherwise.`;
        return method(ev.ident, params, `Promise<${ev.ack.output}>`, eventDocs(ev.wire, ev.doc, `Resolves with the server's ack; rejects with an \`IocontractError<${errorCodeType(ns)}>\`. ${timeout}`));
      }),
    }),
    iface(`${P}ClientOnce`, {
      docs: docs(`Server→client events of namespace ${at}: each returns an unsubscribe function.`),
      methods: events.map((ev) => method(ev.ident, [param("listener", listenerOf(ev.payload?.output))], "Unsubscribe", eventDocs(ev.wire, ev.doc))),
    }),
    iface(`${P}ClientOn`, {
      docs: docs(`Server→client events and connection lifecycle of namespace ${at}: each returns an unsubscribe function.`),
      extends: [`${P}ClientOnce`],
      methods: [
        method("connect", [param("listener", "() => void")], "Unsubscribe"),
        method("disconnect", [param("listener", "(reason: Socket.DisconnectReason, notice: IocontractError | undefined) => void")], "Unsubscribe", [
          "`notice`: what the server said before closing the connection (SHUTTING_DOWN: it reconnects by itself; PAYLOAD_TOO_LARGE).",
        ]),
        method("connectError", [param("listener", `(error: IocontractError<${errorCodeType(ns)}>) => void`)], "Unsubscribe", [
          "The server's refusal (its code, message and details), or CONNECTION_FAILED.",
        ]),
        method("reconnect", [param("listener", "(attempt: number) => void")], "Unsubscribe"),
        method("eventError", [param("listener", `(error: IocontractError<${errorCodeType(ns)}>) => void`)], "Unsubscribe", [
          "A fire-and-forget event this client sent was rejected (`error.event` names it), or the server sent an invalid payload.",
        ]),
      ],
    }),
    iface(`${P}ClientHandle`, {
      docs: docs(`Answers to server→client requests of namespace ${at}: return the ack, or throw an IocontractError.`),
      methods: requests.map((ev) =>
        method(
          ev.ident,
          [param("handler", `(${ev.payload ? `payload: ${ev.payload.output}` : ""}) => ${ev.ack!.input} | Promise<${ev.ack!.input}>`)],
          "Unsubscribe",
          eventDocs(ev.wire, ev.doc),
        ),
      ),
    }),
    iface(`${P}ClientOptions`, {
      extends: ['Omit<ClientOptions, "auth">'],
      properties: ns.auth ? [prop("auth", ns.auth.input, { optional: true, docs: ["The handshake auth, validated before it is sent."] })] : [],
    }),
    iface(`${P}Client`, {
      docs: docs(ns.doc, `A client of namespace ${at} of contract "${ctx.model.name}".`),
      properties: [
        prop("emit", `${P}ClientEmit`),
        prop("on", `${P}ClientOn`),
        prop("once", `${P}ClientOnce`),
        prop("handle", `${P}ClientHandle`),
        prop("socket", `Socket<${P}ServerToClientEvents, ${P}ClientToServerEvents>`, { docs: ["The socket.io-client socket, as an escape hatch."] }),
        prop("id", "string | undefined"),
        prop("connected", "boolean"),
      ],
      methods: [
        method("connect", [], `${P}Client`),
        method("disconnect", [], `${P}Client`),
        method("ready", [], "Promise<void>", ["Resolves once connected; rejects with the typed connect error."]),
      ],
    }),
    {
      kind: StructureKind.Function,
      isExported: true,
      name: `create${P}Client`,
      docs: docs(`Connects to namespace ${at}. Without \`url\`, connects to the page's own origin (browsers).`),
      parameters: [param("url", "string | undefined", true), param("options", `${P}ClientOptions`, true)],
      returnType: `${P}Client`,
      statements: [`return createClient(spec, ${at}, url, options) as unknown as ${P}Client;`],
    },
  ];
}

export function printClient(ctx: PrintContext): PrintedFile {
  const imports: StatementStructures[] = [
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, namedImports: ["Socket"], moduleSpecifier: "socket.io-client" },
    {
      kind: StructureKind.ImportDeclaration,
      namedImports: ["createClient", "type CallOptions", "type ClientOptions", "type IocontractError", "type RuntimeSpec", "type Unsubscribe"],
      moduleSpecifier: `${ctx.runtimeImport}/v1/client`,
    },
    { kind: StructureKind.ImportDeclaration, defaultImport: "contract", moduleSpecifier: ctx.contractImport },
  ];
  const statements: Array<StatementStructures | string> = [specStatement(ctx, "spec", { serverToServer: false })];
  for (const ns of ctx.model.namespaces) statements.push(...namespaceStatements(ctx, ns));
  return {
    name: "client.gen.ts",
    text: printFile(ctx, `Client SDK of contract "${ctx.model.name}": one typed client per namespace.`, imports, statements, {
      from: "./types.gen",
      names: typeNames(ctx),
    }),
  };
}

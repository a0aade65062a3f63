/**
 * server.gen.ts: per namespace the handler interface users implement, the context handlers receive, the typed
 * emitters and requesters; then `create<Name>Server()`, a one-line call into the runtime.
 */
import type { StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import type { EventModel, NamespaceModel } from "../model.js";
import { errorCodeType, errorDetailsType } from "./types.js";
import {
  type PrintContext,
  type PrintedFile,
  WIDTH,
  docs,
  eventDocs,
  iface,
  local,
  method,
  param,
  printFile,
  prop,
  quoted,
} from "./common.js";

/** Every name the types file exports: the printer imports the ones a file uses. */
export function typeNames(ctx: PrintContext): string[] {
  const names = new Set<string>();
  for (const d of ctx.model.declarations) {
    names.add(d.name);
    if (d.differs) names.add(`${d.name}Input`);
  }
  for (const a of ctx.model.aliases) {
    names.add(a.name);
    if (a.type.input !== a.type.output) names.add(`${a.name}Input`);
  }
  for (const ns of ctx.model.namespaces) {
    for (const suffix of ["ErrorCode", "ErrorDetails", "ClientToServerEvents", "ServerToClientEvents"])
      names.add(`${ns.sdkPrefix}${suffix}`);
    if (ns.serverToServer.length > 0) names.add(`${ns.sdkPrefix}InterServerEvents`);
  }
  return [...names];
}

/** Socket.IO's generics for a namespace: `ClientToServer, ServerToClient[, InterServer]`. */
function ioGenerics(ns: NamespaceModel): string {
  const P = ns.sdkPrefix;
  return `${P}ClientToServerEvents, ${P}ServerToClientEvents${ns.serverToServer.length > 0 ? `, ${P}InterServerEvents` : ""}`;
}

/** The runtime table: wire name → method name, per namespace and direction. Printed as text: it is data. */
export function specStatement(
  ctx: PrintContext,
  name: string,
  options: { readonly serverToServer: boolean } = { serverToServer: true },
): string {
  // `      clientToServer: { "a": "a", "b c": "bC" },` when it fits the width, else one event a line.
  const table = (direction: string, events: readonly EventModel[]) => {
    const line = `      ${direction}: {${events.map((ev) => ` ${quoted(ev.wire)}: ${quoted(ev.ident)}`).join(",")}${events.length ? " " : ""}},\n`;
    if (line.length - 1 <= WIDTH) return line;
    return `      ${direction}: {\n${events.map((ev) => `        ${quoted(ev.wire)}: ${quoted(ev.ident)},\n`).join("")}      },\n`;
  };
  // Events whose payload (1) or ack (2) holds a codec: their senders encode. Printed only where there are some.
  const encodeTable = (ns: NamespaceModel): string => {
    const directions = (["clientToServer", "serverToClient", "serverToServer"] as const)
      .filter((d) => d !== "serverToServer" || options.serverToServer)
      .map((d) => [d, ns[d].filter((ev) => ev.encodes !== 0)] as const)
      .filter(([, events]) => events.length > 0)
      .map(([d, events]) => ` ${d}: {${events.map((ev) => ` ${quoted(ev.wire)}: ${ev.encodes}`).join(",")} }`);
    return directions.length > 0 ? `      encode: {${directions.join(",")} },\n` : "";
  };
  const body = ctx.model.namespaces
    .map(
      (ns) =>
        `    ${quoted(ns.path)}: {\n${table("clientToServer", ns.clientToServer)}${table("serverToClient", ns.serverToClient)}` +
        (options.serverToServer && ns.serverToServer.length > 0 ? table("serverToServer", ns.serverToServer) : "") +
        encodeTable(ns) +
        `    },`,
    )
    .join("\n");
  return `/** Wire name → method name, read once by the runtime at start-up. */\nconst ${name}: RuntimeSpec = {\n  contract,\n  namespaces: {\n${body}\n  },\n};`;
}

function namespaceStatements(ns: NamespaceModel): StatementStructures[] {
  const P = ns.sdkPrefix;
  const at = JSON.stringify(ns.path);
  const codes = errorCodeType(ns);
  const out: StatementStructures[] = [];
  const emits = ns.serverToClient.filter((ev) => !ev.ack);
  const requests = ns.serverToClient.filter((ev) => ev.ack);
  const options = param("options", "RequestOptions", true);
  const auth = ns.auth ? ns.auth.output : "Record<string, unknown>";
  // What `ctx.error(code, details)` and `ctx.refuse(code, message, details)` take, per contract error code.
  const errors = errorDetailsType(ns);

  // The contract's parts: one method per event, with the contract's docs.
  out.push(
    iface(`${P}Emit`, {
      docs: docs(
        `Fire-and-forget events the server sends in namespace ${at}. Payloads are validated before they leave.`,
      ),
      methods: emits.map((ev) =>
        method(ev.ident, ev.payload ? [param("payload", ev.payload.input)] : [], "void", eventDocs(ev.wire, ev.doc)),
      ),
    }),
    iface(`${P}Request`, {
      docs: docs(
        `Requests to one socket in namespace ${at}: resolve with its typed answer, or reject with an IocontractError.`,
      ),
      methods: requests.map((ev) =>
        method(
          ev.ident,
          [...(ev.payload ? [param("payload", ev.payload.input)] : []), options],
          `Promise<${ev.ack!.output}>`,
          eventDocs(ev.wire, ev.doc),
        ),
      ),
    }),
    iface(`${P}BroadcastRequest`, {
      docs: docs(
        `Requests to many sockets in namespace ${at}: one envelope per socket that answered (TIMEOUT if some did not).`,
      ),
      methods: requests.map((ev) => {
        const params = [...(ev.payload ? [param("payload", ev.payload.input)] : []), options];
        const answers = `Array<AckEnvelope<${ev.ack!.output}, ${codes}>>`;
        // The signature as printed, to break the return type when it would not fit the width.
        const line = `  ${ev.ident}(${params.map((p) => `${p.name}${p.hasQuestionToken ? "?" : ""}: ${p.type}`).join(", ")}): Promise<${answers}>;`;
        return method(
          ev.ident,
          params,
          line.length <= WIDTH ? `Promise<${answers}>` : `Promise<\n  ${answers}\n>`,
          eventDocs(ev.wire, ev.doc),
        );
      }),
    }),
  );
  if (ns.serverToServer.length > 0) {
    out.push(
      iface(`${P}ServerSideEmit`, {
        docs: docs(
          `Inter-server events of namespace ${at}, to the other server nodes (socket.io's \`serverSideEmit\`). Payloads are validated before they leave; with the in-memory adapter there is no other node and nothing is sent.`,
        ),
        methods: ns.serverToServer.map((ev) =>
          method(ev.ident, ev.payload ? [param("payload", ev.payload.input)] : [], "void", eventDocs(ev.wire, ev.doc)),
        ),
      }),
    );
  }

  // The runtime's generic API (packages/runtime/src/v1/server-api.ts), instantiated with this namespace's types.
  out.push(
    iface(`${P}Types`, {
      docs: docs(`The types of namespace ${at} that the runtime's generic server API is instantiated with.`),
      properties: [
        prop("path", at),
        prop("emit", `${P}Emit`),
        prop("request", `${P}Request`),
        prop("broadcastRequest", `${P}BroadcastRequest`),
        prop("auth", auth),
        prop("session", ns.socketData ? ns.socketData.output : "unknown"),
        prop("sessionInput", ns.socketData ? ns.socketData.input : "unknown"),
        prop("errors", errors),
        prop("socket", `Socket<${ioGenerics(ns)}>`),
        prop("nsp", `Namespace<${ioGenerics(ns)}>`),
      ],
    }),
    iface(`${P}Broadcast`, {
      docs: docs(`A selection of sockets in namespace ${at}: rooms, sids, minus exceptions.`),
      extends: [`Broadcast<${P}Types>`],
    }),
    iface(`${P}Handshake`, {
      docs: docs(`The handshake of a connection to namespace ${at}.`),
      extends: [`Handshake<${auth}>`],
    }),
    iface(`${P}Context`, {
      docs: docs(`What every handler of namespace ${at} receives: one per connection.`),
      extends: [`Context<${P}Types>`],
    }),
  );

  const handlerMethods = [
    ...ns.clientToServer.map((ev) => {
      const params = [...(ev.payload ? [param("payload", ev.payload.output)] : []), param("ctx", `${P}Context`)];
      const ret = ev.ack ? `${ev.ack.input} | Promise<${ev.ack.input}>` : "void | Promise<void>";
      return method(
        ev.ident,
        params,
        ret,
        eventDocs(ev.wire, ev.doc, ev.ack ? "Return the ack; throw `ctx.error(...)` to fail it." : undefined),
      );
    }),
    ...ns.serverToServer.map((ev) =>
      method(
        ev.ident,
        ev.payload ? [param("payload", ev.payload.output)] : [],
        "void | Promise<void>",
        eventDocs(
          ev.wire,
          ev.doc,
          "An inter-server event: another server node sent it with `serverSideEmit`; it arrives parsed and valid.",
        ),
      ),
    ),
  ];
  out.push(
    iface(`${P}Handlers`, {
      docs: docs(
        ns.doc,
        `Implement this for namespace ${at}: one method per client→server event. Payloads arrive parsed and valid.`,
      ),
      extends: [`LifecycleHandlers<${P}Context>`],
      methods: handlerMethods,
    }),
  );

  const hasMessage = ns.serverToClient.find((ev) => ev.wire === "message" && !ev.ack);
  out.push(
    iface(`${P}Namespace`, {
      docs: docs(`The server side of namespace ${at}, usable outside any handler.`),
      extends: [`ServerNamespace<${P}Types>`],
      properties:
        ns.serverToServer.length > 0
          ? [
              prop("serverSideEmit", `${P}ServerSideEmit`, {
                docs: ["To the other server nodes; their handler objects receive it."],
              }),
            ]
          : [],
      methods: hasMessage
        ? [
            method(
              "send",
              [
                ...(hasMessage.payload ? [param("payload", hasMessage.payload.input)] : []),
                param("options", "SendOptions", true),
              ],
              "void",
              [
                "python-socketio's `send()`: the `message` event, to everyone or to `options.to`, minus `options.except`.",
              ],
            ),
          ]
        : [],
    }),
  );
  return out;
}

/** The runtime's server names a server file may use; only the ones it uses are imported. */
const RUNTIME_SERVER_TYPES = [
  "AckEnvelope",
  "Broadcast",
  "Context",
  "ContractServer",
  "Handshake",
  "LifecycleHandlers",
  "RequestOptions",
  "RuntimeSpec",
  "SendOptions",
  "ServerNamespace",
  "ServerOptions",
];

export function printServer(ctx: PrintContext): PrintedFile {
  const m = ctx.model;
  const N = m.pascal;
  const statements: Array<StatementStructures | string> = [];
  for (const ns of m.namespaces) statements.push(...namespaceStatements(ns));
  const root = m.namespaces.find((ns) => ns.path === "/");
  const members = m.namespaces.map((ns) => `readonly ${quoted(ns.path)}: ${ns.sdkPrefix}Namespace`);
  const namespaces = `{ ${members.join("; ")} }`;
  // `export interface XServer extends XNamespace, ContractServer<Server<...>, { ... }> {` on one line when it fits
  // the width, else one type argument a line (and one namespace a line when their list alone is too long).
  const contractServer = (server: string, list: string) => {
    const line = `export interface ${N}Server extends ${root ? `${root.sdkPrefix}Namespace, ` : ""}ContractServer<${server}, ${list}> {`;
    if (line.length <= WIDTH) return `ContractServer<${server}, ${list}>`;
    const listText =
      `  ${list},`.length <= WIDTH - 2 ? list : `{\n${members.map((member) => `    ${member};\n`).join("")}  }`;
    return `ContractServer<\n  ${server},\n  ${listText}\n>`;
  };
  statements.push(
    iface(`${N}ServerHandlers`, {
      docs: docs(`One handler object per namespace of contract "${m.name}".`),
      properties: m.namespaces.map((ns) => prop(quoted(ns.path), `${ns.sdkPrefix}Handlers`)),
    }),
    iface(`${N}ServerOptions`, { extends: [`ServerOptions<${N}ServerHandlers>`] }),
    iface(`${N}Server`, {
      docs: docs(
        m.doc,
        root
          ? `The "${m.name}" server. The root namespace's API is the server's own: \`server.emit\`, \`server.to(room)\`...`
          : `The "${m.name}" server.`,
      ),
      extends: [
        ...(root ? [`${root.sdkPrefix}Namespace`] : []),
        contractServer(root ? `Server<${ioGenerics(root)}>` : "Server", namespaces),
      ],
    }),
    specStatement(ctx, "spec"),
    {
      kind: StructureKind.Function,
      isExported: true,
      name: `create${N}Server`,
      docs: docs(
        `Creates the "${m.name}" server: attaches to \`options.httpServer\` (or to an existing socket.io Server, \`options.io\`), or call \`listen()\`.`,
      ),
      parameters: [param("options", `${N}ServerOptions`)],
      returnType: `${N}Server`,
      statements: [`return createServer<${N}Server>(spec, options);`],
    },
  );
  const imports: StatementStructures[] = [
    {
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      namedImports: ["Namespace", "Server", "Socket"],
      moduleSpecifier: "socket.io",
    },
    { kind: StructureKind.ImportDeclaration, defaultImport: "contract", moduleSpecifier: ctx.contractImport },
  ];
  return {
    name: "server.gen.ts",
    text: printFile(
      ctx,
      `Server SDK of contract "${m.name}": handler interfaces and create${N}Server().`,
      imports,
      statements,
      { from: `${ctx.runtimeImport}/v1/server`, names: RUNTIME_SERVER_TYPES, values: ["createServer"] },
      { from: local(ctx, "./types.gen"), names: typeNames(ctx) },
    ),
  };
}

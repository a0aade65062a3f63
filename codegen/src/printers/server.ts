/**
 * server.gen.ts: per namespace the handler interface users implement, the context handlers receive, the typed
 * emitters and requesters; then `create<Name>Server()`, a one-line call into the runtime.
 */
import type { StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import type { ContractModel, NamespaceModel } from "../model.js";
import type { TypeScriptTypes } from "../typescript/types.js";
import {
  type DeclaredName,
  ImportFrom,
  type PrintContext,
  type PrintedFile,
  type TypeRef,
  WIDTH,
  contractOwner,
  defaultImport,
  docs,
  errorCodeType,
  errorDetailsType,
  eventDocs,
  iface,
  ioGenerics,
  local,
  method,
  namedList,
  namespaceOwner,
  param,
  printFile,
  prop,
  quoted,
  specStatement,
  typesOf,
} from "./common.js";

/** The names server.gen.ts declares per namespace, in order: the emitter's file imports two of them. */
function namespaceNames(ns: NamespaceModel) {
  const P = ns.sdkPrefix;
  return {
    emit: `${P}Emit`,
    request: `${P}Request`,
    broadcastRequest: `${P}BroadcastRequest`,
    ...(ns.serverToServer.length > 0 ? { serverSideEmit: `${P}ServerSideEmit` } : {}),
    types: `${P}Types`,
    broadcast: `${P}Broadcast`,
    handshake: `${P}Handshake`,
    context: `${P}Context`,
    handlers: `${P}Handlers`,
    namespace: `${P}Namespace`,
  };
}

/** The names server.gen.ts declares for the whole contract. */
function contractNames(model: ContractModel) {
  const N = model.pascal;
  return {
    handlers: `${N}ServerHandlers`,
    options: `${N}ServerOptions`,
    server: `${N}Server`,
    create: `create${N}Server`,
  };
}

/** Every name server.gen.ts declares, in order. */
export function serverDeclare(ts: TypeScriptTypes): DeclaredName[] {
  const m = ts.model;
  return [
    ...m.namespaces.flatMap((ns) =>
      Object.values(namespaceNames(ns)).map((name) => ({ name, ...namespaceOwner(m, ns) })),
    ),
    ...Object.values(contractNames(m)).map((name) => ({ name, ...contractOwner(m) })),
  ];
}

function namespaceStatements(ns: NamespaceModel, t: TypeRef, rt: TypeRef): StatementStructures[] {
  const n = namespaceNames(ns);
  const at = JSON.stringify(ns.path);
  const out: StatementStructures[] = [];
  const emits = ns.serverToClient.filter((ev) => !ev.ack);
  const requests = ns.serverToClient.filter((ev) => ev.ack);
  // Called where a signature takes it: the import lists only what the file uses.
  const options = () => param("options", rt("RequestOptions"), true);
  const auth = ns.auth ? typesOf(ns.auth, t).output : "Record<string, unknown>";
  // What `ctx.error(code, details)` and `ctx.refuse(code, message, details)` take, per contract error code.
  const errors = errorDetailsType(ns, t);

  // The contract's parts: one method per event, with the contract's docs.
  out.push(
    iface(n.emit, {
      docs: docs(
        `Fire-and-forget events the server sends in namespace ${at}. Payloads are validated before they leave.`,
      ),
      methods: emits.map((ev) =>
        method(
          ev.ident,
          ev.payload ? [param("payload", typesOf(ev.payload, t).input)] : [],
          "void",
          eventDocs(ev.wire, ev.doc),
        ),
      ),
    }),
    iface(n.request, {
      docs: docs(
        `Requests to one socket in namespace ${at}: resolve with its typed answer, or reject with an IocontractError.`,
      ),
      methods: requests.map((ev) =>
        method(
          ev.ident,
          [...(ev.payload ? [param("payload", typesOf(ev.payload, t).input)] : []), options()],
          `Promise<${typesOf(ev.ack!, t).output}>`,
          eventDocs(ev.wire, ev.doc),
        ),
      ),
    }),
    iface(n.broadcastRequest, {
      docs: docs(
        `Requests to many sockets in namespace ${at}: one envelope per socket that answered (TIMEOUT if some did not).`,
      ),
      methods: requests.map((ev) => {
        const params = [...(ev.payload ? [param("payload", typesOf(ev.payload, t).input)] : []), options()];
        const answers = `Array<${rt("AckEnvelope")}<${typesOf(ev.ack!, t).output}, ${t(errorCodeType(ns))}>>`;
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
  if (n.serverSideEmit !== undefined) {
    out.push(
      iface(n.serverSideEmit, {
        docs: docs(
          `Inter-server events of namespace ${at}, to the other server nodes (socket.io's \`serverSideEmit\`). ` +
            "Payloads are validated before they leave; with the in-memory adapter there is no other node and nothing is sent.",
        ),
        methods: ns.serverToServer.map((ev) =>
          method(
            ev.ident,
            ev.payload ? [param("payload", typesOf(ev.payload, t).input)] : [],
            "void",
            eventDocs(ev.wire, ev.doc),
          ),
        ),
      }),
    );
  }

  // The runtime's generic API (packages/runtime/src/v1/server-api.ts), instantiated with this namespace's types.
  out.push(
    iface(n.types, {
      docs: docs(`The types of namespace ${at} that the runtime's generic server API is instantiated with.`),
      properties: [
        prop("path", at),
        prop("emit", n.emit),
        prop("request", n.request),
        prop("broadcastRequest", n.broadcastRequest),
        prop("auth", auth),
        prop("session", ns.socketData ? typesOf(ns.socketData, t).output : "unknown"),
        prop("sessionInput", ns.socketData ? typesOf(ns.socketData, t).input : "unknown"),
        prop("errors", errors),
        prop("socket", `Socket<${ioGenerics(ns, t)}>`),
        prop("nsp", `Namespace<${ioGenerics(ns, t)}>`),
      ],
    }),
    iface(n.broadcast, {
      docs: docs(`A selection of sockets in namespace ${at}: rooms, sids, minus exceptions.`),
      extends: [`${rt("Broadcast")}<${n.types}>`],
    }),
    iface(n.handshake, {
      docs: docs(`The handshake of a connection to namespace ${at}.`),
      extends: [`${rt("Handshake")}<${auth}>`],
    }),
    iface(n.context, {
      docs: docs(`What every handler of namespace ${at} receives: one per connection.`),
      extends: [`${rt("Context")}<${n.types}>`],
    }),
  );

  const handlerMethods = [
    ...ns.clientToServer.map((ev) => {
      const params = [
        ...(ev.payload ? [param("payload", typesOf(ev.payload, t).output)] : []),
        param("ctx", n.context),
      ];
      const ack = ev.ack && typesOf(ev.ack, t).input;
      const ret = ack ? `${ack} | Promise<${ack}>` : "void | Promise<void>";
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
        ev.payload ? [param("payload", typesOf(ev.payload, t).output)] : [],
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
    iface(n.handlers, {
      docs: docs(
        ns.doc,
        `Implement this for namespace ${at}: one method per client→server event. Payloads arrive parsed and valid.`,
      ),
      extends: [`${rt("LifecycleHandlers")}<${n.context}>`],
      methods: handlerMethods,
    }),
  );

  const hasMessage = ns.serverToClient.find((ev) => ev.wire === "message" && !ev.ack);
  out.push(
    iface(n.namespace, {
      docs: docs(`The server side of namespace ${at}, usable outside any handler.`),
      extends: [`${rt("ServerNamespace")}<${n.types}>`],
      properties:
        n.serverSideEmit !== undefined
          ? [
              prop("serverSideEmit", n.serverSideEmit, {
                docs: ["To the other server nodes; their handler objects receive it."],
              }),
            ]
          : [],
      methods: hasMessage
        ? [
            method(
              "send",
              [
                ...(hasMessage.payload ? [param("payload", typesOf(hasMessage.payload, t).input)] : []),
                param("options", rt("SendOptions"), true),
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

export function printServer(ctx: PrintContext): PrintedFile {
  const m = ctx.model;
  const c = contractNames(m);
  const runtime = new ImportFrom(`${ctx.runtimeImport}/v1/server`);
  const types = new ImportFrom(local(ctx, "./types.gen"), ctx.ts.declared.types);
  const t: TypeRef = (name) => types.type(name);
  const rt: TypeRef = (name) => runtime.type(name);
  const statements: Array<StatementStructures | string> = [];
  for (const ns of m.namespaces) statements.push(...namespaceStatements(ns, t, rt));
  const root = m.namespaces.find((ns) => ns.path === "/");
  const members = m.namespaces.map((ns) => `readonly ${quoted(ns.path)}: ${namespaceNames(ns).namespace}`);
  const namespaces = `{ ${members.join("; ")} }`;
  // `export interface XServer extends XNamespace, ContractServer<Server<...>, { ... }> {` on one line when it fits
  // the width, else one type argument a line (and one namespace a line when their list alone is too long).
  const contractServer = (server: string, list: string) => {
    const base = rt("ContractServer");
    const line = `export interface ${c.server} extends ${root ? `${namespaceNames(root).namespace}, ` : ""}${base}<${server}, ${list}> {`;
    if (line.length <= WIDTH) return `${base}<${server}, ${list}>`;
    const listText =
      `  ${list},`.length <= WIDTH - 2 ? list : `{\n${members.map((member) => `    ${member};\n`).join("")}  }`;
    return `${base}<\n  ${server},\n  ${listText}\n>`;
  };
  statements.push(
    iface(c.handlers, {
      docs: docs(`One handler object per namespace of contract "${m.name}".`),
      properties: m.namespaces.map((ns) => prop(quoted(ns.path), namespaceNames(ns).handlers)),
    }),
    iface(c.options, { extends: [`${rt("ServerOptions")}<${c.handlers}>`] }),
    iface(c.server, {
      docs: docs(
        m.doc,
        root
          ? `The "${m.name}" server. The root namespace's API is the server's own: \`server.emit\`, \`server.to(room)\`...`
          : `The "${m.name}" server.`,
      ),
      extends: [
        ...(root ? [namespaceNames(root).namespace] : []),
        contractServer(root ? `Server<${ioGenerics(root, t)}>` : "Server", namespaces),
      ],
    }),
    specStatement(m, "spec", runtime),
    {
      kind: StructureKind.Function,
      isExported: true,
      name: c.create,
      docs: docs(
        `Creates the "${m.name}" server: attaches to \`options.httpServer\` (or to an existing socket.io Server, \`options.io\`), or call \`listen()\`.`,
      ),
      parameters: [param("options", c.options)],
      returnType: c.server,
      statements: [`return ${runtime.value("createServer")}<${c.server}>(spec, options);`],
    },
  );
  return {
    name: "server.gen.ts",
    text: printFile(
      ctx,
      `Server SDK of contract "${m.name}": handler interfaces and ${c.create}().`,
      [
        namedList("import type", ["Namespace", "Server", "Socket"], "socket.io"),
        defaultImport("contract", ctx.contractImport),
        runtime,
        types,
      ],
      statements,
      ctx.ts.declared.server,
    ),
  };
}

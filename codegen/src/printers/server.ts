/**
 * server.gen.ts: per namespace the handler interface users implement, the context handlers receive, the typed
 * emitters and requesters; then `create<Name>Server()`, a one-line call into the runtime.
 */
import type { StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import type { EventModel, NamespaceModel } from "../model.js";
import { errorCodeType } from "./types.js";
import { type PrintContext, type PrintedFile, docs, eventDocs, iface, method, param, printFile, prop, quoted } from "./common.js";

const ROOM = "string | readonly string[]";

/** Every name the types file exports: the printer imports the ones a file uses. */
export function typeNames(ctx: PrintContext): string[] {
  const names = new Set<string>();
  for (const d of ctx.model.declarations) {
    names.add(d.name);
    if (d.differs) names.add(`${d.name}Input`);
  }
  for (const ns of ctx.model.namespaces) {
    for (const suffix of ["ErrorCode", "ErrorDetails", "ClientToServerEvents", "ServerToClientEvents"]) names.add(`${ns.sdkPrefix}${suffix}`);
    if (ns.serverToServer.length > 0) names.add(`${ns.sdkPrefix}InterServerEvents`);
  }
  return [...names];
}

/** Socket.IO's generics for a namespace: `ClientToServer, ServerToClient[, InterServer]`. */
export function ioGenerics(ns: NamespaceModel): string {
  const P = ns.sdkPrefix;
  return `${P}ClientToServerEvents, ${P}ServerToClientEvents${ns.serverToServer.length > 0 ? `, ${P}InterServerEvents` : ""}`;
}

/** The runtime table: wire name → method name, per namespace and direction. Printed as text: it is data. */
export function specStatement(ctx: PrintContext, name: string, options: { readonly serverToServer: boolean } = { serverToServer: true }): string {
  const table = (events: readonly EventModel[]) => `{${events.map((ev) => ` ${quoted(ev.wire)}: ${quoted(ev.ident)}`).join(",")}${events.length ? " " : ""}}`;
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
        `    ${quoted(ns.path)}: {\n      clientToServer: ${table(ns.clientToServer)},\n      serverToClient: ${table(ns.serverToClient)},\n` +
        (options.serverToServer && ns.serverToServer.length > 0 ? `      serverToServer: ${table(ns.serverToServer)},\n` : "") +
        encodeTable(ns) +
        `    },`,
    )
    .join("\n");
  return `/** Wire name → method name, read once by the runtime at start-up. */\nconst ${name}: RuntimeSpec = {\n  contract,\n  namespaces: {\n${body}\n  },\n};`;
}

function namespaceStatements(ctx: PrintContext, ns: NamespaceModel): StatementStructures[] {
  const P = ns.sdkPrefix;
  const at = JSON.stringify(ns.path);
  const codes = errorCodeType(ns);
  const out: StatementStructures[] = [];
  const emits = ns.serverToClient.filter((ev) => !ev.ack);
  const requests = ns.serverToClient.filter((ev) => ev.ack);
  const options = param("options", "RequestOptions", true);

  out.push(
    iface(`${P}Emit`, {
      docs: docs(`Fire-and-forget events the server sends in namespace ${at}. Payloads are validated before they leave.`),
      methods: emits.map((ev) =>
        method(ev.ident, ev.payload ? [param("payload", ev.payload.input)] : [], "void", eventDocs(ev.wire, ev.doc)),
      ),
    }),
    iface(`${P}Request`, {
      docs: docs(`Requests to one socket in namespace ${at}: resolve with its typed answer, or reject with an IocontractError.`),
      methods: requests.map((ev) =>
        method(ev.ident, [...(ev.payload ? [param("payload", ev.payload.input)] : []), options], `Promise<${ev.ack!.output}>`, eventDocs(ev.wire, ev.doc)),
      ),
    }),
    iface(`${P}BroadcastRequest`, {
      docs: docs(`Requests to many sockets in namespace ${at}: one envelope per socket that answered (TIMEOUT if some did not).`),
      methods: requests.map((ev) =>
        method(
          ev.ident,
          [...(ev.payload ? [param("payload", ev.payload.input)] : []), options],
          `Promise<Array<AckEnvelope<${ev.ack!.output}, ${codes}>>>`,
          eventDocs(ev.wire, ev.doc),
        ),
      ),
    }),
    iface(`${P}Broadcast`, {
      docs: docs(`A selection of sockets in namespace ${at}: rooms, sids, minus exceptions.`),
      properties: [prop("emit", `${P}Emit`), prop("request", `${P}BroadcastRequest`)],
      methods: [
        method("to", [param("room", ROOM)], `${P}Broadcast`, ["Adds rooms (or sids) to the selection."]),
        method("in", [param("room", ROOM)], `${P}Broadcast`, ["Same as `to`."]),
        method("except", [param("room", ROOM)], `${P}Broadcast`, ["Leaves out rooms (or sids), python-socketio's `skip_sid`."]),
      ],
    }),
    iface(`${P}Handshake`, {
      properties: [
        prop("auth", ns.auth ? ns.auth.output : "Record<string, unknown>", {
          docs: [ns.auth ? "Validated against the contract before `connect` runs." : "The contract declares no auth schema: unvalidated."],
        }),
        prop("headers", "IncomingHttpHeaders"),
        prop("query", "ParsedUrlQuery"),
        prop("address", "string"),
        prop("time", "string"),
        prop("secure", "boolean"),
        prop("url", "string"),
        prop("contractVersion", "string | undefined", {
          docs: [
            "The contract version the client announced (generated clients send `name@version`; the server has refused another",
            "major version with CONTRACT_MISMATCH). Undefined for clients that announce none (python-socketio, raw clients).",
          ],
        }),
      ],
    }),
  );

  const contextMethods = [
    method("setSession", [param("value", ns.socketData ? ns.socketData.input : "unknown")], "void", [
      "Stores the per-connection session (python-socketio's `save_session`), validated against the contract.",
    ]),
    method("join", [param("room", ROOM)], "void"),
    method("leave", [param("room", "string")], "void"),
    method("to", [param("room", ROOM)], `${P}Broadcast`, ["To rooms (or sids); the sender is included if it is in them."]),
    method("except", [param("room", ROOM)], `${P}Broadcast`, ["To every socket but these rooms (or sids)."]),
    method("disconnect", [], "void"),
  ];
  // One overload per contract error code: explicit signatures read better than a generic over a details map.
  for (const e of ns.errors) {
    contextMethods.push(
      method("error", [param("code", JSON.stringify(e.code)), param("details", e.details.input), param("message", "string", true)], `ContractError<${JSON.stringify(e.code)}>`, [
        `A contract error to throw: the caller receives ${e.code} with these details.`,
      ]),
    );
  }
  contextMethods.push(
    method("refuse", [param("code", '"UNAUTHORIZED" | "CONTRACT_MISMATCH"'), param("message", "string", true), param("details", "unknown", true)], "ContractError", [
      'From `connect`: `throw ctx.refuse("UNAUTHORIZED", "bad token")`; the client\'s connect error carries it.',
    ]),
  );
  for (const e of ns.errors) {
    contextMethods.push(
      method("refuse", [param("code", JSON.stringify(e.code)), param("message", "string"), param("details", e.details.input)], `ContractError<${JSON.stringify(e.code)}>`, [
        `From \`connect\`: refuses with ${e.code}; the client's connect error carries the details.`,
      ]),
    );
  }
  out.push(
    iface(`${P}Context`, {
      docs: docs(`What every handler of namespace ${at} receives: one per connection.`),
      properties: [
        prop("sid", "string"),
        prop("namespace", at),
        prop("handshake", `${P}Handshake`),
        prop("session", `${ns.socketData ? ns.socketData.output : "unknown"} | undefined`, { docs: ["Set by `setSession`; undefined before."] }),
        prop("rooms", "string[]"),
        prop("connected", "boolean"),
        prop("emit", `${P}Emit`, { docs: ["To this socket."] }),
        prop("request", `${P}Request`, { docs: ["Ask this socket and await its answer."] }),
        prop("broadcast", `${P}Broadcast`, { docs: ["To every other socket of the namespace."] }),
        prop("socket", `Socket<${ioGenerics(ns)}>`, { docs: ["The socket.io socket, as an escape hatch."] }),
      ],
      methods: contextMethods,
    }),
  );

  const handlerMethods = [
    {
      ...method("connect", [param("ctx", `${P}Context`)], "void | Promise<void>", [
        "Runs after the handshake auth is validated, before the client is connected. Throw `ctx.refuse(...)` to refuse.",
      ]),
      hasQuestionToken: true,
    },
    { ...method("disconnect", [param("ctx", `${P}Context`), param("reason", "DisconnectReason")], "void | Promise<void>"), hasQuestionToken: true },
    ...ns.clientToServer.map((ev) => {
      const params = [...(ev.payload ? [param("payload", ev.payload.output)] : []), param("ctx", `${P}Context`)];
      const ret = ev.ack ? `${ev.ack.input} | Promise<${ev.ack.input}>` : "void | Promise<void>";
      return method(ev.ident, params, ret, eventDocs(ev.wire, ev.doc, ev.ack ? "Return the ack; throw `ctx.error(...)` to fail it." : undefined));
    }),
    ...ns.serverToServer.map((ev) =>
      method(
        ev.ident,
        ev.payload ? [param("payload", ev.payload.output)] : [],
        "void | Promise<void>",
        eventDocs(ev.wire, ev.doc, "An inter-server event: another server node sent it with `serverSideEmit`; it arrives parsed and valid."),
      ),
    ),
  ];
  out.push(
    iface(`${P}Handlers`, {
      docs: docs(ns.doc, `Implement this for namespace ${at}: one method per client→server event. Payloads arrive parsed and valid.`),
      methods: handlerMethods,
    }),
  );

  if (ns.serverToServer.length > 0) {
    out.push(
      iface(`${P}ServerSideEmit`, {
        docs: docs(`Inter-server events of namespace ${at}, to the other server nodes (socket.io's \`serverSideEmit\`). Payloads are validated before they leave; with the in-memory adapter there is no other node and nothing is sent.`),
        methods: ns.serverToServer.map((ev) => method(ev.ident, ev.payload ? [param("payload", ev.payload.input)] : [], "void", eventDocs(ev.wire, ev.doc))),
      }),
    );
  }

  const hasMessage = ns.serverToClient.find((ev) => ev.wire === "message" && !ev.ack);
  const apiMethods = [
    method("to", [param("room", ROOM)], `${P}Broadcast`),
    method("in", [param("room", ROOM)], `${P}Broadcast`),
    method("except", [param("room", ROOM)], `${P}Broadcast`),
    method("socket", [param("sid", "string")], `{ readonly emit: ${P}Emit; readonly request: ${P}Request }`, ["One socket by id, on any node (python-socketio's `room=sid`)."]),
  ];
  if (hasMessage) {
    apiMethods.push(
      method(
        "send",
        [...(hasMessage.payload ? [param("payload", hasMessage.payload.input)] : []), param("options", "SendOptions", true)],
        "void",
        ["python-socketio's `send()`: the `message` event, to everyone or to `options.to`, minus `options.except`."],
      ),
    );
  }
  apiMethods.push(
    method("enterRoom", [param("sid", "string"), param("room", ROOM)], "Promise<void>"),
    method("leaveRoom", [param("sid", "string"), param("room", "string")], "Promise<void>"),
    method("rooms", [param("sid", "string")], "Promise<string[]>", ["The rooms of a socket, its own sid room included; [] when it is not connected."]),
    method("sids", [param("room", "string", true)], "Promise<string[]>", ["The ids of the sockets in a room (or all), on every node."]),
    method("disconnectSockets", [param("room", "string", true)], "void"),
  );
  out.push(
    iface(`${P}Namespace`, {
      docs: docs(`The server side of namespace ${at}, usable outside any handler.`),
      properties: [
        prop("emit", `${P}Emit`, { docs: ["To every socket of the namespace."] }),
        prop("request", `${P}BroadcastRequest`, { docs: ["Ask every socket of the namespace."] }),
        ...(ns.serverToServer.length > 0 ? [prop("serverSideEmit", `${P}ServerSideEmit`, { docs: ["To the other server nodes; their handler objects receive it."] })] : []),
        prop("nsp", `Namespace<${ioGenerics(ns)}>`, { docs: ["The socket.io namespace, as an escape hatch."] }),
      ],
      methods: apiMethods,
    }),
  );
  return out;
}

export function printServer(ctx: PrintContext): PrintedFile {
  const m = ctx.model;
  const N = m.pascal;
  const imports: StatementStructures[] = [
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, namedImports: ["IncomingHttpHeaders"], moduleSpecifier: "node:http" },
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, namedImports: ["AddressInfo"], moduleSpecifier: "node:net" },
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, namedImports: ["ParsedUrlQuery"], moduleSpecifier: "node:querystring" },
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, namedImports: ["DisconnectReason", "Namespace", "Server", "Socket"], moduleSpecifier: "socket.io" },
    {
      kind: StructureKind.ImportDeclaration,
      namedImports: [
        "createServer",
        "type AckEnvelope",
        "type CloseOptions",
        "type ContractError",
        "type RuntimeSpec",
        "type ServerOptions",
      ],
      moduleSpecifier: `${ctx.runtimeImport}/v1/server`,
    },
    { kind: StructureKind.ImportDeclaration, defaultImport: "contract", moduleSpecifier: ctx.contractImport },
  ];
  const statements: Array<StatementStructures | string> = [
    iface("RequestOptions", { properties: [prop("timeoutMs", "number", { optional: true, docs: ["Overrides the contract's timeout for this request."] })] }),
    iface("SendOptions", {
      properties: [
        prop("to", ROOM, { optional: true, docs: ["Rooms or sids; everyone when absent."] }),
        prop("except", ROOM, { optional: true, docs: ["Rooms or sids to skip (python-socketio's `skip_sid`)."] }),
      ],
    }),
  ];
  for (const ns of m.namespaces) statements.push(...namespaceStatements(ctx, ns));
  const root = m.namespaces.find((ns) => ns.path === "/");
  statements.push(
    iface(`${N}ServerHandlers`, {
      docs: docs(`One handler object per namespace of contract "${m.name}".`),
      properties: m.namespaces.map((ns) => prop(quoted(ns.path), `${ns.sdkPrefix}Handlers`)),
    }),
    iface(`${N}ServerOptions`, {
      extends: ['Omit<ServerOptions, "handlers">'],
      properties: [prop("handlers", `${N}ServerHandlers`)],
    }),
    iface(`${N}Server`, {
      docs: docs(m.doc, root ? `The "${m.name}" server. The root namespace's API is the server's own: \`server.emit\`, \`server.to(room)\`...` : `The "${m.name}" server.`),
      extends: root ? [`${root.sdkPrefix}Namespace`] : [],
      properties: [
        prop("io", root ? `Server<${ioGenerics(root)}>` : "Server", {
          docs: ["The socket.io server, as an escape hatch."],
        }),
        prop("httpServer", 'import("node:http").Server | import("node:https").Server'),
        prop("namespaces", `{ ${m.namespaces.map((ns) => `readonly ${quoted(ns.path)}: ${ns.sdkPrefix}Namespace`).join("; ")} }`),
      ],
      methods: [
        method("listen", [param("port", "number", true), param("host", "string", true)], "Promise<AddressInfo>", [
          "Listens when no `httpServer` was given (default host 127.0.0.1, port 0 = any free port).",
        ]),
        method("close", [param("options", "CloseOptions", true)], "Promise<void>", [
          "Graceful shutdown: refuses new connections and events (SHUTTING_DOWN), lets running handlers finish (until `deadlineMs`), tells every client, closes their connections (they reconnect) and the HTTP server.",
        ]),
      ],
    }),
    specStatement(ctx, "spec"),
    {
      kind: StructureKind.Function,
      isExported: true,
      name: `create${N}Server`,
      docs: docs(`Creates the "${m.name}" server: attaches to \`options.httpServer\`, or call \`listen()\`.`),
      parameters: [param("options", `${N}ServerOptions`)],
      returnType: `${N}Server`,
      statements: [`return createServer(spec, options) as unknown as ${N}Server;`],
    },
  );
  return {
    name: "server.gen.ts",
    text: printFile(ctx, `Server SDK of contract "${m.name}": handler interfaces and create${N}Server().`, imports, statements, {
      from: "./types.gen",
      names: typeNames(ctx),
    }),
  };
}

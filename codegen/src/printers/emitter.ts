/**
 * emitter.gen.ts: the typed emitter for processes that run no socket server (workers, cron jobs, HTTP handlers),
 * over `@socket.io/redis-emitter`. Fire-and-forget server→client events to namespaces and rooms, and
 * inter-server events; a one-line call into the runtime's emitter.
 */
import type { StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import type { NamespaceModel } from "../model.js";
import { type PrintContext, type PrintedFile, docs, iface, local, method, param, printFile, prop } from "./common.js";
import { specStatement } from "./server.js";

const ROOM = "string | readonly string[]";

function namespaceStatements(ns: NamespaceModel): StatementStructures[] {
  const P = ns.sdkPrefix;
  const at = JSON.stringify(ns.path);
  return [
    iface(`${P}EmitterSelection`, {
      docs: docs(`Sockets of namespace ${at} selected from another process: rooms, sids, minus exceptions.`),
      properties: [
        prop("emit", `${P}Emit`, {
          docs: [
            "Fire-and-forget events (requests need a server to collect the answers). Validated before they leave.",
          ],
        }),
      ],
      methods: [
        method("to", [param("room", ROOM)], `${P}EmitterSelection`, ["Adds rooms (or sids) to the selection."]),
        method("in", [param("room", ROOM)], `${P}EmitterSelection`, ["Same as `to`."]),
        method("except", [param("room", ROOM)], `${P}EmitterSelection`, ["Leaves out rooms (or sids)."]),
      ],
    }),
    iface(`${P}EmitterNamespace`, {
      docs: docs(`Namespace ${at} from another process: \`emit\` reaches every socket of it, on every node.`),
      extends: [`${P}EmitterSelection`],
      properties:
        ns.serverToServer.length > 0
          ? [
              prop("serverSideEmit", `${P}ServerSideEmit`, {
                docs: ["Inter-server events: every server node's handler object receives them."],
              }),
            ]
          : [],
    }),
  ];
}

export function printEmitter(ctx: PrintContext): PrintedFile {
  const m = ctx.model;
  const N = m.pascal;
  const root = m.namespaces.find((ns) => ns.path === "/");
  const fromServer = m.namespaces.flatMap((ns) => [
    `${ns.sdkPrefix}Emit`,
    ...(ns.serverToServer.length > 0 ? [`${ns.sdkPrefix}ServerSideEmit`] : []),
  ]);
  const imports: StatementStructures[] = [
    {
      kind: StructureKind.ImportDeclaration,
      namedImports: ["createEmitter", "type RuntimeSpec", "type SocketIoEmitterLike"],
      moduleSpecifier: `${ctx.runtimeImport}/v1/emitter`,
    },
    { kind: StructureKind.ImportDeclaration, defaultImport: "contract", moduleSpecifier: ctx.contractImport },
    {
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      namedImports: fromServer,
      moduleSpecifier: local(ctx, "./server.gen"),
    },
  ];
  const statements: Array<StatementStructures | string> = [];
  for (const ns of m.namespaces) statements.push(...namespaceStatements(ns));
  statements.push(
    iface(`${N}Emitter`, {
      docs: docs(
        `Contract "${m.name}" from a process without a socket server, over \`@socket.io/redis-emitter\` (the Redis pub/sub adapter's channels).` +
          (root ? " The root namespace's API is the emitter's own: `emitter.to(room).emit.x(payload)`." : ""),
      ),
      extends: root ? [`${root.sdkPrefix}EmitterNamespace`] : [],
      methods: m.namespaces.map((ns) =>
        method("of", [param("namespace", JSON.stringify(ns.path))], `${ns.sdkPrefix}EmitterNamespace`),
      ),
    }),
    specStatement(ctx, "spec"),
    {
      kind: StructureKind.Function,
      isExported: true,
      name: `create${N}Emitter`,
      docs: docs(
        `The typed emitter of contract "${m.name}". Give it \`new Emitter(redisClient)\` from \`@socket.io/redis-emitter\` (for namespace "/"; \`of()\` reaches the others), or the \`emitter\` of \`createRedisEmitter({ url })\`. An invalid payload throws an IocontractError naming the contract, namespace, event and field.`,
      ),
      parameters: [param("emitter", "SocketIoEmitterLike")],
      returnType: `${N}Emitter`,
      statements: [`return createEmitter<${N}Emitter>(spec, emitter);`],
    },
  );
  return {
    name: "emitter.gen.ts",
    text: printFile(
      ctx,
      `Emitter of contract "${m.name}": typed, validated emits from processes that run no socket server.`,
      imports,
      statements,
    ),
  };
}

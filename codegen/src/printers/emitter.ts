/**
 * emitter.gen.ts: the typed emitter for processes that run no socket server (workers, cron jobs, HTTP handlers),
 * over `@socket.io/redis-emitter`. Fire-and-forget server→client events to namespaces and rooms, and
 * inter-server events; a one-line call into the runtime's emitter.
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
  contractOwner,
  defaultImport,
  docs,
  iface,
  local,
  method,
  namespaceOwner,
  param,
  printFile,
  prop,
  specStatement,
} from "./common.js";

/** The names emitter.gen.ts declares per namespace, in order. */
function namespaceNames(ns: NamespaceModel) {
  return { selection: `${ns.sdkPrefix}EmitterSelection`, namespace: `${ns.sdkPrefix}EmitterNamespace` };
}

/** The names emitter.gen.ts declares for the whole contract. */
function contractNames(model: ContractModel) {
  return { emitter: `${model.pascal}Emitter`, create: `create${model.pascal}Emitter` };
}

/** Every name emitter.gen.ts declares, in order. */
export function emitterDeclare(ts: TypeScriptTypes): DeclaredName[] {
  const m = ts.model;
  return [
    ...m.namespaces.flatMap((ns) =>
      Object.values(namespaceNames(ns)).map((name) => ({ name, ...namespaceOwner(m, ns) })),
    ),
    ...Object.values(contractNames(m)).map((name) => ({ name, ...contractOwner(m) })),
  ];
}

const ROOM = "string | readonly string[]";

function namespaceStatements(ns: NamespaceModel, server: TypeRef): StatementStructures[] {
  const P = ns.sdkPrefix;
  const n = namespaceNames(ns);
  const at = JSON.stringify(ns.path);
  return [
    iface(n.selection, {
      docs: docs(`Sockets of namespace ${at} selected from another process: rooms, sids, minus exceptions.`),
      properties: [
        prop("emit", server(`${P}Emit`), {
          docs: [
            "Fire-and-forget events (requests need a server to collect the answers). Validated before they leave.",
          ],
        }),
      ],
      methods: [
        method("to", [param("room", ROOM)], n.selection, ["Adds rooms (or sids) to the selection."]),
        method("in", [param("room", ROOM)], n.selection, ["Same as `to`."]),
        method("except", [param("room", ROOM)], n.selection, ["Leaves out rooms (or sids)."]),
      ],
    }),
    iface(n.namespace, {
      docs: docs(`Namespace ${at} from another process: \`emit\` reaches every socket of it, on every node.`),
      extends: [n.selection],
      properties:
        ns.serverToServer.length > 0
          ? [
              prop("serverSideEmit", server(`${P}ServerSideEmit`), {
                docs: ["Inter-server events: every server node's handler object receives them."],
              }),
            ]
          : [],
    }),
  ];
}

export function printEmitter(ctx: PrintContext): PrintedFile {
  const m = ctx.model;
  const c = contractNames(m);
  const root = m.namespaces.find((ns) => ns.path === "/");
  const runtime = new ImportFrom(`${ctx.runtimeImport}/v1/emitter`);
  const server = new ImportFrom(local(ctx, "./server.gen"), ctx.ts.declared.server);
  const statements: Array<StatementStructures | string> = [];
  for (const ns of m.namespaces) statements.push(...namespaceStatements(ns, (name) => server.type(name)));
  statements.push(
    iface(c.emitter, {
      docs: docs(
        `Contract "${m.name}" from a process without a socket server, over \`@socket.io/redis-emitter\` (the Redis pub/sub adapter's channels).` +
          (root ? " The root namespace's API is the emitter's own: `emitter.to(room).emit.x(payload)`." : ""),
      ),
      extends: root ? [namespaceNames(root).namespace] : [],
      methods: m.namespaces.map((ns) =>
        method("of", [param("namespace", JSON.stringify(ns.path))], namespaceNames(ns).namespace),
      ),
    }),
    specStatement(m, "spec", runtime),
    {
      kind: StructureKind.Function,
      isExported: true,
      name: c.create,
      docs: docs(
        `The typed emitter of contract "${m.name}". ` +
          'Give it `new Emitter(redisClient)` from `@socket.io/redis-emitter` (for namespace "/"; `of()` reaches the others), ' +
          "or the `emitter` of `createRedisEmitter({ url })`. " +
          "An invalid payload throws an IocontractError naming the contract, namespace, event and field.",
      ),
      parameters: [param("emitter", runtime.type("SocketIoEmitterLike"))],
      returnType: c.emitter,
      statements: [`return ${runtime.value("createEmitter")}<${c.emitter}>(spec, emitter);`],
    },
  );
  return {
    name: "emitter.gen.ts",
    text: printFile(
      ctx,
      `Emitter of contract "${m.name}": typed, validated emits from processes that run no socket server.`,
      [runtime, defaultImport("contract", ctx.contractImport), server],
      statements,
      ctx.ts.declared.emitter,
    ),
  };
}

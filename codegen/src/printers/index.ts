/**
 * index.gen.ts: everything a user imports from one output folder, in one place: the generated files, and the
 * runtime's names that go with them (its error class and codes, the option types).
 */
import { INDEX_NAMES, INDEX_RUNTIME_EXPORTS, INDEX_WIRE_EXPORTS } from "../outputs.js";
import { type DeclaredName, type PrintContext, type PrintedFile, header, local, namedList } from "./common.js";

/** The runtime's names index.gen.ts re-exports beside the generated files' (a contract type of the same name would be hidden). */
export function indexDeclare(): DeclaredName[] {
  return INDEX_NAMES.map((name) => ({ name, owner: "the runtime (index.gen.ts)", rank: [1, 0] }));
}

export function printIndex(ctx: PrintContext, kind: "server" | "client"): PrintedFile {
  const files = kind === "server" ? ["./server.gen", "./emitter.gen", "./types.gen"] : ["./client.gen", "./types.gen"];
  const runtime = INDEX_RUNTIME_EXPORTS[kind];
  const names = (values: readonly string[], types: readonly string[]) => [...values, ...types.map((t) => `type ${t}`)];
  const lines = [
    ...files.map((file) => `export * from ${JSON.stringify(local(ctx, file))};`),
    namedList("export", names(runtime.values, runtime.types), `${ctx.runtimeImport}/${runtime.entry}`),
    namedList("export", names(INDEX_WIRE_EXPORTS.values, INDEX_WIRE_EXPORTS.types), `${ctx.runtimeImport}/v1/wire`),
  ];
  const what = `Everything the ${kind} SDK of contract "${ctx.model.name}" offers: import from this file.`;
  return { name: "index.gen.ts", text: `${header(ctx, what)}\n${lines.join("\n")}\n` };
}

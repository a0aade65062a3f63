/**
 * What an editor shows for generated code (issue 10, item 4), through TypeScript's language service over the
 * chat golden files: hover text names the concrete payload types and carries the contract's docs, although the
 * per-namespace names are thin instances of the runtime's generic API; "go to definition" on `ctx.to` lands in
 * the runtime's documented API, and from there "go to implementation" reaches the class method that runs.
 */
import { realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const TEST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FILE = path.join(TEST, "types", "__hover__.ts");
const SOURCE = `import type { ChatContext } from "../fixtures/chat/expected/server/index.gen";
import { createChatClient } from "../fixtures/chat/expected/client/index.gen";
declare const ctx: ChatContext;
ctx.to("chat_users").emit.myReply({ data: "x", from: "a", at: 1 });
const chat = createChatClient();
void chat.emit.myMessage({ data: "x" });
ctx.handshake.auth.name;
`;

let service: ts.LanguageService;

beforeAll(() => {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(TEST, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  )!;
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => config.options,
    getScriptFileNames: () => [FILE],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) => {
      const text = name === FILE ? SOURCE : ts.sys.readFile(name);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => TEST,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (name) => name === FILE || ts.sys.fileExists(name),
    readFile: (name) => (name === FILE ? SOURCE : ts.sys.readFile(name)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  service = ts.createLanguageService(host);
});

/** The position of the `nth` occurrence of `text` in the source, plus `offset`. */
function at(text: string, offset = 0): number {
  const i = SOURCE.indexOf(text);
  if (i < 0) throw new Error(`${text} not in the source`);
  return i + offset;
}

function hover(position: number): { display: string; docs: string } {
  const info = service.getQuickInfoAtPosition(FILE, position)!;
  return { display: ts.displayPartsToString(info.displayParts), docs: ts.displayPartsToString(info.documentation) };
}

describe("hover and navigation on generated code", () => {
  it("the file type-checks", () => {
    expect(
      service.getSemanticDiagnostics(FILE).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    ).toEqual([]);
  });

  it("a server emit through ctx.to(...) shows its concrete payload type and the contract's wire name", () => {
    const { display, docs } = hover(at("myReply"));
    expect(display).toBe("(method) ChatEmit.myReply(payload: Reply): void");
    expect(docs).toBe('Wire name: `"my reply"`.');
  });

  it("a client call shows its payload, its ack and the contract's doc of the event", () => {
    const { display, docs } = hover(at("myMessage"));
    expect(display).toBe(
      "(method) ChatClientEmit.myMessage(payload: Message, options?: CallOptions): Promise<MyMessageAck>",
    );
    expect(docs).toContain("Say something in `chat_users`: everyone there but the sender gets `my reply`.");
  });

  it("the handshake's auth is the contract's type, documented by the runtime's generic API", () => {
    const { display, docs } = hover(at("auth"));
    expect(display).toBe("(property) Handshake<Auth>.auth: Auth");
    expect(docs).toMatch(/Validated against the contract before `connect` runs/);
  });

  it("go to definition on ctx.to lands in the runtime's API; go to implementation on the method that runs", () => {
    const definitions = service.getDefinitionAtPosition(FILE, at("to(", 0)) ?? [];
    const repoPath = (file: string) => path.relative(path.join(TEST, ".."), realpathSync(file));
    expect(definitions.map((d) => repoPath(d.fileName))).toEqual(["packages/runtime/src/v1/server-api.ts"]);
    // From the runtime's declaration, "go to implementation" reaches the class method that runs: Context's `to`,
    // the one that includes the sender (nsp.to, not socket.to).
    const api = definitions[0]!;
    const implementations = service.getImplementationAtPosition(api.fileName, api.textSpan.start) ?? [];
    const impl = implementations.find(
      (d) =>
        repoPath(d.fileName) === "packages/runtime/src/v1/server/context.ts" &&
        ts.sys
          .readFile(d.fileName)!
          .slice(d.textSpan.start)
          .startsWith(
            "to(room: string | string[]): Broadcast {\n    return new Broadcast(this.host.outbound, this.host.nsp.to(room)",
          ),
    );
    expect(impl, JSON.stringify(implementations.map((d) => [repoPath(d.fileName), d.textSpan]))).toBeDefined();
  });
});

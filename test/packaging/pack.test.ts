/**
 * The SDK packages as a front end or a back end outside this repository gets them: `npm pack` the two SDKs and
 * the runtime they depend on (by a semver range), install the tarballs into a fresh project in a temporary folder
 * (every other dependency from the public registry), then run a server and a client from them (ESM and CommonJS)
 * and type-check a TypeScript file against their declarations.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { exportTargets } from "../support/export-targets";

// These spawn node, npm and tsc: give them room on a loaded (shared) machine; each command has its own timeout.
vi.setConfig({ testTimeout: 180_000 });

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSC = path.join(REPO, "node_modules/typescript/bin/tsc");

function run(command: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, timeout: 180_000, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
      },
    );
  });
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "iocontract-pack-"));
  const tarballs: string[] = [];
  for (const pkg of ["packages/runtime", "packages/server-sdk", "packages/client-sdk"]) {
    // --ignore-scripts: `npm test` built every package first; a prepack rebuilding dist/ here would pull it from
    // under the suites running beside this one (the SDKs import the runtime's dist/ at run time). The SDKs' pack
    // step that is not a build (pack-manifest.mjs: the manifest without the source condition) runs as npm runs it,
    // "strip" before and "restore" after, on a copy of the package (the workspace's manifest stays untouched while
    // other suites resolve it). The adoption test packs scaffolded SDKs with npm's whole lifecycle.
    const sdk = pkg !== "packages/runtime";
    const from = path.join(REPO, pkg);
    const at = sdk ? path.join(dir, `copy-${path.basename(pkg)}`) : from;
    if (sdk) await cp(from, at, { recursive: true, filter: (source) => !source.includes(`${path.sep}node_modules`) });
    const manifestBefore = await readFile(path.join(at, "package.json"), "utf8");
    if (sdk) expect((await run(process.execPath, ["pack-manifest.mjs", "strip"], at)).code).toBe(0);
    const packed = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", dir, "--json"], at);
    if (sdk) expect((await run(process.execPath, ["pack-manifest.mjs", "restore"], at)).code).toBe(0);
    expect(packed.code, packed.out).toBe(0);
    expect(await readFile(path.join(at, "package.json"), "utf8"), `${pkg}/package.json restored`).toBe(manifestBefore);
    tarballs.push(
      path.join(
        dir,
        (JSON.parse(packed.out.slice(packed.out.indexOf("["))) as Array<{ filename: string }>)[0]!.filename,
      ),
    );
  }
  await writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "fresh-app", version: "1.0.0", private: true, type: "module" }),
  );
  const installed = await run("npm", ["install", "--no-package-lock", ...tarballs], dir);
  expect(installed.code, installed.out).toBe(0);
}, 240_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the packed SDKs in a fresh project", () => {
  it("depend on the runtime by a semver range and on public packages, and bundle the (private) contract", async () => {
    for (const name of ["chat-server-sdk", "chat-client-sdk"]) {
      const root = path.join(dir, "node_modules/@iocontract", name);
      const manifest = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
        dependencies?: Record<string, string>;
      };
      expect(Object.entries(manifest.dependencies ?? {}).filter(([d]) => d.startsWith("@iocontract/"))).toEqual([
        ["@iocontract/runtime", "^0.1.0"],
      ]);
      const files = await readdir(path.join(root, "dist"), { recursive: true });
      for (const file of files.filter((f) => /\.(c?js|d\.c?ts)$/.test(f))) {
        const text = await readFile(path.join(root, "dist", file), "utf8");
        // Only the runtime, by its public subpaths; never the workspace's contract package.
        for (const [, specifier] of text.matchAll(/["'](@iocontract\/[^"']+)["']/g))
          expect(specifier, `${name}/dist/${file}`).toMatch(/^@iocontract\/runtime\/(contract|v1\/\w+)$/);
      }
    }
    expect(await readdir(path.join(dir, "node_modules/@iocontract"))).toEqual([
      "chat-client-sdk",
      "chat-server-sdk",
      "runtime",
    ]);
  });

  it("publish manifests whose every export target ships: no workspace-only source condition pointing at src/", async () => {
    for (const name of ["chat-server-sdk", "chat-client-sdk"]) {
      const root = path.join(dir, "node_modules/@iocontract", name);
      const manifest = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as { exports: unknown };
      const targets = exportTargets(manifest.exports);
      expect(targets.length, name).toBeGreaterThan(3);
      expect(
        targets.filter((t) => t.conditions.includes("iocontract-source")),
        name,
      ).toEqual([]);
      for (const { file } of targets)
        await expect(
          stat(path.join(root, file)).then((s) => s.isFile()),
          `${name}: ${file}`,
        ).resolves.toBe(true);
    }
    // The workspace's manifests keep the condition (tsx, vitest and tsc read the sources here).
    const workspace = JSON.parse(await readFile(path.join(REPO, "packages/client-sdk/package.json"), "utf8")) as {
      exports: unknown;
    };
    expect(
      exportTargets(workspace.exports)
        .filter((t) => t.conditions.includes("iocontract-source"))
        .map((t) => t.file),
    ).toEqual(["./src/index.ts"]);
  });

  it("a server and a client from the tarballs talk (ESM), and the client works from CommonJS", async () => {
    await writeFile(
      path.join(dir, "roundtrip.mjs"),
      `import { createChatServer } from "@iocontract/chat-server-sdk";
import { createChatClient } from "@iocontract/chat-client-sdk";
// The handlers this round trip uses; any other event of the (editable) contract gets a no-op.
const only = (handlers) => new Proxy(handlers, { get: (target, key) => target[key] ?? (() => undefined) });
const server = createChatServer({
  handlers: {
    "/": only({
      myCustomEvent: (p, ctx) => ctx.emit.myReply({ data: p.data, from: "server", at: 1 }),
      myMessage: () => ({ delivered: 0 }),
    }),
    "/admin": only({}),
  },
});
const { port } = await server.listen(0);
const client = createChatClient("http://127.0.0.1:" + port, { socket: { transports: ["websocket"] } });
const reply = new Promise((resolve) => client.on.myReply(resolve));
client.emit.myCustomEvent({ data: "from a fresh project" });
const ack = await client.emit.myMessage({ data: "x" });
let invalid = "";
try { client.emit.myCustomEvent({ data: "" }); } catch (e) { invalid = e.code; }
console.log(JSON.stringify({ reply: await reply, ack, invalid }));
client.disconnect();
await server.close();
`,
    );
    const esm = await run(process.execPath, ["roundtrip.mjs"], dir);
    expect(esm.code, esm.out).toBe(0);
    expect(JSON.parse(esm.out)).toEqual({
      reply: { data: "from a fresh project", from: "server", at: 1 },
      ack: { delivered: 0 },
      invalid: "REQUEST_INVALID",
    });

    await writeFile(
      path.join(dir, "require.cjs"),
      `const sdk = require("@iocontract/chat-client-sdk");
const server = require("@iocontract/chat-server-sdk");
console.log(typeof sdk.createChatClient, typeof sdk.createChatAdminClient, typeof sdk.IocontractError, typeof server.createChatServer);`,
    );
    const cjs = await run(process.execPath, ["require.cjs"], dir);
    expect(cjs).toEqual({ code: 0, out: "function function function function\n" });
  });

  it("under the SDK, Node loads the runtime's Node client (compiled validators); the default is the browser one", async () => {
    // The SDK imports @iocontract/runtime/v1/client; the runtime's "node" export condition picks its Node build.
    const sdk = path.join(dir, "node_modules/@iocontract/chat-client-sdk/package.json");
    await writeFile(
      path.join(dir, "which.cjs"),
      `const path = require("node:path");
const { createRequire } = require("node:module");
console.log(JSON.stringify({ require: path.relative(process.cwd(), createRequire(${JSON.stringify(sdk)}).resolve("@iocontract/runtime/v1/client")) }));`,
    );
    const which = await run(process.execPath, ["which.cjs"], dir);
    expect(which.code, which.out).toBe(0);
    expect(JSON.parse(which.out)).toEqual({
      require: path.join("node_modules/@iocontract/runtime/dist/v1/client-node.cjs"),
    });
    await writeFile(path.join(dir, "which.mjs"), `console.log(import.meta.resolve("@iocontract/runtime/v1/client"));`);
    const esm = await run(process.execPath, ["which.mjs"], dir);
    expect(esm.out.trim()).toMatch(/\/node_modules\/@iocontract\/runtime\/dist\/v1\/client-node\.js$/);
    const manifest = JSON.parse(
      await readFile(path.join(dir, "node_modules/@iocontract/runtime/package.json"), "utf8"),
    ) as { exports: Record<string, unknown> };
    // An exports target as a bundler for browsers resolves it (conditions in the map's order; no "node").
    const resolve = (target: unknown, conditions: string[]): unknown => {
      if (typeof target === "string" || target === null || typeof target !== "object") return target;
      const key = Object.keys(target).find((k) => k === "default" || conditions.includes(k));
      return key === undefined ? undefined : resolve((target as Record<string, unknown>)[key], conditions);
    };
    // Browsers: the build without zod's compiler (its size: test/bundle; the Vite app: test/peers).
    expect(resolve(manifest.exports["./v1/client"], ["browser", "import"])).toBe("./dist/v1/client.js");
    expect(resolve(manifest.exports["./v1/client"], ["node", "import"])).toBe("./dist/v1/client-node.js");
  });

  it("the server SDK's ./emitter and ./redis subpaths load without Redis installed (optional peers), ESM and CommonJS", async () => {
    // Optional peer dependencies are not installed: the main entry and ./emitter never need them.
    for (const optional of [
      "@socket.io/redis-adapter",
      "@socket.io/redis-streams-adapter",
      "@socket.io/redis-emitter",
      "redis",
    ]) {
      await expect(readdir(path.join(dir, "node_modules", optional))).rejects.toMatchObject({ code: "ENOENT" });
    }
    const root = path.join(dir, "node_modules/@iocontract/chat-server-sdk/dist");
    for (const file of (await readdir(root)).filter(
      (f) => /^(index|emitter)\.c?js$/.test(f) || f.startsWith("chunk-"),
    )) {
      expect(await readFile(path.join(root, file), "utf8"), file).not.toMatch(
        /["'](@socket\.io\/redis|redis|@iocontract\/runtime\/v1\/redis)["']/,
      );
    }
    await writeFile(
      path.join(dir, "subpaths.mjs"),
      `import { createChatEmitter, IocontractError } from "@iocontract/chat-server-sdk/emitter";
import { createRedisAdapter } from "@iocontract/chat-server-sdk/redis";
// A stand-in for @socket.io/redis-emitter's Emitter: records what would be published.
const sent = [];
const fake = { to: () => fake, except: () => fake, of: () => fake, emit: (...a) => sent.push(a), serverSideEmit: (...a) => sent.push(a) };
const emitter = createChatEmitter(fake);
emitter.to("chat_users").emit.message({ data: "hi" });
let invalid = "";
try { emitter.emit.message({ data: "" }); } catch (e) { invalid = e instanceof IocontractError ? e.code : "?"; }
let missing = "";
try { await createRedisAdapter({ url: "redis://127.0.0.1:1" }); } catch (e) { missing = e.message; }
console.log(JSON.stringify({ sent, invalid, missing }));
`,
    );
    const esm = await run(process.execPath, ["subpaths.mjs"], dir);
    expect(esm.code, esm.out).toBe(0);
    expect(JSON.parse(esm.out)).toEqual({
      sent: [["message", { data: "hi" }]],
      invalid: "REQUEST_INVALID",
      missing: "iocontract: a Redis connection from a URL needs the package redis: npm install redis",
    });
    await writeFile(
      path.join(dir, "subpaths.cjs"),
      `const { createChatEmitter } = require("@iocontract/chat-server-sdk/emitter");
const { createRedisAdapter, createRedisEmitter } = require("@iocontract/chat-server-sdk/redis");
console.log(typeof createChatEmitter, typeof createRedisAdapter, typeof createRedisEmitter);`,
    );
    expect(await run(process.execPath, ["subpaths.cjs"], dir)).toEqual({
      code: 0,
      out: "function function function\n",
    });
  });

  it("type-checks against the packed declarations (NodeNext and Bundler resolution, strict)", async () => {
    await writeFile(
      path.join(dir, "app.ts"),
      `import { createChatClient, IocontractError, type ChatClient, type Reply } from "@iocontract/chat-client-sdk";
import { createChatServer, type ChatHandlers } from "@iocontract/chat-server-sdk";
const client: ChatClient = createChatClient("http://127.0.0.1:1");
client.on.myReply((r: Reply) => r.from.toUpperCase());
const ack: Promise<{ delivered: number }> = client.emit.myMessage({ data: "x" });
// @ts-expect-error: the contract's payload is { data: string }
client.emit.myCustomEvent({ text: "x" });
const handlers: Pick<ChatHandlers, "myCustomEvent" | "myMessage"> = {
  myCustomEvent: (p, ctx) => ctx.emit.myReply({ data: p.data, from: ctx.sid, at: Date.now() }),
  myMessage: async (p) => ({ delivered: p.data.length }),
};
void createChatServer; void ack; void handlers; void IocontractError;
import { createChatEmitter, type ChatEmitter } from "@iocontract/chat-server-sdk/emitter";
import { createRedisAdapter, type RedisAdapterOptions } from "@iocontract/chat-server-sdk/redis";
declare const emitter: ChatEmitter;
emitter.to("chat_users").emit.myReply({ data: "x", from: "worker", at: 1 });
emitter.of("/admin").emit.userJoined({ sid: "s", user: "u" });
// @ts-expect-error: the emitter validates types too: data is a string
emitter.emit.message({ data: 1 });
const redisOptions: RedisAdapterOptions = { kind: "streams", url: "redis://127.0.0.1:6379" };
void createChatEmitter; void createRedisAdapter; void redisOptions;
`,
    );
    for (const resolution of [
      { module: "NodeNext", moduleResolution: "NodeNext" },
      { module: "ESNext", moduleResolution: "Bundler" },
    ]) {
      await writeFile(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            ...resolution,
            target: "ES2022",
            strict: true,
            exactOptionalPropertyTypes: true,
            noEmit: true,
            skipLibCheck: false,
            types: [],
          },
          files: ["app.ts"],
        }),
      );
      const tsc = await run(process.execPath, [TSC, "-p", "tsconfig.json"], dir);
      expect(tsc.out, `${resolution.moduleResolution}: ${tsc.out}`).toBe("");
      expect(tsc.code).toBe(0);
    }
  }, 90_000); // two strict type checks of the packed declarations: slow on a loaded machine
});

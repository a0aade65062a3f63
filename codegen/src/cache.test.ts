/** The no-op cache's key and record: what must invalidate it, and what must not. */
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type NamespaceDef, defineContract } from "@iocontract/runtime/contract";
import { inputKey, record, upToDate } from "./cache";
import type { IocontractConfig } from "./config";
import { buildModel } from "./model";
import { buildTypeScript } from "./typescript/index";

const ns = (): NamespaceDef => ({
  clientToServer: {
    "say hello": {
      payload: z.object({ name: z.string(), tags: z.array(z.string()).optional() }),
      ack: z.object({ greeting: z.string() }),
    },
  },
  serverToClient: { "hello said": { payload: z.object({ name: z.string() }), doc: "Someone said hello." } },
});
const model = (edit: (n: NamespaceDef) => NamespaceDef = (n) => n) =>
  buildTypeScript(
    buildModel(defineContract({ name: "demo", version: "1.0.0", namespaces: { "/": edit(ns()) } }), "contract.ts"),
  );
const CONFIG: IocontractConfig = {
  contract: "contract.ts",
  outputs: [
    { kind: "server", dir: "server/gen" },
    { kind: "client", dir: "client/gen" },
  ],
};
const ROOT = "/project";
const GENERATOR = "generator-a";
const key = (m = model(), config = CONFIG, generator = GENERATOR) => inputKey(m, ROOT, config, generator);

describe("inputKey", () => {
  it("is the same for the same contract built again (new schema objects) and the same config", () => {
    expect(key(model())).toBe(key(model()));
  });

  it.each<[string, () => string]>([
    [
      "a field's type",
      () =>
        key(
          model((n) => ({
            ...n,
            clientToServer: {
              "say hello": {
                ...n.clientToServer!["say hello"]!,
                payload: z.object({ name: z.number(), tags: z.array(z.string()).optional() }),
              },
            },
          })),
        ),
    ],
    [
      "a nested field made required",
      () =>
        key(
          model((n) => ({
            ...n,
            clientToServer: {
              "say hello": {
                ...n.clientToServer!["say hello"]!,
                payload: z.object({ name: z.string(), tags: z.array(z.string()) }),
              },
            },
          })),
        ),
    ],
    [
      "a field's description",
      () =>
        key(
          model((n) => ({
            ...n,
            clientToServer: {
              "say hello": {
                ...n.clientToServer!["say hello"]!,
                payload: z.object({ name: z.string().describe("Who."), tags: z.array(z.string()).optional() }),
              },
            },
          })),
        ),
    ],
    [
      "an event's doc",
      () =>
        key(
          model((n) => ({
            ...n,
            serverToClient: { "hello said": { ...n.serverToClient!["hello said"]!, doc: "Someone said hi." } },
          })),
        ),
    ],
    [
      "a default (the input type differs)",
      () =>
        key(
          model((n) => ({
            ...n,
            serverToClient: {
              "hello said": { payload: z.object({ name: z.string().default("x") }), doc: "Someone said hello." },
            },
          })),
        ),
    ],
    ["a new event", () => key(model((n) => ({ ...n, serverToClient: { ...n.serverToClient, wave: {} } })))],
    ["the regenerate command", () => key(model(), { ...CONFIG, regenerate: "npm run generate" })],
    ["the runtime import", () => key(model(), { ...CONFIG, runtimeImport: "my-runtime" })],
    [
      "an output folder",
      () => key(model(), { ...CONFIG, outputs: [CONFIG.outputs[0]!, { kind: "client", dir: "web/gen" }] }),
    ],
    [
      "an output's kind",
      () => key(model(), { ...CONFIG, outputs: [CONFIG.outputs[0]!, { kind: "server", dir: "client/gen" }] }),
    ],
    ["the generator (its code, version or ts-morph)", () => key(model(), CONFIG, "generator-b")],
  ])("changes with %s", (_what, changed) => {
    expect(changed()).not.toBe(key());
  });

  it("counts the JSON Schemas (what only the Python outputs print) for configs with a Python output, and only for them", () => {
    // Only the JSON Schema (the Python outputs' validators) says it: the TypeScript types do not change.
    const limited = () =>
      model((n) => ({
        ...n,
        clientToServer: {
          "say hello": {
            ...n.clientToServer!["say hello"]!,
            payload: z.object({ name: z.string().max(10), tags: z.array(z.string()).optional() }),
          },
        },
      }));
    const python: IocontractConfig = {
      ...CONFIG,
      outputs: [...CONFIG.outputs, { kind: "python-client", dir: "py/demo_client" }],
    };
    expect(key(limited(), python)).not.toBe(key(model(), python));
    expect(key(limited())).toBe(key(model()));
  });

  it("the model computes its JSON Schemas on first read only, once, outside its enumerable data", () => {
    const m = model().model;
    expect(Object.keys(m)).not.toContain("jsonSchemas");
    const first = m.jsonSchemas;
    expect(first.namespaces.map((n) => Object.keys(n.clientToServer))).toEqual([["say hello"]]);
    expect(m.jsonSchemas).toBe(first);
  });
});

describe("the key's inputs load no printer", () => {
  it("the model and the TypeScript stage (which asks the printers for their names) leave ts-morph unloaded; printing loads it", () => {
    // A fresh process: this one may have loaded ts-morph for other tests. The second figure is the control: the
    // probe does see ts-morph once something is printed.
    const script = `
      import { createRequire } from "node:module";
      import { z } from "zod";
      import { defineContract } from "@iocontract/runtime/contract";
      import { buildModel } from "./src/model.ts";
      import { buildTypeScript } from "./src/typescript/index.ts";
      import { printModel } from "./src/print.ts";
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes("/ts-morph/"));
      const contract = defineContract({
        name: "demo",
        version: "1.0.0",
        namespaces: { "/": { clientToServer: { a: { payload: z.object({ n: z.number() }) } } } },
      });
      const ts = buildTypeScript(buildModel(contract, "contract.ts"));
      const afterStage = loaded();
      printModel(ts, "/project", { contract: "contract.ts", outputs: [{ kind: "client", dir: "gen" }] });
      console.log(JSON.stringify({ names: ts.names.length > 0, afterStage, afterPrint: loaded() }));
    `;
    const codegen = path.resolve(import.meta.dirname, "..");
    const run = spawnSync(
      process.execPath,
      ["--conditions=iocontract-source", "--import", "tsx", "--input-type=module", "-e", script],
      { cwd: codegen, encoding: "utf8", timeout: 60_000 },
    );
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ names: true, afterStage: false, afterPrint: true });
  }, 60_000);
});

describe("record and upToDate", () => {
  let dir: string;
  let cacheFile: string;
  let files: Array<{ path: string; text: string }>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "iocontract-cache-"));
    cacheFile = path.join(dir, "cache", "record.json");
    files = [
      { path: path.join(dir, "a.gen.ts"), text: "// a\n" },
      { path: path.join(dir, "b.gen.ts"), text: "// b ü\n" },
    ];
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const paths = () => files.map((f) => f.path);

  it("nothing recorded: not up to date", async () => {
    expect(await upToDate(cacheFile, "k", paths())).toBe(false);
  });

  it("recorded and untouched: up to date; another key, another file list or a missing file: not", async () => {
    for (const f of files) await writeFile(f.path, f.text);
    await record(cacheFile, "k", files);
    expect(await upToDate(cacheFile, "k", paths())).toBe(true);
    expect(await upToDate(cacheFile, "k2", paths())).toBe(false);
    expect(await upToDate(cacheFile, "k", [files[0]!.path])).toBe(false);
    expect(await upToDate(cacheFile, "k", [...paths(), path.join(dir, "c.gen.ts")])).toBe(false);
    expect(await upToDate(cacheFile, "k", [...paths()].reverse())).toBe(false);
    await rm(files[1]!.path);
    expect(await upToDate(cacheFile, "k", paths())).toBe(false);
    await writeFile(files[1]!.path, files[1]!.text);
    expect(await upToDate(cacheFile, "k", paths())).toBe(true);
  });

  it("a hand edit of an output is seen (its hash no longer matches)", async () => {
    await writeFile(files[0]!.path, `${files[0]!.text}// edited\n`);
    expect(await upToDate(cacheFile, "k", paths())).toBe(false);
    await writeFile(files[0]!.path, files[0]!.text);
    expect(await upToDate(cacheFile, "k", paths())).toBe(true);
  });

  it("a record that is not valid JSON counts as none", async () => {
    const saved = await readFile(cacheFile, "utf8");
    await writeFile(cacheFile, saved.slice(0, 10));
    expect(await upToDate(cacheFile, "k", paths())).toBe(false);
  });
});

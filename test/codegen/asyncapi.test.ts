/**
 * `iocontract asyncapi`: every golden fixture's AsyncAPI 3.0 document parses with @asyncapi/parser with no error
 * and no warning, in YAML and in JSON; the chat's document is a golden file.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Parser } from "@asyncapi/parser";
import { describe, expect, it, vi } from "vitest";
import { buildModel, loadContract, printAsyncApi } from "iocontract";
import { CASES, FIXTURES } from "../fixtures/goldens";

// The CLI runs build the TypeScript stage too: for the real-world fixture the TypeScript compiler is asked for its
// transforms' types (ts-morph loads), slow on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const parser = new Parser();
const SEVERITY = ["error", "warning", "info", "hint"];

async function documentOf(name: string, format: "yaml" | "json"): Promise<string> {
  const contract = await loadContract(path.join(FIXTURES, name, "contract.ts"));
  return printAsyncApi(contract, buildModel(contract, "contract.ts"), format);
}

describe.each(CASES)("AsyncAPI document of %s", (name) => {
  it.each(["yaml", "json"] as const)("%s: parsed by @asyncapi/parser with no error and no warning", async (format) => {
    const text = await documentOf(name, format);
    const { document, diagnostics } = await parser.parse(text);
    const problems = diagnostics
      .filter((d) => d.severity <= 1)
      .map((d) => `${SEVERITY[d.severity]} ${d.code} at ${d.path.join(".")}: ${d.message}`);
    expect(problems).toEqual([]);
    expect(document).toBeDefined();
    const contract = await loadContract(path.join(FIXTURES, name, "contract.ts"));
    // Every event of every namespace is an operation of its channel.
    const expected = Object.values(contract.namespaces).reduce(
      (n, ns) =>
        n +
        Object.keys(ns.clientToServer ?? {}).length +
        Object.keys(ns.serverToClient ?? {}).length +
        2 * Object.keys(ns.serverToServer ?? {}).length,
      0,
    );
    expect(document!.operations().length).toBe(expected);
    expect(document!.channels().length).toBe(Object.keys(contract.namespaces).length);
  });
});

describe("the chat's AsyncAPI document", () => {
  it("matches the golden file (npm run goldens --workspace @iocontract/tests to update)", async () => {
    expect(await documentOf("chat", "yaml")).toBe(
      await readFile(path.join(FIXTURES, "chat/expected/asyncapi.yaml"), "utf8"),
    );
  });

  it("acks are replies, errors are reply messages, auth is a security scheme, Socket.IO names are extensions", async () => {
    const { document } = await parser.parse(await documentOf("chat", "yaml"));
    const op = document!
      .operations()
      .all()
      .find((o) => o.json()["x-socketio-event"] === "my message")!;
    expect(op.action()).toBe("receive");
    expect(
      op
        .channels()
        .all()
        .map((c) => c.address()),
    ).toEqual(["/"]);
    const replyMessages = op
      .reply()!
      .messages()
      .all()
      .map((m) => m.name());
    expect(replyMessages).toEqual(["my message (ack)", "NOT_IN_ROOM", "NAME_TAKEN"]);
    expect(op.security().length).toBe(1);
    expect(op.messages().all()[0]!.payload()!.json()).toMatchObject({
      type: "object",
      properties: { data: { type: "string", minLength: 1, maxLength: 2000 } },
      required: ["data"],
    });
    const admin = document!
      .channels()
      .all()
      .find((c) => c.address() === "/admin")!;
    expect(admin.json()["x-socketio-namespace"]).toBe("/admin");
  });
});

describe("iocontract asyncapi (the command)", () => {
  const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ["--conditions=iocontract-source", path.join(REPO, "scripts/iocontract.mjs"), "asyncapi", ...args],
        { cwd: REPO, timeout: 60_000 },
        (error, stdout, stderr) => {
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        },
      );
    });

  it("prints the repository's contract as JSON that parses clean; a bad --format is one line, exit 1", async () => {
    const json = await cli(["--format", "json"]);
    expect(json.code).toBe(0);
    const { document, diagnostics } = await parser.parse(json.stdout);
    expect(diagnostics.filter((d) => d.severity <= 1)).toEqual([]);
    expect(document!.info().title()).toBe("chat");
    expect(await cli(["--format", "xml"])).toEqual({
      code: 1,
      stdout: "",
      stderr: 'iocontract: --format must be yaml or json, not "xml"\n',
    });
  }, 120_000);
});

/**
 * `iocontract docs`: the contract's reference in Markdown and in one self-contained HTML page, for every golden
 * fixture; each example value it shows passes the contract's own schema; the chat demo's committed page
 * (examples/chat/public/docs.html, served at /docs) is what the generator prints.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as z from "zod";
import { describe, expect, it, vi } from "vitest";
import type { Contract, EventDef, Schema } from "@iocontract/runtime/contract";
import { buildModel, buildSnapshot, exampleOf, loadContract, printHtml, printMarkdown, toJsonSchema } from "iocontract";
import { CASES, FIXTURES } from "../fixtures/goldens";

// The real-world fixture asks the TypeScript compiler for its transforms' types (ts-morph loads): slow on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function snapshotOf(file: string) {
  const contract = await loadContract(file);
  return { contract, snapshot: buildSnapshot(contract, buildModel(contract, "contract.ts", { contractFile: file })) };
}

/** Every schema position of a contract with its name. */
function positions(contract: Contract): Array<[string, Schema]> {
  const out: Array<[string, Schema]> = [];
  for (const [p, ns] of Object.entries(contract.namespaces)) {
    if (ns.auth) out.push([`${p} auth`, ns.auth]);
    for (const [code, s] of Object.entries(ns.errors ?? {})) out.push([`${p} ${code}`, s]);
    for (const dir of ["clientToServer", "serverToClient", "serverToServer"] as const) {
      for (const [wire, ev] of Object.entries((ns[dir] ?? {}) as Record<string, EventDef>)) {
        if (ev.payload) out.push([`${p} ${wire} payload`, ev.payload]);
        if (ev.ack) out.push([`${p} ${wire} ack`, ev.ack]);
      }
    }
  }
  return out;
}

describe.each(CASES)("the reference of %s", (name) => {
  it("HTML: one self-contained page (no script, no external asset), every event and error code in it", async () => {
    const { snapshot } = await snapshotOf(path.join(FIXTURES, name, "contract.ts"));
    const html = printHtml(snapshot);
    expect(html).toMatch(/^<!doctype html>\n/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(|@import|href="(?!#)/i);
    const md = printMarkdown(snapshot);
    for (const [p, ns] of Object.entries(snapshot.namespaces)) {
      expect(md).toContain(`## Namespace ${p}\n`);
      for (const dir of ["clientToServer", "serverToClient", "serverToServer"] as const) {
        for (const wire of Object.keys(ns[dir])) {
          expect(md).toContain(`#### ${wire}\n`);
          expect(html).toContain(
            `>${wire.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")}</h4>`,
          );
        }
      }
      for (const code of Object.keys(ns.errors)) expect(md).toMatch(new RegExp(`^\\| ${code} \\|`, "m"));
    }
  });

  it("every example value shown passes the contract's own schema, except where a refinement decides", async () => {
    const { contract } = await snapshotOf(path.join(FIXTURES, name, "contract.ts"));
    const failing: string[] = [];
    for (const [where, schema] of positions(contract)) {
      const js = toJsonSchema(schema, "input");
      if (JSON.stringify(js).includes("x-iocontract-unprovable")) continue;
      const example = exampleOf(js);
      // None shown is allowed only where a pattern decides.
      if (
        example === undefined
          ? !JSON.stringify(js).includes('"pattern"')
          : !(schema as z.ZodType).safeParse(example).success
      )
        failing.push(`${where}: ${JSON.stringify(example)}`);
    }
    expect(failing).toEqual([]);
  });
});

describe("the chat's reference", () => {
  it("Markdown: a field table with types, constraints and docs; an example; errors; auth", async () => {
    const { snapshot } = await snapshotOf(path.join(REPO, "contract/chat.contract.ts"));
    const md = printMarkdown(snapshot);
    expect(md).toContain(
      "| data | string | yes | at least 1 character; at most 2000 characters | The text of the message. |",
    );
    expect(md).toContain("Client → server · identifier `myMessage` · acknowledged (timeout 5000 ms)");
    expect(md).toContain('| NOT_IN_ROOM | room: string | {"room":"text"} |');
    expect(md).toContain("| token | string | yes | at least 1 character |  |");
  });

  const pageTitle =
    "the demo's committed page is what `iocontract docs --format html` prints " +
    "(regenerate it: npm run docs --workspace @iocontract/example-chat)";
  it(pageTitle, async () => {
    const { snapshot } = await snapshotOf(path.join(REPO, "contract/chat.contract.ts"));
    expect(await readFile(path.join(REPO, "examples/chat/public/docs.html"), "utf8")).toBe(printHtml(snapshot));
  });
});

/**
 * Compiled validators in a browser page under a strict Content-Security-Policy (no 'unsafe-eval'): the runtime
 * detects that generated code cannot run, probes once, and validates with the plain validator instead; the same
 * bundle on a page without that policy compiles.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { build } from "esbuild";
import { type Browser, chromium as playwright } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_FLAGS, peer } from "../support/peers";

const chromium = peer("chromium");
const ROOT = path.resolve(import.meta.dirname, "../..");

const ENTRY = `
import * as z from "zod";
import { canCompile, makeCompiledValidator, notCompiled } from ${JSON.stringify(path.join(ROOT, "packages/runtime/src/v1/compiled.ts"))};
let violations = 0;
document.addEventListener("securitypolicyviolation", () => { violations++; });
const a = makeCompiledValidator(z.object({ data: z.string().min(1) }));
const b = makeCompiledValidator(z.object({ n: z.number().int() }));
const results = { good: a({ data: "x", extra: 1 }), bad: a({ data: "" }).ok, n: b({ n: 2 }).ok, notN: b({ n: 1.5 }).ok };
// violation events are dispatched asynchronously
setTimeout(() => {
  window.__result = { canCompile: canCompile(), reason: notCompiled.get(a) ?? null, results, violations };
}, 200);
`;

describe.skipIf(!chromium.available)("compiled validators in Chromium", () => {
  let server: http.Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    const bundle = await build({
      stdin: { contents: ENTRY, resolveDir: path.join(ROOT, "test"), loader: "ts" },
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      conditions: ["iocontract-source"],
      logLevel: "silent",
    });
    const js = bundle.outputFiles[0]!.text;
    server = http.createServer((req, res) => {
      if (req.url === "/app.js") {
        res.writeHead(200, { "content-type": "text/javascript" });
        return res.end(js);
      }
      const headers: Record<string, string> = { "content-type": "text/html" };
      if (req.url === "/strict") headers["content-security-policy"] = "default-src 'self'; script-src 'self'";
      res.writeHead(200, headers);
      res.end(`<!doctype html><title>csp</title><script src="/app.js"></script>`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await playwright.launch({
      executablePath: chromium.path,
      args: [...CHROMIUM_FLAGS],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function resultOf(
    page: string,
  ): Promise<{ canCompile: boolean; reason: string | null; results: Record<string, unknown>; violations: number }> {
    const tab = await browser.newPage();
    try {
      await tab.goto(`${base}${page}`);
      await tab.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, {
        timeout: 15_000,
      });
      return await tab.evaluate(() => (window as unknown as { __result: never }).__result);
    } finally {
      await tab.close();
    }
  }

  const expected = { good: { ok: true, value: { data: "x" } }, bad: false, n: true, notN: false };

  it("under script-src 'self' (no 'unsafe-eval'): falls back, probes code generation once, validates the same", async () => {
    const r = await resultOf("/strict");
    expect(r.canCompile).toBe(false);
    expect(r.reason).toBe("code generation is not allowed here");
    expect(r.results).toEqual(expected);
    expect(r.violations).toBe(1);
  }, 30_000);

  it("without that policy: compiles, no violation", async () => {
    const r = await resultOf("/open");
    expect(r.canCompile).toBe(true);
    expect(r.reason).toBeNull();
    expect(r.results).toEqual(expected);
    expect(r.violations).toBe(0);
  }, 30_000);
});

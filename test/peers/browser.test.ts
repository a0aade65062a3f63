/**
 * The chat in a real browser: Debian's Chromium driven by playwright-core.
 *
 * 1. The example's own page (examples/chat/dist/web, built by `npm test` before the tests run) served by the
 *    example's server: two pages join `chat_users` and talk, one leaves and stops receiving, invalid input shows
 *    its error in the page, and a screenshot is saved to test/test-results/.
 * 2. The packed client SDK (and the packed runtime it depends on) installed into a fresh Vite app in a temporary
 *    folder outside the workspace, built with `vite build`, served by the same server (same origin), and the same
 *    flow.
 * 3. The example's page served by the Python chat server (examples/python/tutorial_server.py, given the built page's
 *    folder): the page connects to the server it came from, so the same flow runs through Python.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BrowserContext, type Page, chromium as playwright } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_FLAGS, peer } from "../support/peers";
import {
  ADMIN_TOKEN,
  BUILT_PAGE,
  type JsonLinesProcess,
  type PeerChat,
  RESULTS,
  assertPageBuilt,
  startPeerChat,
  startPythonServer,
} from "./lib/peer-chat";
import { REPO } from "../support/paths";

const chromium = peer("chromium");
const python = peer("python-socketio");
const VITE = "8.3.8"; // exactly: 8.4 adds an optional dependency this registry does not serve

/** A Chromium with a new, empty profile in a temporary folder; closes both. */
async function launch(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(path.join(tmpdir(), "iocontract-chromium-"));
  const context = await playwright.launchPersistentContext(profile, {
    executablePath: chromium.path,
    args: [...CHROMIUM_FLAGS],
    headless: true,
    timeout: 60_000,
  });
  context.setDefaultTimeout(10_000);
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Every uncaught error and console error of a page, to assert there were none. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  return problems;
}

const logLines = (page: Page, kind?: string) =>
  page.locator(kind === undefined ? "#log li" : `#log li.${kind}`).allTextContents();

async function open(context: BrowserContext, url: string, name: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(url);
  await page.fill("#name", name);
  await page.click("#connect");
  await expect.poll(() => page.textContent("#status"), { timeout: 15_000 }).toMatch(/^connected as /);
  return { page, problems };
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill("#text", text);
  await page.click("#send");
}

/** Waits for a log line matching `pattern` (the page appends; it never removes). */
async function logged(page: Page, pattern: RegExp, kind?: string): Promise<void> {
  await expect.poll(() => logLines(page, kind), { timeout: 15_000 }).toContainEqual(expect.stringMatching(pattern));
}

/**
 * The chat flow in two pages. Both pages have the same element ids: #name #connect #status, #join #leave
 * #rooms, #text #send #custom, and #log with li.reply / li.info / li.error lines.
 */
async function chatFlow(context: BrowserContext, url: string, screenshot: string): Promise<void> {
  const alice = await open(context, url, "alice");
  const bob = await open(context, url, "bob");

  // both join chat_users; "my rooms" is the round trip that proves the join happened
  for (const { page } of [alice, bob]) {
    await page.click("#join");
    await page.click("#rooms");
    await logged(page, /^my rooms: .*chat_users/);
  }

  // my message -> my reply to the others only
  await say(alice.page, "hello bob");
  await logged(alice.page, /^me: hello bob \(delivered to 1\)$/);
  await logged(bob.page, /^alice: hello bob$/, "reply");
  await say(bob.page, "hello alice");
  await logged(bob.page, /^me: hello alice \(delivered to 1\)$/);
  await logged(alice.page, /^bob: hello alice$/, "reply");
  // alice's own line did not come back to her: her replies are bob's line only (bob's answer was the barrier)
  expect(await logLines(alice.page, "reply")).toEqual(["bob: hello alice"]);

  // bob leaves and stops receiving
  await bob.page.click("#leave");
  await bob.page.click("#rooms");
  await logged(bob.page, /^my rooms: (?!.*chat_users)/);
  await say(alice.page, "are you still there");
  await logged(alice.page, /^me: are you still there \(delivered to 0\)$/);
  // barrier on bob's connection: the server answers his custom event after anything it sent him before
  await bob.page.fill("#text", "barrier");
  await bob.page.click("#custom");
  await logged(bob.page, /^server: you said: barrier$/, "reply");
  expect(await logLines(bob.page, "reply")).toEqual(["alice: hello bob", "server: you said: barrier"]);

  // invalid input shows its error in the page, naming the contract, the event and the field
  await say(alice.page, "");
  await logged(alice.page, /REQUEST_INVALID: chat \/ "my message": data: /, "error");
  await alice.page.fill("#text", "x".repeat(2001));
  await alice.page.click("#custom");
  await logged(alice.page, /REQUEST_INVALID: chat \/ "my custom event": data: Too big/, "error");
  // leaving twice: the server's typed error through the reserved error event
  await bob.page.click("#leave");
  await logged(bob.page, /NOT_IN_ROOM/, "error");

  await mkdir(path.dirname(screenshot), { recursive: true });
  await alice.page.screenshot({ path: screenshot, fullPage: true });
  expect((await readFile(screenshot)).subarray(1, 4).toString()).toBe("PNG");

  expect([...alice.problems, ...bob.problems]).toEqual([]);
  await alice.page.close();
  await bob.page.close();
}

describe.skipIf(!chromium.available)("the chat page in Chromium", () => {
  let chat: PeerChat;
  let browser: Awaited<ReturnType<typeof launch>>;

  beforeAll(async () => {
    assertPageBuilt();
    chat = await startPeerChat({ webRoot: BUILT_PAGE });
    browser = await launch();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await chat?.close();
  });

  it("two pages join, talk, one leaves and stops receiving; invalid input shows its error", {
    timeout: 90_000,
  }, async () => {
    await chatFlow(browser.context, chat.url, path.join(RESULTS, "chat-page.png"));
  });

  it("an invalid name is refused in the page before anything is sent", { timeout: 30_000 }, async () => {
    const page = await browser.context.newPage();
    const problems = watch(page);
    await page.goto(chat.url);
    await page.fill("#name", "<script>");
    await page.click("#connect");
    await logged(page, /REQUEST_INVALID: chat \/: handshake auth invalid: name: /, "error");
    expect(await page.textContent("#status")).not.toMatch(/^connected/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("the page links the contract's reference at /docs: it renders with no request beyond itself", {
    timeout: 30_000,
  }, async () => {
    const page = await browser.context.newPage();
    const problems = watch(page);
    const requests: string[] = [];
    page.on("request", (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(chat.url);
    requests.length = 0;
    await page.click("#docs-link");
    await page.waitForSelector("h2#namespace-admin");
    expect(await page.title()).toBe("chat 1.0.0: real-time API reference");
    expect(await page.textContent("h4#clienttoserver-my-message")).toBe("my message");
    expect(requests).toEqual(["/docs"]);
    const screenshot = path.join(RESULTS, "chat-docs.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await readFile(screenshot)).subarray(1, 4).toString()).toBe("PNG");
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!chromium.available || !python.available)(
  "the chat page in Chromium, served by the Python chat server",
  () => {
    let server: JsonLinesProcess;
    let url: string;
    let browser: Awaited<ReturnType<typeof launch>> | undefined;

    beforeAll(async () => {
      assertPageBuilt();
      ({ server, url } = await startPythonServer(
        python.path,
        [path.join(REPO, "examples/python/tutorial_server.py"), "0", ADMIN_TOKEN, BUILT_PAGE],
        { timeoutMs: 150_000, generatedSeconds: 120 },
      ));
      browser = await launch();
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      expect(await server.stop(), server.stderr).toBe(0);
    });

    it("serves the built page, and only what the TypeScript server serves", async () => {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await page.text()).toBe(await readFile(path.join(BUILT_PAGE, "index.html"), "utf8"));
      expect((await fetch(`${url}/app.js`)).headers.get("content-type")).toMatch(/^text\/javascript/);
      expect((await fetch(`${url}/contract.ts`)).status).toBe(404);
    });

    it("two pages join, talk, one leaves and stops receiving; invalid input shows its error", {
      timeout: 90_000,
    }, async () => {
      await chatFlow(browser!.context, url, path.join(RESULTS, "chat-page-python.png"));
      // The Python server asked each page "are you there" when it joined, and each page's generated client answered.
      expect(server.all("are you there").map((l) => l["answer"])).toEqual([{ at: 42 }, { at: 42 }]);
    });
  },
);

// ---------------------------------------------------------------------------------------------------------
// The packed SDK in a fresh Vite app.

function run(
  command: string,
  args: string[],
  cwd: string,
  timeoutMs = 240_000,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd,
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          ...process.env,
          npm_config_audit: "false",
          npm_config_fund: "false",
          npm_config_update_notifier: "false",
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

/** The same ids and log lines as the example's page, in a few lines of plain JavaScript on the packed SDK. */
const VITE_INDEX = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>chat on the packed SDK (Vite)</title>
<style>body{font:14px system-ui;margin:1rem} .error{color:#a00} .reply{color:#036}</style></head>
<body>
  <h1>Vite + @iocontract/chat-client-sdk</h1>
  <input id="name" placeholder="name"> <button id="connect">Connect</button> <span id="status">disconnected</span>
  <p><button id="join">Join</button> <button id="leave">Leave</button> <button id="rooms">My rooms</button></p>
  <p><input id="text"> <button id="send">Send</button> <button id="custom">Custom</button></p>
  <ul id="log"></ul>
  <script type="module" src="/main.js"></script>
</body>
</html>
`;

const VITE_MAIN = `import { createChatClient, IocontractError } from "@iocontract/chat-client-sdk";

const $ = (id) => document.getElementById(id);
const say = (kind, text) => {
  const li = document.createElement("li");
  li.className = kind;
  li.textContent = text;
  $("log").append(li);
};
const describe = (error) => (error instanceof IocontractError ? error.message : String(error));
let chat;

$("connect").onclick = () => {
  try {
    chat = createChatClient(undefined, { auth: { name: $("name").value } });
  } catch (error) {
    return say("error", describe(error));
  }
  chat.on.connect(() => ($("status").textContent = "connected as " + chat.id));
  chat.on.connectError((error) => say("error", error.message));
  chat.on.myReply((reply) => say("reply", reply.from + ": " + reply.data));
  chat.on.eventError((error) => say("error", error.message));
  chat.handle.areYouThere(({ at }) => ({ at }));
};
$("join").onclick = () => chat.emit.chat();
$("leave").onclick = () => chat.emit.exitChat();
$("rooms").onclick = () => chat.emit.myRooms().then(({ rooms }) => say("info", "my rooms: " + rooms.join(", ")));
$("send").onclick = () => {
  const data = $("text").value;
  chat.emit.myMessage({ data }).then(({ delivered }) => say("info", "me: " + data + " (delivered to " + delivered + ")"), (e) => say("error", describe(e)));
};
$("custom").onclick = () => {
  try {
    chat.emit.myCustomEvent({ data: $("text").value });
  } catch (error) {
    say("error", describe(error));
  }
};
`;

// The chat server serves index.html and /app.js: name the bundle that, in one file.
const VITE_CONFIG = `import { defineConfig } from "vite";
export default defineConfig({
  build: {
    outDir: "dist",
    modulePreload: false,
    rolldownOptions: { output: { entryFileNames: "app.js", chunkFileNames: "app-[name].js", codeSplitting: false } },
  },
});
`;

describe.skipIf(!chromium.available)("the packed client SDK in a fresh Vite app, in Chromium", () => {
  let dir: string;
  let chat: PeerChat | undefined;
  let browser: Awaited<ReturnType<typeof launch>> | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "iocontract-vite-"));
    // The client SDK and the runtime it depends on (by a semver range; not on the public registry).
    const tarballs: string[] = [];
    for (const pkg of ["packages/runtime", "packages/client-sdk"]) {
      // --ignore-scripts: built already; a prepack rebuild would pull dist/ from under the chat server above.
      const packed = await run(
        "npm",
        ["pack", "--ignore-scripts", "--pack-destination", dir, "--json"],
        path.join(REPO, pkg),
      );
      expect(packed.code, packed.out).toBe(0);
      tarballs.push(
        path.join(
          dir,
          (JSON.parse(packed.out.slice(packed.out.indexOf("["))) as Array<{ filename: string }>)[0]!.filename,
        ),
      );
    }
    await writeFile(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "fresh-vite-app", version: "1.0.0", private: true, type: "module" }, null, 2),
    );
    const installed = await run(
      "npm",
      ["install", "--no-package-lock", "--save-exact", `vite@${VITE}`, ...tarballs],
      dir,
    );
    expect(installed.code, installed.out).toBe(0);
    await writeFile(path.join(dir, "index.html"), VITE_INDEX);
    await writeFile(path.join(dir, "main.js"), VITE_MAIN);
    await writeFile(path.join(dir, "vite.config.js"), VITE_CONFIG);
    const built = await run(process.execPath, [path.join(dir, "node_modules/vite/bin/vite.js"), "build"], dir, 120_000);
    expect(built.code, built.out).toBe(0);
    chat = await startPeerChat({ webRoot: path.join(dir, "dist") });
    browser = await launch();
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await chat?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("builds one bundle that imports nothing from the workspace", async () => {
    const html = await readFile(path.join(dir, "dist/index.html"), "utf8");
    expect(html).toMatch(/<script type="module" crossorigin src="\/app\.js"><\/script>/);
    const bundle = await readFile(path.join(dir, "dist/app.js"), "utf8");
    expect(bundle).toContain("iocontract:error"); // the runtime is in it
    expect(bundle).not.toMatch(/["']@iocontract\//);
    expect(dir.startsWith(REPO)).toBe(false);
  });

  it("runs the same flow", { timeout: 90_000 }, async () => {
    await chatFlow(browser!.context, chat!.url, path.join(RESULTS, "chat-vite-app.png"));
  });
});

/** Helpers for the real-peer suites: the chat app with options, child processes with bounded lifetimes. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { ErrorInfo } from "@iocontract/chat-server-sdk";
import { type ChatAppOptions, createChatApp } from "../../../examples/chat/src/server/app";
import { REPO } from "../../support/paths";

/** Where the example's build puts the page (index.html + app.js); turbo builds it before `test`. */
export const BUILT_PAGE = path.join(REPO, "examples/chat/dist/web");
/** Gitignored; screenshots and other artifacts of the peer suites. */
export const RESULTS = path.join(REPO, "test/test-results");

export const ADMIN_TOKEN = "peer-admin";
/** socket.io's connection-state recovery, as an app would turn it on. */
export const RECOVERY = { connectionStateRecovery: { maxDisconnectionDuration: 120_000 } } as const;
/**
 * Recovery off, whatever the server runtime's default: socket.io's own option, given and empty, wins over it.
 * (A cast: with exactOptionalPropertyTypes the type does not let the key be present and undefined.)
 */
export const NO_RECOVERY = { connectionStateRecovery: undefined } as unknown as NonNullable<ChatAppOptions["socketio"]>;

export interface PeerChat {
  readonly url: string;
  readonly app: ReturnType<typeof createChatApp>;
  readonly errors: Array<{ error: unknown; info: ErrorInfo }>;
  close(): Promise<void>;
}

export async function startPeerChat(
  options: { webRoot?: string; socketio?: ChatAppOptions["socketio"] } = {},
): Promise<PeerChat> {
  const errors: Array<{ error: unknown; info: ErrorInfo }> = [];
  const app = createChatApp({
    webRoot: options.webRoot ?? BUILT_PAGE,
    adminToken: ADMIN_TOKEN,
    onError: (error, info) => errors.push({ error, info }),
    ...(options.socketio === undefined ? {} : { socketio: options.socketio }),
  });
  const address = await app.server.listen(0, "127.0.0.1");
  return { url: `http://127.0.0.1:${address.port}`, app, errors, close: () => app.server.close() };
}

export function assertPageBuilt(): void {
  if (!existsSync(path.join(BUILT_PAGE, "app.js")) || !existsSync(path.join(BUILT_PAGE, "index.html"))) {
    throw new Error(`the chat page is not built (${BUILT_PAGE}): run \`npm run build\` first (npm test does)`);
  }
}

/** A child process whose stdout is read as JSON lines; killed after `timeoutMs` whatever happens. */
export class JsonLinesProcess {
  readonly child: ChildProcess;
  readonly lines: Array<Record<string, unknown>> = [];
  stderr = "";
  private stdout = "";
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor(command: string, args: string[], options: { cwd?: string; timeoutMs: number; env?: NodeJS.ProcessEnv }) {
    this.child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const killer = setTimeout(() => this.child.kill("SIGKILL"), options.timeoutMs);
    this.child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      this.stdout += chunk;
      let newline: number;
      while ((newline = this.stdout.indexOf("\n")) >= 0) {
        const line = this.stdout.slice(0, newline).trim();
        this.stdout = this.stdout.slice(newline + 1);
        if (line === "") continue;
        try {
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          this.lines.push({ step: "unparsed", line });
        }
        for (const wake of this.waiters.splice(0)) wake();
      }
    });
    this.child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code) => {
        clearTimeout(killer);
        for (const wake of this.waiters.splice(0)) wake();
        resolve(code);
      });
      this.child.once("error", (error) => {
        this.stderr += String(error);
        clearTimeout(killer);
        resolve(-1);
      });
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first line whose step is `step` (waiting for it), or rejects after `ms` or on exit. */
  async line(step: string, ms = 15_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.lines.find((l) => l["step"] === step);
      if (found !== undefined) return found;
      if (!this.running || Date.now() > deadline) {
        throw new Error(
          `no "${step}" line (exit ${this.child.exitCode}); stdout:\n${this.lines.map((l) => JSON.stringify(l)).join("\n")}\nstderr:\n${this.stderr}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(10, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Every line with this step, in order. */
  all(step: string): Array<Record<string, unknown>> {
    return this.lines.filter((l) => l["step"] === step);
  }

  kill(): void {
    if (this.running) this.child.kill("SIGKILL");
  }

  /**
   * SIGTERM, then the exit code, or "still running" when it has not exited within `ms` (then SIGKILL): the graceful
   * stop the peer servers' suites assert (`expect(await server.stop()).toBe(0)`).
   */
  async stop(ms = 5000): Promise<number | null | "still running"> {
    this.child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      this.exited,
      new Promise<"still running">((resolve) => {
        timer = setTimeout(() => resolve("still running"), ms);
      }),
    ]);
    clearTimeout(timer);
    this.kill();
    return code;
  }
}

/**
 * Starts a Python server script that prints a `listening` line with its port (test/peers/python/*.py,
 * examples/python/tutorial_server.py) and resolves once it listens. `generatedSeconds`: the script runs on the
 * generated Python server package (packages/python-server on PYTHONPATH) and exits by itself after that long
 * (IOCONTRACT_PY_SERVER_SECONDS). Stop it with `server.stop()` (0 when it exited cleanly).
 */
export async function startPythonServer(
  python: string,
  args: string[],
  options: { timeoutMs: number; generatedSeconds?: number },
): Promise<{ server: JsonLinesProcess; url: string }> {
  const server = new JsonLinesProcess(python, args, {
    timeoutMs: options.timeoutMs,
    ...(options.generatedSeconds === undefined
      ? {}
      : {
          env: {
            ...process.env,
            PYTHONPATH: path.join(REPO, "packages/python-server"),
            IOCONTRACT_PY_SERVER_SECONDS: String(options.generatedSeconds),
          },
        }),
  });
  const listening = await server.line("listening", 20_000);
  return { server, url: `http://127.0.0.1:${listening["port"] as number}` };
}

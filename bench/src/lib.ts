/**
 * Shared by the benchmarks: statistics, result sections (what `run-all.ts` turns into docs/benchmarks.md), and
 * child processes that run with the same loader as this one (TypeScript sources through tsx).
 */
import { type ChildProcess, fork } from "node:child_process";
import os from "node:os";
import type { Manager, Socket } from "socket.io-client";

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** One line of a result table: the figure for each repetition, summarised as median and min–max. */
export interface Row {
  readonly name: string;
  readonly unit: string;
  /** One value per repetition (at least five). */
  readonly samples: readonly number[];
  /** `≤ 1.03×`: the target, when the row is a budgeted ratio. */
  readonly target?: { readonly max?: number; readonly min?: number; readonly text: string };
  /** Digits after the decimal point. */
  readonly digits?: number;
}

export interface Section {
  readonly title: string;
  /** What was measured and how, in a few lines of Markdown. */
  readonly method: string;
  readonly rows: readonly Row[];
  readonly notes?: readonly string[];
}

export function summarize(row: Row): { median: number; min: number; max: number; met: boolean | undefined } {
  const m = median(row.samples);
  const met =
    row.target === undefined
      ? undefined
      : (row.target.max === undefined || m <= row.target.max) && (row.target.min === undefined || m >= row.target.min);
  return { median: m, min: Math.min(...row.samples), max: Math.max(...row.samples), met };
}

export function fmt(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toFixed(digits);
}

export function renderSection(section: Section): string {
  const lines = [`## ${section.title}`, "", section.method.trim()];
  if (section.rows.length > 0)
    lines.push("", "| measure | median | min–max | n | target | |", "| --- | ---: | ---: | ---: | --- | --- |");
  for (const row of section.rows) {
    const s = summarize(row);
    const d = row.digits ?? 2;
    const verdict = s.met === undefined ? "" : s.met ? "met" : "**not met**";
    const range = `${fmt(s.min, d)}–${fmt(s.max, d)}`;
    const cells = [
      row.name,
      `${fmt(s.median, d)} ${row.unit}`,
      range,
      row.samples.length,
      row.target?.text ?? "",
      verdict,
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  for (const note of section.notes ?? []) lines.push("", note);
  return lines.join("\n");
}

/** Prints a section (each bench script does when run alone). */
export function printSection(section: Section): void {
  process.stdout.write(`\n${renderSection(section)}\n`);
}

export function machine(): { cores: number; cpu: string; node: string; os: string; loadavg: string } {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? "unknown",
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadavg: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
  };
}

/** Forks a TypeScript module with this process's loader (tsx, the source condition) and an IPC channel. */
export function forkTs(module: URL, args: string[] = [], extraExecArgv: string[] = []): ChildProcess {
  return fork(module.pathname, args, {
    execArgv: [...process.execArgv, ...extraExecArgv],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

/** Sends a request over IPC and waits for the reply with the same `id` (bounded by `timeoutMs`). */
export function ipcCall<T>(child: ChildProcess, message: Record<string, unknown>, timeoutMs = 120_000): Promise<T> {
  const id = Math.random().toString(36).slice(2);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off("message", onMessage);
      reject(new Error(`bench: no answer to ${JSON.stringify(message["cmd"])} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (reply: { id?: string; error?: string } & T) => {
      if (reply.id !== id) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      if (reply.error !== undefined) reject(new Error(reply.error));
      else resolve(reply);
    };
    child.on("message", onMessage);
    child.send({ ...message, id });
  });
}

/** In a child: answers `ipcCall`s with `handler`. */
export function serveIpc(
  handler: (message: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>,
): void {
  process.on("message", (message: Record<string, unknown>) => {
    void (async () => {
      try {
        const reply = await handler(message);
        process.send!({ ...reply, id: message["id"] });
      } catch (error) {
        process.send!({
          id: message["id"],
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      }
    })();
  });
  // The parent going away ends the child: no stray servers.
  process.on("disconnect", () => process.exit(0));
}

export function waitExit(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Rotates `modes` by `round`, so that no mode always runs first (order bias). */
export function rotate<T>(modes: readonly T[], round: number): T[] {
  const k = round % modes.length;
  return [...modes.slice(k), ...modes.slice(0, k)];
}

/** Rejects when `promise` has not settled within `ms`: every wait in the benchmarks is bounded. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench: ${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `BENCH_QUICK=1` shrinks every loop (a smoke run of the harness, not figures to quote). */
export const QUICK = process.env["BENCH_QUICK"] === "1";

export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && new URL(url).pathname === process.argv[1];
}

/** Resolves once `socket` is connected (at once if it is already); rejects on its `connect_error`. */
export function connected(socket: Socket): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
}

/** The end of a measurement: closes the clients' connections, then stops the server process (bounded). */
export async function stopServer(server: ChildProcess, managers: readonly Manager[] = []): Promise<void> {
  for (const m of managers) m.engine?.close();
  server.kill();
  await waitExit(server);
}

/**
 * The load run: the chat server in one child process, clients spread over other child processes, every piece
 * bounded by a timeout (connect, each ack, the broadcast drain, and the whole run). Shared by the scaled-down
 * run in `npm test` (test/load/load.test.ts) and bench/load.ts (1,000 clients × 100 messages).
 *
 * Counted: `lost` = messages whose ack never came back `ok`, plus acked messages whose handler never ran;
 * `duplicates` = handler runs beyond the first for one (client, seq); broadcasts expected, received, duplicated.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ClientsConfig, ClientsMessage, ClientsResult, LoadServerMessage } from "./protocol";

export interface LoadOptions {
  readonly clients: number;
  readonly messages: number;
  /** Clients per room: each message is broadcast to the other `roomSize - 1`. */
  readonly roomSize?: number;
  /** Client processes. */
  readonly clientProcesses?: number;
  /** The whole run stops after this long, finished or not. */
  readonly deadlineMs?: number;
  readonly ackTimeoutMs?: number;
  readonly drainMs?: number;
  readonly log?: (line: string) => void;
  /** Breaks the server on purpose (see load-server.ts), to show that losses and duplicates are counted. */
  readonly breakServer?: boolean;
}

export interface LoadReport {
  readonly clients: number;
  readonly connected: number;
  readonly messages: number;
  readonly sent: number;
  readonly acked: number;
  readonly lost: number;
  /** Acked, but the server counted no handler run for it. */
  readonly ackedNotRun: number;
  readonly duplicates: number;
  readonly handlerRuns: number;
  readonly failuresByCode: Record<string, number>;
  readonly connectFailures: string[];
  /** Acked messages per second over the sending phase (the slowest process). */
  readonly throughput: number;
  readonly sendMs: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly broadcasts: {
    readonly expected: number;
    readonly received: number;
    readonly lost: number;
    readonly duplicates: number;
  };
  /** Measured after a full GC in the server process. */
  readonly serverRss: {
    readonly idle: number;
    readonly connected: number;
    readonly perConnection: number;
    readonly end: number;
  };
  readonly serverHeapPerConnection: number;
  readonly problems: string[];
  readonly timedOut: boolean;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const execArgv = ["--conditions=iocontract-source", "--import", "tsx"];

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const roomSize = options.roomSize ?? 5;
  const processes = Math.min(options.clientProcesses ?? 2, options.clients);
  const deadlineMs = options.deadlineMs ?? 300_000;
  const log = options.log ?? (() => {});
  const children: ChildProcess[] = [];
  const problems: string[] = [];
  let timedOut = false;
  let deadline: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    deadline = setTimeout(() => {
      timedOut = true;
      reject(new Error(`the load run did not finish within ${deadlineMs} ms`));
    }, deadlineMs);
  });
  expired.catch(() => {});
  const within = <T>(promise: Promise<T>) => Promise.race([promise, expired]);

  try {
    // The server.
    const server = fork(here("./load-server.ts"), [], {
      cwd: repoRoot,
      execArgv: [...execArgv, "--expose-gc"],
      serialization: "advanced",
      env: { ...process.env, LOAD_ROOM_SIZE: String(roomSize), LOAD_BREAK: options.breakServer ? "1" : "" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    children.push(server);
    server.on(
      "exit",
      (code, signal) =>
        code !== 0 && code !== null && problems.push(`the server exited: code ${code}, signal ${signal}`),
    );
    let statsId = 0;
    const statsWaiters = new Map<number, (m: Extract<LoadServerMessage, { type: "stats" }>) => void>();
    const port = await within(
      new Promise<number>((resolve) => {
        server.on("message", (m: LoadServerMessage) => {
          if (m.type === "ready") resolve(m.port);
          else if (m.type === "stats") statsWaiters.get(m.id)?.(m);
        });
      }),
    );
    const stats = () =>
      within(
        new Promise<Extract<LoadServerMessage, { type: "stats" }>>((resolve) => {
          const id = ++statsId;
          statsWaiters.set(id, resolve);
          server.send({ type: "stats", id });
        }),
      );
    const idle = await stats();
    const url = `http://127.0.0.1:${port}`;
    log(
      `load: server on ${url} (RSS ${(idle.rss / 1024 / 1024).toFixed(1)} MB idle); connecting ${options.clients} clients from ${processes} processes`,
    );

    // The clients.
    const per = Math.ceil(options.clients / processes);
    const connected: Array<Promise<Extract<ClientsMessage, { type: "connected" }>>> = [];
    const done: Array<Promise<ClientsResult>> = [];
    for (let p = 0; p < processes; p++) {
      const first = p * per;
      const count = Math.min(per, options.clients - first);
      const config: ClientsConfig = {
        url,
        first,
        count,
        total: options.clients,
        messages: options.messages,
        roomSize,
        drainMs: options.drainMs ?? 30_000,
        ackTimeoutMs: options.ackTimeoutMs ?? 60_000,
      };
      const child = fork(here("./load-clients.ts"), [], {
        cwd: repoRoot,
        execArgv,
        serialization: "advanced",
        env: { ...process.env, LOAD_CLIENTS_CONFIG: JSON.stringify(config) },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      children.push(child);
      const exited = new Promise<never>((_, reject) =>
        child.on("exit", (code) => reject(new Error(`client process ${p} exited (code ${code}) before reporting`))),
      );
      exited.catch(() => {});
      connected.push(
        Promise.race([
          new Promise<Extract<ClientsMessage, { type: "connected" }>>((resolve) =>
            child.on("message", (m: ClientsMessage) => m.type === "connected" && resolve(m)),
          ),
          exited,
        ]),
      );
      done.push(
        Promise.race([
          new Promise<ClientsResult>((resolve) =>
            child.on("message", (m: ClientsMessage) => m.type === "done" && resolve(m.result)),
          ),
          exited,
        ]),
      );
    }
    const connects = await within(Promise.all(connected));
    const withClients = await stats();
    const connectedCount = connects.reduce((n, c) => n + c.connected, 0);
    log(
      `load: ${connectedCount} clients connected, server RSS ${(withClients.rss / 1024 / 1024).toFixed(1)} MB; sending ${options.messages} acked messages each`,
    );
    for (const child of children.slice(1)) child.send({ type: "go" });
    const results = await within(Promise.all(done));
    const end = await stats();

    const latencies = new Float64Array(results.reduce((n, r) => n + r.latencies.length, 0));
    let offset = 0;
    for (const r of results) {
      latencies.set(r.latencies, offset);
      offset += r.latencies.length;
    }
    latencies.sort();
    let ackedNotRun = 0;
    for (const r of results) for (const key of r.ackedKeys) if (!end.runs.has(key)) ackedNotRun++;
    let duplicates = 0;
    for (const count of end.runs.values()) if (count > 1) duplicates += count - 1;
    const sent = results.reduce((n, r) => n + r.sent, 0);
    const acked = results.reduce((n, r) => n + r.acked, 0);
    const failuresByCode: Record<string, number> = {};
    for (const r of results)
      for (const [code, n] of Object.entries(r.failuresByCode)) failuresByCode[code] = (failuresByCode[code] ?? 0) + n;
    const sendMs = Math.max(...results.map((r) => r.sendMs));
    const broadcastsExpected = results.reduce((n, r) => n + r.broadcastsExpected, 0);
    const broadcastsReceived = results.reduce((n, r) => n + r.broadcastsReceived, 0);
    problems.push(...end.problems);
    return {
      clients: options.clients,
      connected: connectedCount,
      messages: options.messages,
      sent,
      acked,
      // Never sent (a client that could not connect) counts as lost too: the run promised clients × messages.
      lost: options.clients * options.messages - acked + ackedNotRun,
      ackedNotRun,
      duplicates,
      handlerRuns: end.handlerRuns,
      failuresByCode,
      connectFailures: connects.flatMap((c) => c.failures),
      throughput: acked / (sendMs / 1000),
      sendMs,
      latencyMs: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies[latencies.length - 1] ?? Number.NaN,
      },
      broadcasts: {
        expected: broadcastsExpected,
        received: broadcastsReceived,
        lost: broadcastsExpected - broadcastsReceived,
        duplicates: results.reduce((n, r) => n + r.broadcastDuplicates, 0),
      },
      serverRss: {
        idle: idle.rss,
        connected: withClients.rss,
        perConnection: connectedCount === 0 ? Number.NaN : (withClients.rss - idle.rss) / connectedCount,
        end: end.rss,
      },
      serverHeapPerConnection:
        connectedCount === 0 ? Number.NaN : (withClients.heapUsed - idle.heapUsed) / connectedCount,
      problems,
      timedOut: timedOut || results.some((r) => r.timedOut),
    };
  } finally {
    clearTimeout(deadline);
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  }
}

export function formatLoadReport(r: LoadReport): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return [
    `load: ${r.connected}/${r.clients} clients × ${r.messages} acked messages, rooms of broadcasts`,
    `  throughput: ${Math.round(r.throughput)} acked messages/s (${r.acked} in ${(r.sendMs / 1000).toFixed(1)} s)`,
    `  ack latency: p50 ${r.latencyMs.p50.toFixed(1)} ms, p99 ${r.latencyMs.p99.toFixed(1)} ms, max ${r.latencyMs.max.toFixed(1)} ms`,
    `  lost: ${r.lost} (acked but not run: ${r.ackedNotRun}; failures by code: ${JSON.stringify(r.failuresByCode)})`,
    `  duplicated handler runs: ${r.duplicates} (handler runs ${r.handlerRuns} for ${r.sent} sent)`,
    `  broadcasts: ${r.broadcasts.received}/${r.broadcasts.expected} received, lost ${r.broadcasts.lost}, duplicated ${r.broadcasts.duplicates}`,
    `  server RSS: idle ${mb(r.serverRss.idle)}, ${r.connected} connected ${mb(r.serverRss.connected)} ` +
      `(${(r.serverRss.perConnection / 1024).toFixed(1)} KB per connection; heap ` +
      `${(r.serverHeapPerConnection / 1024).toFixed(1)} KB per connection), end ${mb(r.serverRss.end)}`,
    `  server problems: ${r.problems.length}, timed out: ${r.timedOut}`,
  ].join("\n");
}

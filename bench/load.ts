/**
 * The load run: 1,000 concurrent clients × 100 acked messages each (the chat fixture's generated server and
 * client SDK), with every message broadcast to the rest of the sender's room (rooms of 5); server in its own
 * process, clients in others (test/load/lib/run-load.ts). Prints, per run and as medians (min–max) over
 * LOAD_RUNS runs (default 3, fresh processes each): throughput, p50 / p99 ack latency, lost (must be 0),
 * duplicated handler runs (must be 0), broadcasts, and the server's RSS per connection. Bounded: every wait
 * has a timeout, and each run stops after LOAD_DEADLINE_MS (default 10 minutes). Exit code 1 if anything was
 * lost or duplicated.
 *
 *   npm run load --workspace @iocontract/bench
 *   LOAD_CLIENTS=200 LOAD_MESSAGES=20 LOAD_RUNS=1 npm run load --workspace @iocontract/bench
 */
import { type LoadReport, formatLoadReport, runLoad } from "../test/load/lib/run-load";

const clients = Number(process.env.LOAD_CLIENTS ?? 1000);
const messages = Number(process.env.LOAD_MESSAGES ?? 100);
const runs = Number(process.env.LOAD_RUNS ?? 3);
const reports: LoadReport[] = [];
let ok = true;
for (let run = 1; run <= runs; run++) {
  console.log(`--- run ${run}/${runs}`);
  const report = await runLoad({
    clients,
    messages,
    roomSize: Number(process.env.LOAD_ROOM_SIZE ?? 5),
    clientProcesses: Number(process.env.LOAD_PROCESSES ?? 2),
    deadlineMs: Number(process.env.LOAD_DEADLINE_MS ?? 600_000),
    log: (line) => console.log(line),
  });
  console.log(formatLoadReport(report));
  for (const problem of report.problems) console.log(`SERVER PROBLEM ${problem}`);
  ok &&=
    report.lost === 0 &&
    report.duplicates === 0 &&
    report.broadcasts.lost === 0 &&
    report.broadcasts.duplicates === 0 &&
    report.problems.length === 0 &&
    !report.timedOut;
  reports.push(report);
}

function summary(name: string, values: number[], unit: string, digits = 0): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `  ${name}: median ${median.toFixed(digits)} ${unit} (min ${sorted[0]!.toFixed(digits)} – max ${sorted[sorted.length - 1]!.toFixed(digits)})`;
}
console.log(`--- ${runs} runs of ${clients} clients × ${messages} acked messages`);
console.log(
  summary(
    "throughput",
    reports.map((r) => r.throughput),
    "acked messages/s",
  ),
);
console.log(
  summary(
    "ack latency p50",
    reports.map((r) => r.latencyMs.p50),
    "ms",
    1,
  ),
);
console.log(
  summary(
    "ack latency p99",
    reports.map((r) => r.latencyMs.p99),
    "ms",
    1,
  ),
);
console.log(
  summary(
    "server RSS per connection",
    reports.map((r) => r.serverRss.perConnection / 1024),
    "KB",
    1,
  ),
);
console.log(
  summary(
    "server heap per connection",
    reports.map((r) => r.serverHeapPerConnection / 1024),
    "KB",
    1,
  ),
);
console.log(
  `  lost: ${reports.map((r) => r.lost).join(", ")}; duplicated handler runs: ` +
    `${reports.map((r) => r.duplicates).join(", ")}; broadcasts lost: ` +
    `${reports.map((r) => r.broadcasts.lost).join(", ")}`,
);
console.log(ok ? "bench/load: OK" : "bench/load: FAILED");
process.exit(ok ? 0 : 1);

/**
 * The load run: 1,000 concurrent clients × 100 acked messages each (the chat fixture's generated server and
 * client SDK), with every message broadcast to the rest of the sender's room; server in its own process,
 * clients in others. Prints throughput, p50 / p99 ack latency, lost (must be 0), duplicated handler runs (must
 * be 0), broadcasts, and the server's RSS per connection. Bounded: every wait has a timeout, and the whole run
 * stops after LOAD_DEADLINE_MS (default 10 minutes). Exit code 1 if anything was lost or duplicated.
 *
 *   npm run load --workspace @iocontract/bench
 *   LOAD_CLIENTS=200 LOAD_MESSAGES=20 npm run load --workspace @iocontract/bench
 */
import { formatLoadReport, runLoad } from "../test/load/lib/run-load";

const clients = Number(process.env.LOAD_CLIENTS ?? 1000);
const messages = Number(process.env.LOAD_MESSAGES ?? 100);
const report = await runLoad({
  clients,
  messages,
  roomSize: Number(process.env.LOAD_ROOM_SIZE ?? 5),
  clientProcesses: Number(process.env.LOAD_PROCESSES ?? 2),
  deadlineMs: Number(process.env.LOAD_DEADLINE_MS ?? 600_000),
  log: (line) => console.log(line),
});
console.log(formatLoadReport(report));
const ok = report.lost === 0 && report.duplicates === 0 && report.broadcasts.lost === 0 && report.broadcasts.duplicates === 0 && report.problems.length === 0 && !report.timedOut;
for (const problem of report.problems) console.log(`SERVER PROBLEM ${problem}`);
console.log(ok ? "bench/load: OK" : "bench/load: FAILED");
process.exit(ok ? 0 : 1);

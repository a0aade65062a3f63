/**
 * The long fuzz run: at least 100,000 cases against every fixture contract's server (in a child process), with
 * the same judge as the `npm test` suite (test/fuzz/lib/runner.ts). Prints the count, cases/s, the server's
 * heap before and after, and every failure. Exit code 1 on any failure.
 *
 *   npm run fuzz --workspace @iocontract/bench            # 100,000 cases, seed from FUZZ_SEED or 1
 *   FUZZ_CASES=20000 FUZZ_SEED=7 npm run fuzz --workspace @iocontract/bench
 *
 * Also: FUZZ_ONLY=<fixture>:<worker seed> and FUZZ_TRACE=1 replay one worker's cases, each logged (a failure
 * names both); FUZZ_RECOVERY=1 turns socket.io's connection-state recovery on in the servers; FUZZ_CPU_PROF=<dir>
 * writes a CPU profile of the server process there.
 */
import { formatReport, runFuzz } from "../test/fuzz/lib/runner";

const cases = Number(process.env.FUZZ_CASES ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? 1);
console.log(`bench/fuzz: ${cases} cases, seed ${seed}`);
// FUZZ_ONLY=<fixture>:<worker seed> replays one worker's cases (the seed a failure names), FUZZ_TRACE=1 logs each.
const only = process.env.FUZZ_ONLY?.split(":");
const report = await runFuzz({
  seed,
  cases,
  workersPerFixture: 3,
  caseTimeoutMs: 15_000,
  maxFailures: 50,
  log: (line) => console.log(line),
  ...(only === undefined ? {} : { only: { fixture: only[0]!, seed: Number(only[1]) } }),
  trace: process.env.FUZZ_TRACE === "1",
});
console.log(formatReport(report));
for (const failure of report.failures) console.log(`FAIL ${failure}`);
for (const problem of report.problems) console.log(`SERVER PROBLEM ${problem}`);
for (const failure of report.bystander.failures) console.log(`BYSTANDER ${failure}`);
const ok =
  report.failures.length === 0 &&
  report.problems.length === 0 &&
  report.bystander.failures.length === 0 &&
  report.childExit === undefined &&
  report.cases >= cases;
console.log(ok ? "bench/fuzz: OK" : "bench/fuzz: FAILED");
process.exit(ok ? 0 : 1);

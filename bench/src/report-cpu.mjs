// Preloaded into a process the benchmarks time: prints its CPU time (user + system, ms) on exit, on stderr.
process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\nbench-cpu-ms ${((user + system) / 1000).toFixed(1)}\n`);
});

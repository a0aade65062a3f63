/**
 * The memory attacks of issue 18 at full speed, for minutes (test/attacks/ runs them for seconds): against the
 * attack suites' fixture app on the built runtime (test/attacks/lib/server.ts), with the defaults. Prints, per
 * attack, the peak RSS and the peak heap after a full GC (sampled every 2 s), per attacking connection above the
 * idle server, how the attackers were cut, and what a bystander client saw. Exit code 1 if the server died, the
 * bystander got an error, or an attacker was never cut.
 *
 *   npm run attacks --workspace @iocontract/bench            # 4 and 40 attackers × 120 s, parked attachments 60 s
 *   ATTACK_SECONDS=30 ATTACK_PARK_SECONDS=15 npm run attacks --workspace @iocontract/bench
 *
 * Run `npm run build` first (the server imports the packages' dist/).
 */
import {
  type AttackServer,
  MB,
  binaryEvent,
  bystanderProcess,
  floodInvalid,
  sleep,
  startServer,
} from "../test/attacks/lib/attacks";

const FLOOD_MS = Number(process.env["ATTACK_SECONDS"] ?? 120) * 1000;
const PARK_MS = Number(process.env["ATTACK_PARK_SECONDS"] ?? 60) * 1000;

interface Peaks {
  rss: number;
  heap: number;
  arrayBuffers: number;
  samples: number;
}

/** Samples the server's memory (after a full GC) every 2 s until `stop()`. */
function sample(server: AttackServer): { peaks: Peaks; stop(): Promise<Peaks> } {
  const peaks: Peaks = { rss: 0, heap: 0, arrayBuffers: 0, samples: 0 };
  let running = true;
  const loop = (async () => {
    while (running && server.alive()) {
      const h = await server.heap();
      peaks.rss = Math.max(peaks.rss, h.rss);
      peaks.heap = Math.max(peaks.heap, h.heapUsed);
      peaks.arrayBuffers = Math.max(peaks.arrayBuffers, h.arrayBuffers);
      peaks.samples++;
      await sleep(2000);
    }
  })();
  return {
    peaks,
    stop: async () => {
      running = false;
      await loop;
      return peaks;
    },
  };
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
let ok = true;

async function flood(attackers: number): Promise<void> {
  const server = await startServer();
  const idle = await server.heap();
  const sampler = sample(server);
  const watcher = await bystanderProcess(server.url);
  // Half the attackers send 100,000-character unknown names, half short ones; every other frame is an invalid payload.
  const stats = await floodInvalid(server.url, attackers, FLOOD_MS, (who) => (who % 2 === 0 ? 100_000 : 20));
  const seen = await watcher.stop();
  const peaks = await sampler.stop();
  const after = await server.heap();
  const alive = server.alive();
  await server.stop();
  const cut = stats.attackersCut === attackers;
  ok &&= alive && seen.failed === 0 && seen.answered > 0 && cut;
  console.log(
    [
      `flood of unknown/invalid events, ${attackers} attackers × ${FLOOD_MS / 1000} s (defaults):`,
      `  sent ${stats.sent} frames, ${(stats.sentBytes / MB).toFixed(0)} MB, over ${stats.connections} ` +
        `connections; ${stats.notices} cut with TOO_MANY_INVALID_EVENTS (${stats.attackersCut} of ` +
        `${attackers} attackers at least once); largest answer ${stats.largestAnswer} B`,
      `  server ${alive ? "up" : "DEAD"}; idle heap ${mb(idle.heapUsed)}, rss ${mb(idle.rss)}; peak heap ` +
        `after GC ${mb(peaks.heap)}, peak rss ${mb(peaks.rss)} (${peaks.samples} samples); after: heap ` +
        `${mb(after.heapUsed)}, ${after.recoveryPackets} packets kept for recovery`,
      `  per attacking connection: peak heap +${kb((peaks.heap - idle.heapUsed) / attackers)}, peak rss +${kb((peaks.rss - idle.rss) / attackers)}`,
      `  bystander: ${seen.answered} answers, ${seen.failed} failures, slowest ${seen.slowestMs.toFixed(0)} ms`,
    ].join("\n"),
  );
}

async function park(connections: number): Promise<void> {
  const server = await startServer();
  const idle = await server.heap();
  const sampler = sample(server);
  const watcher = await bystanderProcess(server.url);
  const end = Date.now() + PARK_MS;
  let parked = 0;
  let cut = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const raw = await binaryEvent(server.url, 10, 90_000, 9).catch(() => undefined);
        if (raw === undefined) continue;
        parked++;
        await Promise.race([raw.closed, sleep(Math.max(0, end - Date.now()))]);
        if (raw.errorEvents().some((e) => e.code === "ATTACHMENTS_INCOMPLETE")) cut++;
        raw.close();
      }
    }),
  );
  const seen = await watcher.stop();
  const peaks = await sampler.stop();
  await sleep(500);
  const after = await server.heap();
  const alive = server.alive();
  await server.stop();
  ok &&= alive && seen.failed === 0 && cut > 0;
  console.log(
    [
      `parked attachments, ${connections} connections × ${PARK_MS / 1000} s, each announcing 10 ` +
        `attachments of 90,000 B and sending 9 (defaults: cut after 5 s):`,
      `  ${parked} events parked, ${cut} connections cut with ATTACHMENTS_INCOMPLETE`,
      `  server ${alive ? "up" : "DEAD"}; idle heap ${mb(idle.heapUsed)}, arrayBuffers ` +
        `${mb(idle.arrayBuffers)}; peak heap ${mb(peaks.heap)}, peak arrayBuffers ${mb(peaks.arrayBuffers)}, ` +
        `peak rss ${mb(peaks.rss)}; after: arrayBuffers ${mb(after.arrayBuffers)}, ${after.connections} ` +
        `connections`,
      `  per attacking connection: peak arrayBuffers ` +
        `+${kb((peaks.arrayBuffers - idle.arrayBuffers) / connections)}, peak rss ` +
        `+${kb((peaks.rss - idle.rss) / connections)}`,
      `  bystander: ${seen.answered} answers, ${seen.failed} failures, slowest ${seen.slowestMs.toFixed(0)} ms`,
    ].join("\n"),
  );
}

console.log(`bench/attacks: ${new Date().toISOString()}`);
await flood(4);
await flood(40);
await park(40);
console.log(ok ? "bench/attacks: OK" : "bench/attacks: FAILED");
process.exit(ok ? 0 : 1);

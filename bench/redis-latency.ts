/**
 * Cross-node broadcast latency on Redis, against one node in memory, in the same run.
 *
 *   node --conditions=iocontract-source --import tsx bench/redis-latency.ts [--rounds 7] [--messages 200]
 *
 * Starts its own redis-server (loopback, free port, no persistence) and the example chat's handlers on four
 * servers in this process: two in memory (M1, M2: the baseline and its A/A control, each with both clients on
 * it) and two on the Redis pub/sub adapter (R1, R2: alice on R1, bob on R2), plus R1/R2 on the streams adapter.
 * One sample: bob sends "my message", the handler broadcasts "my reply" to chat_users, alice receives it; the
 * time from bob's emit to alice's listener. Sequential (one message in flight). Variants run interleaved, round
 * by round, so the machine's load hits them alike; the figure is the median of the per-round medians, with the
 * min–max of those, and the ratio to the in-memory baseline of the same round.
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { type ChatClient, createChatClient } from "@iocontract/chat-client-sdk";
import { type RedisAdapter, createRedisAdapter } from "@iocontract/chat-server-sdk/redis";
import { createChatApp } from "../examples/chat/src/server/app";
import { freePort } from "../test/support/redis-server";

const { values } = parseArgs({
  strict: true,
  options: {
    rounds: { type: "string", default: "7" },
    messages: { type: "string", default: "200" },
    "redis-server": { type: "string", default: "redis-server" },
  },
});
const ROUNDS = Number(values.rounds);
const MESSAGES = Number(values.messages);

const port = await freePort();
const redisProcess = spawn(
  values["redis-server"],
  ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"],
  { stdio: ["ignore", "pipe", "inherit"] },
);
await new Promise<void>((resolve, reject) => {
  let out = "";
  redisProcess.once("error", reject);
  redisProcess.stdout!.on("data", (c: Buffer) => {
    out += c.toString();
    if (out.includes("Ready to accept connections")) resolve();
  });
});
// Whatever happens below, this Redis goes with the process.
process.on("exit", () => redisProcess.kill("SIGKILL"));
const url = `redis://127.0.0.1:${port}`;

const closers: Array<() => Promise<unknown>> = [];
async function node(adapter?: RedisAdapter): Promise<string> {
  const app = createChatApp({
    webRoot: "/nonexistent",
    onError: () => {},
    ...(adapter ? { adapter: adapter.adapter } : {}),
  });
  const address = await app.server.listen(0, "127.0.0.1");
  // Closed in reverse order: the server first, then its Redis connections.
  if (adapter) closers.push(() => adapter.close());
  closers.push(() => app.server.close());
  return `http://127.0.0.1:${address.port}`;
}

interface Variant {
  readonly name: string;
  readonly alice: ChatClient;
  readonly bob: ChatClient;
}
let seq = 0;
async function variant(name: string, aliceUrl: string, bobUrl: string): Promise<Variant> {
  const alice = createChatClient(aliceUrl, { auth: { name: `alice${++seq}` }, socket: { transports: ["websocket"] } });
  const bob = createChatClient(bobUrl, { auth: { name: `bob${++seq}` }, socket: { transports: ["websocket"] } });
  await Promise.all([alice.ready(), bob.ready()]);
  alice.emit.chat();
  bob.emit.chat();
  for (;;) {
    const { delivered } = await bob.emit.myMessage({ data: "warm-up" });
    if (delivered === 1) break; // alice is in the room, as every node sees it
    await new Promise((r) => setTimeout(r, 20));
  }
  process.stderr.write(`${name}: ready\n`);
  return { name, alice, bob };
}

async function sample(v: Variant): Promise<number[]> {
  const times: number[] = [];
  const acks: Array<Promise<unknown>> = [];
  for (let i = 0; i < MESSAGES; i++) {
    const text = `m${i}`;
    const received = new Promise<void>((resolve) => {
      const off = v.alice.on.myReply((reply) => {
        if (reply.data === text) {
          off();
          resolve();
        }
      });
    });
    const start = process.hrtime.bigint();
    acks.push(v.bob.emit.myMessage({ data: text })); // the ack (it counts chat_users across nodes) is not timed
    await received;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  await Promise.all(acks);
  return times;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const m1 = await node();
const m2 = await node();
const pubsub = [await createRedisAdapter({ kind: "pubsub", url }), await createRedisAdapter({ kind: "pubsub", url })];
const p1 = await node(pubsub[0]);
const p2 = await node(pubsub[1]);
const streams = [
  await createRedisAdapter({ kind: "streams", url, key: "bench-streams" }),
  await createRedisAdapter({ kind: "streams", url, key: "bench-streams" }),
];
const s1 = await node(streams[0]);
const s2 = await node(streams[1]);

const variants = [
  await variant("memory, one node (baseline)", m1, m1),
  await variant("memory, one node (A/A control)", m2, m2),
  await variant("Redis pub/sub, across two nodes", p1, p2),
  await variant("Redis streams, across two nodes", s1, s2),
];

const perRound = new Map<string, number[]>(variants.map((v) => [v.name, []]));
const ratios = new Map<string, number[]>(variants.map((v) => [v.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order every round so no variant always runs first.
  const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
  const medians = new Map<string, number>();
  for (const v of order) medians.set(v.name, median(await sample(v)));
  process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  const base = medians.get(variants[0]!.name)!;
  for (const v of variants) {
    perRound.get(v.name)!.push(medians.get(v.name)!);
    ratios.get(v.name)!.push(medians.get(v.name)! / base);
  }
}

console.log(
  `cross-node broadcast latency: ${ROUNDS} rounds x ${MESSAGES} sequential messages per variant, Node ${process.version}`,
);
console.log("variant | median of round medians, ms (min–max) | ratio to baseline (min–max)");
for (const v of variants) {
  const ms = perRound.get(v.name)!;
  const r = ratios.get(v.name)!;
  console.log(
    `${v.name} | ${median(ms).toFixed(3)} (${Math.min(...ms).toFixed(3)}–${Math.max(...ms).toFixed(3)}) ` +
      `| ${median(r).toFixed(2)}x (${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)})`,
  );
}

for (const v of variants) {
  v.alice.disconnect();
  v.bob.disconnect();
}
await new Promise((r) => setTimeout(r, 200)); // let the servers run their disconnect handlers
for (const close of closers.reverse()) await close();
redisProcess.kill("SIGTERM");
process.exit(0); // the streams adapter's reader ends its blocking XREAD only after blockTimeInMs

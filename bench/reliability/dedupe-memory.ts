/**
 * Memory of the idempotency store at its default bound (50 000 keys, answers of a small ack), and the cost of
 * one seen()+record() pair. Run: node --expose-gc --conditions=iocontract-source --import tsx bench/reliability/dedupe-memory.ts
 * Interleaved A/B: an empty Map of the same keys (the floor) against the store, 5 rounds; medians with min–max.
 */
import { DedupeStore } from "../../packages/runtime/src/v1/dedupe";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");
const N = 50_000;
const key = (round: number, i: number) =>
  `/\u0000my message\u0000${round.toString(36)}a1b2c3d4e5f60718293a4b5c6d7e8f90.${i.toString(36)}`;

function heap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

function fillStore(round: number): { keep: unknown; bytes: number; nsPerOp: number } {
  const before = heap();
  const store = new DedupeStore();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    if (store.seen(key(round, i)) === undefined) store.record(store.latest, { ok: true, data: { delivered: i } });
  }
  const ns = Number(process.hrtime.bigint() - t0) / N;
  return { keep: store, bytes: (heap() - before) / N, nsPerOp: ns };
}

function fillMap(round: number): { keep: unknown; bytes: number; nsPerOp: number } {
  const before = heap();
  const map = new Map<string, unknown>();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) map.set(key(round, i), { delivered: i });
  const ns = Number(process.hrtime.bigint() - t0) / N;
  return { keep: map, bytes: (heap() - before) / N, nsPerOp: ns };
}

const rows: Record<string, { bytes: number[]; ns: number[] }> = {
  "Map floor": { bytes: [], ns: [] },
  DedupeStore: { bytes: [], ns: [] },
};
for (let round = 0; round < 5; round++) {
  for (const [name, fill] of [
    ["Map floor", fillMap],
    ["DedupeStore", fillStore],
  ] as const) {
    const r = fill(round);
    rows[name]!.bytes.push(r.bytes);
    rows[name]!.ns.push(r.nsPerOp);
    void r.keep;
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[], d = 0) =>
  `${med(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;
console.log(`idempotency store, ${N} keys, 5 interleaved rounds (median, min–max)`);
for (const [name, r] of Object.entries(rows))
  console.log(`${name.padEnd(12)} bytes/key ${fmt(r.bytes)}   ns/key ${fmt(r.ns)}`);
console.log(`store at its default bound: ~${((med(rows["DedupeStore"]!.bytes) * N) / 1024 / 1024).toFixed(1)} MiB`);
const ratios = rows["DedupeStore"]!.ns.map((ns, i) => ns / rows["Map floor"]!.ns[i]!);
console.log(`time per key, store / Map floor (paired by round): ${fmt(ratios, 2)}×`);

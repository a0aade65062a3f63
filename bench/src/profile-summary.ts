/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`) by where the time went: each sample goes to the first
 * category its stack matches, innermost frame first. Used by the codegen benchmark to show what stands in the
 * way of its target.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** [label, test on a frame's `url functionName`]; the first category whose test matches any frame of the stack wins. */
export type Category = readonly [string, RegExp];

export function summarizeProfile(file: string, categories: readonly Category[]): Array<{ label: string; ms: number }> {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const leaf = byId.get(id)!;
    let label: string;
    if (leaf.callFrame.functionName === "(idle)") return;
    if (leaf.callFrame.functionName === "(garbage collector)") label = "garbage collection";
    else {
      const frames: string[] = [];
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const f = byId.get(cur)!.callFrame;
        frames.push(`${f.url} ${f.functionName}`);
      }
      label = categories.find(([, re]) => frames.some((f) => re.test(f)))?.[0] ?? "other";
    }
    totals.set(label, (totals.get(label) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals].map(([label, ms]) => ({ label, ms })).sort((a, b) => b.ms - a.ms);
}

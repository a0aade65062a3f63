/**
 * Codegen and type-check cost of a 1,000-event contract (big-contract.ts writes it).
 *
 * Codegen: the repository's own generate command (`node --import tsx codegen/src/cli.ts generate`, what
 * `npm run generate` runs) as a fresh process, wall time: a first generate (no outputs yet) and a no-op
 * regenerate (outputs up to date), alternating, five repetitions.
 *
 * Type-check: the same client app twice, on the generated SDK (its emitted declarations, what a front end gets
 * from the SDK package) and on socket.io-client with hand-written event-map generics; `tsc --extendedDiagnostics`
 * check time and instantiations, alternating, five repetitions.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BIG_DIR, EVENTS, USED, writeBigFixture } from "./big-contract";
import { type Row, type Section, QUICK, isMain, median, printSection } from "./lib";
import { summarizeProfile } from "./profile-summary";

const ROOT = path.resolve(new URL(".", import.meta.url).pathname, "../..");
const REPETITIONS = QUICK ? 2 : 5;
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

/** Wall time and CPU time (user + system, from inside the process) of one generate run, in ms. */
function generate(): { wall: number; cpu: number } {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--import", new URL("./report-cpu.mjs", import.meta.url).pathname, "--conditions=iocontract-source", "--import", "tsx", path.join(ROOT, "codegen/src/cli.ts"), "generate", "--config", path.join(BIG_DIR, "iocontract.config.ts")], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`bench codegen: generate failed: ${r.stderr || r.stdout}`);
  const cpu = /bench-cpu-ms ([\d.]+)/.exec(r.stderr);
  if (cpu === null) throw new Error("bench codegen: the generate process did not report its CPU time");
  return { wall, cpu: Number(cpu[1]) };
}

/** CPU time (ms) of a bare process with these arguments: the fixed costs every generate run pays first. */
function fixedCost(args: string[]): number {
  const r = spawnSync(process.execPath, ["--import", new URL("./report-cpu.mjs", import.meta.url).pathname, ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  const cpu = /bench-cpu-ms ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || cpu === null) throw new Error(`bench codegen: ${args.join(" ")} failed: ${r.stderr}`);
  return Number(cpu[1]);
}

function typecheck(project: string): { checkS: number; totalS: number; instantiations: number } {
  const r = spawnSync(process.execPath, [TSC, "-p", path.join(BIG_DIR, project), "--extendedDiagnostics"], { cwd: BIG_DIR, encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) throw new Error(`bench typecheck: ${project} does not type-check:\n${r.stdout}${r.stderr}`);
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s+([\\d.]+)`, "m").exec(r.stdout);
    if (m === null) throw new Error(`bench typecheck: no "${name}" in tsc's diagnostics`);
    return Number(m[1]);
  };
  return { checkS: field("Check time"), totalS: field("Total time"), instantiations: field("Instantiations") };
}

const PROFILE_CATEGORIES = [
  ["printing: ts-morph printStructure", /code-block-writer|ts-morph.*print|printStructure/],
  ["printing and model: the generator's own code", /codegen\/src\/(printers|schema|model|generate|names)/],
  ["loading ts-morph and its bundled TypeScript", /ts-morph|@ts-morph|typescript\.js/],
  ["tsx: transpiling TypeScript on load", /tsx\/dist|esbuild/],
  ["zod: building the contract's schemas", /zod\/v4/],
  ["module loading (Node)", /node:internal\/modules|cjs-module-lexer/],
] as const;

const total = (parts: Array<{ ms: number }>) => parts.reduce((a, p) => a + p.ms, 0);

export async function run(): Promise<Section[]> {
  writeBigFixture();
  const fresh: Array<{ wall: number; cpu: number }> = [];
  const noop: Array<{ wall: number; cpu: number }> = [];
  generate(); // warm the transpile cache and the disk cache: every repetition then starts alike
  for (let rep = 0; rep < REPETITIONS; rep++) {
    rmSync(path.join(BIG_DIR, "gen"), { recursive: true, force: true });
    fresh.push(generate());
    noop.push(generate());
    process.stderr.write(`codegen: repetition ${rep + 1}/${REPETITIONS} done\n`);
  }
  // What stands in the way of the 2 s: the process and module loading before the generator does anything.
  const fixed = { node: [] as number[], tsx: [] as number[], tsMorph: [] as number[] };
  for (let rep = 0; rep < REPETITIONS; rep++) {
    fixed.node.push(fixedCost(["-e", ""]));
    fixed.tsx.push(fixedCost(["--import", "tsx", "-e", ""]));
    fixed.tsMorph.push(fixedCost(["-e", "require('ts-morph')"]));
  }
  // Where one fresh generate spends its time (a CPU profile of one run).
  const profDir = mkdtempSync(path.join(os.tmpdir(), "iocontract-prof-"));
  rmSync(path.join(BIG_DIR, "gen"), { recursive: true, force: true });
  spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${profDir}`, "--conditions=iocontract-source", "--import", "tsx", path.join(ROOT, "codegen/src/cli.ts"), "generate", "--config", path.join(BIG_DIR, "iocontract.config.ts")], { cwd: ROOT, timeout: 120_000 });
  const profFile = readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile")).map((f) => path.join(profDir, f));
  // The main thread's profile is the largest one (tsx's loader thread writes its own).
  const mainProfile = profFile.map((f) => ({ f, parts: summarizeProfile(f, PROFILE_CATEGORIES) })).sort((a, b) => total(b.parts) - total(a.parts))[0];
  rmSync(profDir, { recursive: true, force: true });
  const profileNote =
    mainProfile === undefined
      ? "No CPU profile was written."
      : `Where one fresh generate's CPU time goes (\`node --cpu-prof\`, one run, ${(total(mainProfile.parts) / 1000).toFixed(2)} s sampled on the main thread, idle excluded): ` +
        mainProfile.parts.map((p) => `${p.label} ${(p.ms / 1000).toFixed(2)} s`).join("; ") +
        ". Process start and module loading (tsx transpiling TypeScript on the fly, ts-morph's bundled TypeScript, zod) come before the generator does any work; the 2 s target would need the CLI to run precompiled (dist) code and to print without loading ts-morph, or a cache that lets a no-op regenerate skip printing.";

  // The SDK's declarations, as its package would ship them.
  execFileSync(process.execPath, [TSC, "-p", path.join(BIG_DIR, "tsconfig.dts.json")], { cwd: BIG_DIR, stdio: "inherit", timeout: 300_000 });
  const sdk: Array<ReturnType<typeof typecheck>> = [];
  const hand: Array<ReturnType<typeof typecheck>> = [];
  for (let rep = 0; rep < REPETITIONS; rep++) {
    if (rep % 2 === 0) {
      sdk.push(typecheck("tsconfig.sdk.json"));
      hand.push(typecheck("tsconfig.hand.json"));
    } else {
      hand.push(typecheck("tsconfig.hand.json"));
      sdk.push(typecheck("tsconfig.sdk.json"));
    }
    process.stderr.write(`typecheck: repetition ${rep + 1}/${REPETITIONS} done\n`);
  }
  const codegenRows: Row[] = [
    { name: "generate, 1,000 events: CPU time of the process (user+system)", unit: "s", samples: fresh.map((r) => r.cpu / 1000), target: { max: 2, text: "≤ 2 s" }, digits: 2 },
    { name: "generate, 1,000 events: wall time (fresh process, no outputs yet)", unit: "s", samples: fresh.map((r) => r.wall / 1000), target: { max: 2, text: "≤ 2 s" }, digits: 2 },
    { name: "no-op regenerate (outputs up to date): CPU time", unit: "s", samples: noop.map((r) => r.cpu / 1000), digits: 2 },
    { name: "no-op regenerate: wall time", unit: "s", samples: noop.map((r) => r.wall / 1000), digits: 2 },
    { name: "of which fixed: node + tsx loader start-up (CPU)", unit: "s", samples: fixed.tsx.map((ms) => ms / 1000), digits: 2 },
    { name: "of which fixed: loading ts-morph (it bundles TypeScript), over a bare node (CPU)", unit: "s", samples: fixed.tsMorph.map((ms, i) => (ms - fixed.node[i]!) / 1000), digits: 2 },
    { name: "no-op regenerate / generate (CPU time)", unit: "×", samples: noop.map((n, i) => n.cpu / fresh[i]!.cpu), target: { max: 0.999, text: "< 1.0× (faster)" }, digits: 3 },
  ];
  const tcRows: Row[] = [
    { name: "check time: app on the SDK / app on hand-written generics", unit: "×", samples: sdk.map((s, i) => s.checkS / hand[i]!.checkS), target: { max: 1, text: "≤ 1.0×" }, digits: 3 },
    { name: "instantiations: SDK / hand-written", unit: "×", samples: sdk.map((s, i) => s.instantiations / hand[i]!.instantiations), target: { max: 1, text: "≤ 1.0×" }, digits: 3 },
    { name: "total tsc time: SDK / hand-written", unit: "×", samples: sdk.map((s, i) => s.totalS / hand[i]!.totalS), digits: 3 },
    { name: "absolute: check time, app on the SDK", unit: "s", samples: sdk.map((s) => s.checkS), digits: 2 },
    { name: "absolute: check time, app on hand-written generics", unit: "s", samples: hand.map((s) => s.checkS), digits: 2 },
    { name: "absolute: instantiations, app on the SDK", unit: "", samples: sdk.map((s) => s.instantiations), digits: 0 },
    { name: "absolute: instantiations, app on hand-written generics", unit: "", samples: hand.map((s) => s.instantiations), digits: 0 },
  ];
  return [
    {
      title: "Codegen, 1,000-event contract",
      method: `A generated contract with ${EVENTS.fire} fire-and-forget and ${EVENTS.request} acknowledged client→server events and ${EVENTS.server} server→client events, each with its own object schema (bench/src/big-contract.ts). Wall time of the repository's generate command as a fresh process (\`node --conditions=iocontract-source --import tsx codegen/src/cli.ts generate --config …\`, process start, TypeScript transpilation of the contract and its loading included); wall time depends on the machine's load, CPU time (read inside the process at exit) much less: a generate with no outputs on disk, then a no-op regenerate, ${REPETITIONS} repetitions after one warm-up.`,
      rows: codegenRows,
      notes: [profileNote],
    },
    {
      title: "Type-check cost of a client app on the 1,000-event SDK",
      method: `The same app (${USED} calls: fire-and-forget emits, awaited acks, listeners) written twice: on the generated client SDK (its emitted declarations, as the SDK package ships them) and on socket.io-client with hand-written \`Socket<ServerToClientEvents, ClientToServerEvents>\` generics covering the same 1,000 events. \`tsc -p … --extendedDiagnostics\` (TypeScript 5.9, the repository's strict base config), alternating, ${REPETITIONS} repetitions.`,
      rows: tcRows,
    },
  ];
}

if (isMain(import.meta.url)) {
  for (const s of await run()) printSection(s);
  process.exit(0);
}

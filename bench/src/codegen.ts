/**
 * Codegen and type-check cost of a 1,000-event contract (big-contract.ts writes it).
 *
 * Codegen: the command `npm run generate` runs (read from the root package.json's "generate" script, the part
 * after its dependency check: `node --conditions=iocontract-source scripts/iocontract.mjs generate`) as a fresh
 * process with `--config` pointing at the big fixture, wall and CPU time: a first generate (no outputs yet) and
 * a no-op regenerate (outputs up to date, so the no-op cache applies), alternating, five repetitions. Then the
 * same two through npm itself (`npm run generate -- --config …`: npm's start-up and the dependency check
 * included), wall time only.
 *
 * Type-check: the same client app twice, on the generated SDK (its emitted declarations, what a front end gets
 * from the SDK package) and on socket.io-client with hand-written event-map generics; `tsc --extendedDiagnostics`
 * check time and instantiations, alternating, five repetitions.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BIG_BRANDED_DIR, BIG_DIR, EVENTS, USED, writeBigFixture } from "./big-contract";
import { type Row, type Section, QUICK, isMain, printSection } from "./lib";
import { summarizeProfile } from "./profile-summary";

const ROOT = path.resolve(new URL(".", import.meta.url).pathname, "../..");
const REPETITIONS = QUICK ? 2 : 5;
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

/**
 * The arguments of the node command `npm run generate` runs, from the root package.json (the part after its
 * last `&&`), so the bench cannot drift from what users run.
 */
function generateArgs(dir = BIG_DIR): string[] {
  const script = (
    JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
  ).scripts["generate"]!;
  const words = script.split("&&").at(-1)!.trim().split(/\s+/);
  if (words[0] !== "node")
    throw new Error(`bench codegen: the generate script does not end in a node command: ${script}`);
  return [...words.slice(1), "--config", path.join(dir, "iocontract.config.ts")];
}

/** Wall time and CPU time (user + system, from inside the process) of one generate run, in ms. */
function generate(dir = BIG_DIR): { wall: number; cpu: number } {
  const t = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    ["--import", new URL("./report-cpu.mjs", import.meta.url).pathname, ...generateArgs(dir)],
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`bench codegen: generate failed: ${r.stderr || r.stdout}`);
  const cpu = /bench-cpu-ms ([\d.]+)/.exec(r.stderr);
  if (cpu === null) throw new Error("bench codegen: the generate process did not report its CPU time");
  return { wall, cpu: Number(cpu[1]) };
}

/** Wall time (ms) of `npm run generate` as typed, npm's own start-up and the dependency check included. */
function npmGenerate(): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(
    "npm",
    ["run", "--silent", "generate", "--", "--config", path.join(BIG_DIR, "iocontract.config.ts")],
    { cwd: ROOT, encoding: "utf8", timeout: 120_000 },
  );
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`bench codegen: npm run generate failed: ${r.stderr || r.stdout}`);
  return wall;
}

/** Where one run's main-thread CPU time goes (`node --cpu-prof`). */
function profileOne(): Array<{ label: string; ms: number }> | undefined {
  const profDir = mkdtempSync(path.join(os.tmpdir(), "iocontract-prof-"));
  spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${profDir}`, ...generateArgs()], {
    cwd: ROOT,
    timeout: 120_000,
  });
  const profFile = readdirSync(profDir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(profDir, f));
  // The main thread's profile is the largest one (tsx's loader thread writes its own).
  const main = profFile.map((f) => summarizeProfile(f, PROFILE_CATEGORIES)).sort((a, b) => total(b) - total(a))[0];
  rmSync(profDir, { recursive: true, force: true });
  return main;
}

/** CPU time (ms) of a bare process with these arguments: the fixed costs every generate run pays first. */
function fixedCost(args: string[]): number {
  const r = spawnSync(process.execPath, ["--import", new URL("./report-cpu.mjs", import.meta.url).pathname, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  const cpu = /bench-cpu-ms ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || cpu === null) throw new Error(`bench codegen: ${args.join(" ")} failed: ${r.stderr}`);
  return Number(cpu[1]);
}

function typecheck(project: string): { checkS: number; totalS: number; instantiations: number } {
  const r = spawnSync(process.execPath, [TSC, "-p", path.join(BIG_DIR, project), "--extendedDiagnostics"], {
    cwd: BIG_DIR,
    encoding: "utf8",
    timeout: 300_000,
  });
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
  // Before the generator's code: ts-morph is required from codegen/src/printers/ts-morph.ts, on the same stack.
  ["loading ts-morph and its bundled TypeScript", /ts-morph|@ts-morph|typescript\.js/],
  [
    "printing and model: the generator's own code",
    /codegen\/src\/(printers|schema|typescript|model|generate|names|print|outputs|cache)/,
  ],
  ["tsx: transpiling TypeScript on load", /tsx\/dist|esbuild/],
  ["zod: building the contract's schemas", /zod\/v4/],
  ["module loading (Node)", /node:internal\/modules|cjs-module-lexer/],
] as const;

function total(parts: Array<{ ms: number }>): number {
  return parts.reduce((a, p) => a + p.ms, 0);
}

export async function run(): Promise<Section[]> {
  writeBigFixture();
  writeBigFixture({ brands: true });
  const fresh: Array<{ wall: number; cpu: number }> = [];
  const noop: Array<{ wall: number; cpu: number }> = [];
  const npmFresh: number[] = [];
  const npmNoop: number[] = [];
  generate(); // warm tsx's transform cache and the disk cache: every repetition then starts alike
  for (let rep = 0; rep < REPETITIONS; rep++) {
    rmSync(path.join(BIG_DIR, "gen"), { recursive: true, force: true });
    fresh.push(generate());
    noop.push(generate());
    rmSync(path.join(BIG_DIR, "gen"), { recursive: true, force: true });
    npmFresh.push(npmGenerate());
    npmNoop.push(npmGenerate());
    process.stderr.write(`codegen: repetition ${rep + 1}/${REPETITIONS} done\n`);
  }
  // The same contract with brands (every 10th event), against the one without, interleaved: a first generate each.
  const plain: Array<{ wall: number; cpu: number }> = [];
  const branded: Array<{ wall: number; cpu: number }> = [];
  generate(BIG_BRANDED_DIR);
  for (let rep = 0; rep < REPETITIONS; rep++) {
    for (const [dir, into] of rep % 2 === 0
      ? ([
          [BIG_DIR, plain],
          [BIG_BRANDED_DIR, branded],
        ] as const)
      : ([
          [BIG_BRANDED_DIR, branded],
          [BIG_DIR, plain],
        ] as const)) {
      rmSync(path.join(dir, "gen"), { recursive: true, force: true });
      into.push(generate(dir));
    }
    process.stderr.write(`codegen with brands: repetition ${rep + 1}/${REPETITIONS} done\n`);
  }
  // The fixed costs every generate run pays before the generator does anything; ts-morph only when printing.
  const emptyTs = path.join(BIG_DIR, "empty.ts");
  writeFileSync(emptyTs, "export {};\n");
  const fixed = { node: [] as number[], tsx: [] as number[], tsMorph: [] as number[] };
  for (let rep = 0; rep < REPETITIONS; rep++) {
    fixed.node.push(fixedCost(["-e", ""]));
    fixed.tsx.push(
      fixedCost([
        "--input-type=module",
        "-e",
        `const { tsImport } = await import("tsx/esm/api"); await tsImport(${JSON.stringify(emptyTs)}, import.meta.url);`,
      ]),
    );
    fixed.tsMorph.push(fixedCost(["-e", "require('ts-morph')"]));
  }
  // Where one fresh generate, and one no-op regenerate, spend their time.
  rmSync(path.join(BIG_DIR, "gen"), { recursive: true, force: true });
  const freshProfile = profileOne();
  const noopProfile = profileOne();
  const describe = (parts: Array<{ label: string; ms: number }> | undefined) => {
    if (parts === undefined) return "no CPU profile was written";
    const each = parts.map((p) => `${p.label} ${(p.ms / 1000).toFixed(2)} s`).join("; ");
    return `${(total(parts) / 1000).toFixed(2)} s sampled on the main thread, idle excluded: ${each}`;
  };
  const profileNote =
    "Where one run's CPU time goes (`node --cpu-prof`, one run each). " +
    `A fresh generate: ${describe(freshProfile)}. A no-op regenerate: ${describe(noopProfile)}. ` +
    "Process start and module loading (tsx transpiling the generator's TypeScript and the contract, zod, " +
    "and for a fresh generate ts-morph with the TypeScript compiler it bundles) come before the generator does any work; " +
    "a no-op regenerate finds its outputs recorded as up to date in the no-op cache (node_modules/.cache/iocontract) " +
    "and never loads ts-morph.";

  // The SDK's declarations, as its package would ship them.
  execFileSync(process.execPath, [TSC, "-p", path.join(BIG_DIR, "tsconfig.dts.json")], {
    cwd: BIG_DIR,
    stdio: "inherit",
    timeout: 300_000,
  });
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
    {
      name: "generate, 1,000 events: CPU time of the process (user+system)",
      unit: "s",
      samples: fresh.map((r) => r.cpu / 1000),
      target: { max: 2, text: "≤ 2 s" },
      digits: 2,
    },
    {
      name: "generate, 1,000 events: wall time (fresh process, no outputs yet)",
      unit: "s",
      samples: fresh.map((r) => r.wall / 1000),
      target: { max: 2, text: "≤ 2 s" },
      digits: 2,
    },
    {
      name: "no-op regenerate (outputs up to date): CPU time",
      unit: "s",
      samples: noop.map((r) => r.cpu / 1000),
      digits: 2,
    },
    { name: "no-op regenerate: wall time", unit: "s", samples: noop.map((r) => r.wall / 1000), digits: 2 },
    {
      name: "no-op regenerate / generate (CPU time)",
      unit: "×",
      samples: noop.map((n, i) => n.cpu / fresh[i]!.cpu),
      target: { max: 0.999, text: "< 1.0× (faster)" },
      digits: 3,
    },
    {
      name: "no-op regenerate / generate (wall time)",
      unit: "×",
      samples: noop.map((n, i) => n.wall / fresh[i]!.wall),
      target: { max: 0.999, text: "< 1.0× (faster)" },
      digits: 3,
    },
    {
      name: "as typed, `npm run generate` (npm start-up and dependency check included): generate, wall",
      unit: "s",
      samples: npmFresh.map((ms) => ms / 1000),
      digits: 2,
    },
    {
      name: "as typed, `npm run generate`: no-op regenerate, wall",
      unit: "s",
      samples: npmNoop.map((ms) => ms / 1000),
      digits: 2,
    },
    {
      name: "with brands (every 10th event: a branded id, object and union option): generate, wall",
      unit: "s",
      samples: branded.map((r) => r.wall / 1000),
      digits: 2,
    },
    {
      name: "beside it, the same contract without brands: generate, wall",
      unit: "s",
      samples: plain.map((r) => r.wall / 1000),
      digits: 2,
    },
    {
      name: "with brands / without (wall, interleaved pairs)",
      unit: "×",
      samples: branded.map((b, i) => b.wall / plain[i]!.wall),
      target: { max: 2, text: "≤ 2.0×" },
      digits: 2,
    },
    {
      name: "with brands / without (CPU time, interleaved pairs)",
      unit: "×",
      samples: branded.map((b, i) => b.cpu / plain[i]!.cpu),
      target: { max: 2, text: "≤ 2.0×" },
      digits: 2,
    },
    {
      name: "of which fixed: node + tsx's scoped loader start-up (CPU)",
      unit: "s",
      samples: fixed.tsx.map((ms) => ms / 1000),
      digits: 2,
    },
    {
      name: "of which fixed, when printing: loading ts-morph (it bundles TypeScript), over a bare node (CPU)",
      unit: "s",
      samples: fixed.tsMorph.map((ms, i) => (ms - fixed.node[i]!) / 1000),
      digits: 2,
    },
  ];
  const tcRows: Row[] = [
    {
      name: "check time: app on the SDK / app on hand-written generics",
      unit: "×",
      samples: sdk.map((s, i) => s.checkS / hand[i]!.checkS),
      target: { max: 1, text: "≤ 1.0×" },
      digits: 3,
    },
    {
      name: "instantiations: SDK / hand-written",
      unit: "×",
      samples: sdk.map((s, i) => s.instantiations / hand[i]!.instantiations),
      target: { max: 1, text: "≤ 1.0×" },
      digits: 3,
    },
    {
      name: "total tsc time: SDK / hand-written",
      unit: "×",
      samples: sdk.map((s, i) => s.totalS / hand[i]!.totalS),
      digits: 3,
    },
    { name: "absolute: check time, app on the SDK", unit: "s", samples: sdk.map((s) => s.checkS), digits: 2 },
    {
      name: "absolute: check time, app on hand-written generics",
      unit: "s",
      samples: hand.map((s) => s.checkS),
      digits: 2,
    },
    {
      name: "absolute: instantiations, app on the SDK",
      unit: "",
      samples: sdk.map((s) => s.instantiations),
      digits: 0,
    },
    {
      name: "absolute: instantiations, app on hand-written generics",
      unit: "",
      samples: hand.map((s) => s.instantiations),
      digits: 0,
    },
  ];
  return [
    {
      title: "Codegen, 1,000-event contract",
      method:
        `A generated contract with ${EVENTS.fire} fire-and-forget and ${EVENTS.request} acknowledged client→server events ` +
        `and ${EVENTS.server} server→client events, each with its own object schema (bench/src/big-contract.ts). ` +
        "The node command that `npm run generate` runs " +
        `(read from the root package.json: \`node ${generateArgs().slice(0, -2).join(" ")}\`, plus \`--config\` naming the fixture) ` +
        "as a fresh process: process start, TypeScript transpilation of the generator and the contract, and their loading included. " +
        "Wall time depends on the machine's load, CPU time (read inside the process at exit; tsx's loader thread included) much less. " +
        "A generate with no outputs on disk, then a no-op regenerate (outputs up to date: the no-op cache lets it skip printing), " +
        `${REPETITIONS} repetitions after one warm-up; then the same pair through \`npm run generate -- --config …\` as typed ` +
        "(npm's own start-up and the dependency check included; wall only). " +
        "Brands: the same contract where every 10th event's payload also has a branded id (one shared schema), " +
        "a branded object and a union with a branded option (`writeBigFixture({ brands: true })`), " +
        "generated fresh beside the contract without them, alternating which goes first, " +
        `${REPETITIONS} pairs after one warm-up each; brands leave no trace at run time, ` +
        "so this is the run that asks the TypeScript compiler.",
      rows: codegenRows,
      notes: [profileNote],
    },
    {
      title: "Type-check cost of a client app on the 1,000-event SDK",
      method:
        `The same app (${USED} calls: fire-and-forget emits, awaited acks, listeners) written twice: ` +
        "on the generated client SDK (its emitted declarations, as the SDK package ships them) and on socket.io-client " +
        "with hand-written `Socket<ServerToClientEvents, ClientToServerEvents>` generics covering the same 1,000 events. " +
        "`tsc -p … --extendedDiagnostics` (TypeScript 5.9, the repository's strict base config), alternating, " +
        `${REPETITIONS} repetitions.`,
      rows: tcRows,
    },
  ];
}

if (isMain(import.meta.url)) {
  for (const s of await run()) printSection(s);
  process.exit(0);
}

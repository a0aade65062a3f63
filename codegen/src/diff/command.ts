/**
 * `iocontract diff`: the current contract against its snapshot at a git ref or in a file. Exit 0 when nothing
 * breaks deployed peers (old clients, old servers), 1 when something does (with `--check-version`: when the version
 * bump is too small), 2 for usage errors.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig, loadContract } from "../load.js";
import { buildModels } from "../generate.js";
import { snapshotPath } from "../outputs.js";
import { type ContractSnapshot, buildSnapshot, parseSnapshot } from "../snapshot.js";
import {
  type Change,
  type DiffResult,
  PAIRINGS,
  PAIRING_LABELS,
  type VerdictKind,
  checkVersion,
  diffSnapshots,
  overall,
} from "./compare.js";

export const DIFF_HELP = `Usage:
  iocontract diff --against <git ref | snapshot file> [--config <file>] [--json] [--check-version]

Compares the contract with its snapshot at a git ref (read with git show) or in a file, and gives each change a
verdict per pairing: old clients with the new server, new clients with the old server, old and new servers side
by side: safe, breaking (with the reason) or cannot prove.

Options:
      --against <ref|file>  The older contract: a git ref (main, v1.2.0, origin/main) or a snapshot file
  -c, --config <file>       The config file (default: iocontract.config.ts in the current folder)
      --json                Print the result as JSON
      --check-version       Also fail when the version bump is too small for the changes (see docs/evolution.md)

Exit: 0 when nothing breaks old clients or old servers, 1 when something does (with --check-version: 1 when the
version bump is too small for the changes), 2 usage error.
`;

/** A mistake in how the command was called: exit 2. */
export class UsageError extends Error {}

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new UsageError(`git ${args.join(" ")}: ${(stderr || error.message).trim().split("\n")[0]}`));
      else resolve(stdout);
    });
  });
}

/** The snapshot the user means: a file when one exists at that path, else the snapshot file at that git ref. */
async function readAgainst(
  against: string,
  snapshotFile: string,
): Promise<{ snapshot: ContractSnapshot; label: string }> {
  const parse = (text: string, from: string): ContractSnapshot => {
    try {
      return parseSnapshot(text, from);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  };
  const asFile = await readFile(path.resolve(against), "utf8").catch(() => undefined);
  if (asFile !== undefined) return { snapshot: parse(asFile, against), label: against };
  const dir = path.dirname(snapshotFile);
  const text = await git(["show", `${against}:./${path.basename(snapshotFile)}`], dir);
  return { snapshot: parse(text, `${against}:${path.basename(snapshotFile)}`), label: against };
}

const HEADINGS: Record<VerdictKind, string> = { breaking: "BREAKING", unknown: "CANNOT PROVE", safe: "SAFE" };

function where(c: Change): string {
  const parts = [c.namespace === "" ? "(contract)" : c.namespace];
  if (c.direction !== undefined) parts.push(c.direction);
  if (c.event !== undefined) parts.push(JSON.stringify(c.event));
  return parts.join(" ");
}

export function formatDiff(result: DiffResult, fromLabel: string, toLabel: string): string {
  const lines = [
    `iocontract diff: ${result.from.contract}@${result.from.version} (${fromLabel}) → ${result.to.contract}@${result.to.version} (${toLabel})`,
  ];
  if (result.changes.length === 0) return `${lines[0]}\nno changes\n`;
  for (const kind of ["breaking", "unknown", "safe"] as const) {
    const group = result.changes.filter((c) => overall(c) === kind);
    if (group.length === 0) continue;
    lines.push("", `${HEADINGS[kind]} (${group.length})`);
    for (const c of group) {
      lines.push(`  ${where(c)}: ${c.summary}`);
      for (const p of PAIRINGS) {
        const v = c.verdicts[p];
        if (v === undefined) continue;
        lines.push(
          `    ${PAIRING_LABELS[p]}: ${v.verdict === "unknown" ? "cannot prove" : v.verdict}${v.reason !== undefined ? ` — ${v.reason}` : ""}`,
        );
      }
    }
  }
  const count = (k: VerdictKind) => result.changes.filter((c) => overall(c) === k).length;
  lines.push("", `${count("breaking")} breaking, ${count("unknown")} cannot prove, ${count("safe")} safe`);
  const serverFirst = result.changes.filter((c) => c.verdicts.newClientsOldServer?.verdict === "breaking").length;
  if (serverFirst > 0)
    lines.push(`deploy the server first: ${serverFirst} change(s) break new clients with the old server`);
  return `${lines.join("\n")}\n`;
}

export async function diffCommand(argv: string[]): Promise<number> {
  let values: { against?: string; config?: string; json?: boolean; "check-version"?: boolean; help?: boolean };
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        against: { type: "string" },
        config: { type: "string", short: "c" },
        json: { type: "boolean", default: false },
        "check-version": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    values = parsed.values;
  } catch (error) {
    return usage((error as Error).message.split("\n")[0]!);
  }
  if (values.help) {
    process.stdout.write(DIFF_HELP);
    return 0;
  }
  if (values.against === undefined) return usage("diff needs --against <git ref | snapshot file>");
  const configFile = path.resolve(values.config ?? "iocontract.config.ts");
  const config = await loadConfig(configFile);
  const rootDir = path.dirname(configFile);
  const file = snapshotPath(rootDir, config);
  if (file === undefined)
    return usage("the config sets snapshot: false; diff reads the snapshot (set a path, or remove the option)");
  const contract = await loadContract(path.resolve(rootDir, config.contract));
  const current = buildSnapshot(contract, buildModels(contract, rootDir, config).model);
  let against: { snapshot: ContractSnapshot; label: string };
  try {
    against = await readAgainst(values.against, file);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }
  const result = diffSnapshots(against.snapshot, current);
  const version = values["check-version"] ? checkVersion(result) : undefined;
  // Deployed peers: old clients meeting the new server, old servers beside new ones. A change that breaks only
  // new clients with the old server says "deploy the server first": reported, not a failure.
  const breaks = result.changes.some(
    (c) =>
      c.verdicts.oldClientsNewServer?.verdict === "breaking" || c.verdicts.serversSideBySide?.verdict === "breaking",
  );
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ ...result, ...(version !== undefined ? { versionCheck: version } : {}) }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(formatDiff(result, against.label, "working tree"));
    if (version !== undefined) process.stdout.write(`${version.ok ? "" : "iocontract: "}${version.message}\n`);
  }
  // With --check-version the version decides: a breaking change under a major bump is intended.
  if (version !== undefined) return version.ok ? 0 : 1;
  return breaks ? 1 : 0;
}

function usage(message: string): number {
  process.stderr.write(`iocontract: ${message} (try: iocontract diff --help)\n`);
  return 2;
}

/**
 * `iocontract generate --watch`: regenerates when the config, the contract or any local file the contract imports
 * changes. Each regeneration runs `iocontract generate` in a child process (the same command line, without
 * `--watch`), so every run loads the contract afresh and a broken contract cannot take the watcher down: the
 * child's one-line error is printed and the watcher waits for the next save. One line per regeneration.
 *
 * Watching uses Node's `fs.watch` on the folders that hold those files (not on the files: editors that save by
 * writing a new file and renaming it would detach a per-file watcher), filtered to the files' names.
 */
import { spawn } from "node:child_process";
import { type FSWatcher, existsSync, readFileSync, statSync, watch } from "node:fs";
import path from "node:path";

/** Relative imports of a TypeScript or JavaScript module: `from "./x"`, `import "./x"`, `import("./x")`. */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;
const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs"];

function resolveLocal(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const stem = base.replace(/\.(c|m)?js$/, "");
  const candidates = [base, ...EXTENSIONS.map((e) => stem + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** `entry` and every local module it reaches through relative imports (packages are not followed). */
function localModules(entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue; // a file that vanished between saves: still watched (by its folder), read again next time
    }
    for (const match of text.matchAll(IMPORT)) {
      const found = resolveLocal(file, match[1]!);
      if (found !== undefined && !found.includes(`${path.sep}node_modules${path.sep}`)) queue.push(found);
    }
  }
  return seen;
}

export interface WatchOptions {
  /** The config file (absolute). */
  readonly configFile: string;
  /** The contract file (absolute); undefined when the config could not be read yet. */
  readonly contractFile: string | undefined;
  /** The command that regenerates once: argv after node (script and arguments). */
  readonly generateArgs: readonly string[];
  /** Quiet period after the last change before regenerating. */
  readonly debounceMs?: number;
  readonly write?: (line: string) => void;
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

/** Runs until SIGINT or SIGTERM; resolves with the exit code (0). */
export function watchAndGenerate(options: WatchOptions): Promise<number> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const debounceMs = options.debounceMs ?? 150;
  const watchers = new Map<string, FSWatcher>();
  let files = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: ReturnType<typeof spawn> | undefined;
  let again = false;
  let stopped = false;
  let finish: (code: number) => void = () => {};

  const track = () => {
    const entries = [options.configFile, ...(options.contractFile === undefined ? [] : [options.contractFile])];
    files = localModules(entries);
    const dirs = new Set([...files].map((f) => path.dirname(f)));
    for (const [dir, watcher] of watchers) {
      if (!dirs.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (watchers.has(dir) || !existsSync(dir)) continue;
      const watcher = watch(dir, (_event, name) => {
        if (name === null || files.has(path.join(dir, name.toString()))) schedule();
      });
      watcher.on("error", () => {}); // a folder removed while watched: tracked again after the next run
      watchers.set(dir, watcher);
    }
  };

  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(regenerate, debounceMs);
  };

  const regenerate = () => {
    if (stopped) return;
    if (running !== undefined) {
      again = true; // a save during a run: one more run after it
      return;
    }
    const started = Date.now();
    const child = spawn(process.execPath, [...process.execArgv, ...options.generateArgs], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    running = child;
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("close", (code) => {
      running = undefined;
      if (stopped) return;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (code === 0) {
        const summary =
          out
            .trimEnd()
            .split("\n")
            .at(-1)
            ?.replace(/^iocontract: /, "") ?? "";
        write(`iocontract: [${clock()}] regenerated: ${summary} (${seconds} s)`);
      } else {
        const line =
          err
            .split("\n")
            .find((l) => l.trim() !== "")
            ?.replace(/^iocontract: /, "") ?? `exit ${code}`;
        write(`iocontract: [${clock()}] ${line} (waiting for the next change)`);
      }
      track();
      if (again) {
        again = false;
        schedule();
      }
    });
  };

  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    for (const watcher of watchers.values()) watcher.close();
    running?.kill("SIGTERM");
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    write("iocontract: watch stopped");
    finish(0);
  };

  return new Promise<number>((resolve) => {
    finish = resolve;
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    track();
    write(`iocontract: watching ${files.size} file${files.size === 1 ? "" : "s"} (Ctrl-C to stop)`);
    regenerate();
  });
}

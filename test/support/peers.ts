/**
 * The real peers some suites need: Debian's Chromium, python-socketio (on Debian's /usr/bin/python3) and
 * redis-server. `.ci/run` installs them with apt-get.
 *
 * In CI (`CI=true`) a missing peer fails the suite that needs it: the check throws while the test file loads.
 * Locally it skips that suite and prints one loud line saying what to install.
 *
 *   const chromium = peer("chromium");
 *   describe.skipIf(!chromium.available)("chat in Chromium", () => { ... chromium.path ... });
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Chromium's command-line flags for the suites (docs/TOOLCHAIN): headless, no sandbox, and without the networking
 * flags it keeps trying to reach a closed network.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export type PeerName = "chromium" | "python-socketio" | "redis-server";

export interface Peer {
  readonly name: PeerName;
  readonly available: boolean;
  /** The executable to run: Chromium's binary, the Python that sees python-socketio, redis-server. */
  readonly path: string;
}

interface PeerProbe {
  readonly path: string;
  /** Undefined when the peer works, else why not. */
  probe(path: string): string | undefined;
  readonly install: string;
}

function runs(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 20_000 });
  if (result.error) return result.error.message;
  if (result.status !== 0) return (result.stderr || result.stdout).trim().split("\n").pop() ?? `exit ${result.status}`;
  return undefined;
}

const PROBES: Record<PeerName, PeerProbe> = {
  chromium: {
    path: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    probe: (path) => (existsSync(path) ? undefined : `${path} not found`),
    install: "apt-get install -y --no-install-recommends chromium",
  },
  "python-socketio": {
    // Debian's python3 sees Debian's python3-* packages; a pyenv python3 first on PATH does not.
    path: process.env["PYTHON_SOCKETIO"] ?? "/usr/bin/python3",
    probe: (path) => runs(path, ["-c", "import socketio, engineio, websocket, requests, aiohttp, jsonschema"]),
    install:
      "apt-get install -y --no-install-recommends python3-socketio python3-engineio python3-websocket python3-requests python3-aiohttp python3-jsonschema",
  },
  "redis-server": {
    path: process.env["REDIS_SERVER"] ?? "redis-server",
    probe: (path) => runs(path, ["--version"]),
    install: "apt-get install -y --no-install-recommends redis-server",
  },
};

const cache = new Map<PeerName, Peer>();

export function peer(name: PeerName): Peer {
  const known = cache.get(name);
  if (known !== undefined) return known;
  const { path, probe, install } = PROBES[name];
  const why = probe(path);
  if (why !== undefined) {
    const line = `${name} is not available (${why}): install it with \`${install}\` (as root), or run .ci/run`;
    if (process.env["CI"] === "true") throw new Error(`CI needs ${line}`);
    console.warn(`\n!!! SKIPPING the suites that need ${line}\n`);
  }
  const result: Peer = { name, available: why === undefined, path };
  cache.set(name, result);
  return result;
}

/**
 * A local npm registry for the adoption test: verdaccio (a dev dependency, pinned) in a child process on
 * 127.0.0.1 and an ephemeral port, with its config, storage and users in a temporary folder. Packages this
 * repository publishes (`iocontract`, `@iocontract/*`) live only there; every other name is proxied to the
 * registry npm is configured with on this machine (`npm config get registry`, read at run time).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface LocalRegistry {
  readonly url: string;
  /** An npmrc (`--userconfig`) that points npm at this registry, with a publish token. */
  readonly npmrc: string;
  stop(): Promise<void>;
}

/** Asked from `cwd` outside any workspace: inside one, npm refuses `config get` (ENOWORKSPACES). */
function npmConfig(cwd: string, key: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("npm", ["config", "get", key], { cwd, timeout: 30_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout.trim()),
    );
  });
}

/** Starts verdaccio under `dir` (created); resolves once it listens and a publishing user exists. */
export async function startRegistry(dir: string, timeoutMs = 30_000): Promise<LocalRegistry> {
  // Only to fail early and clearly when the dev dependency is missing.
  createRequire(import.meta.url).resolve("verdaccio");
  await mkdir(path.join(dir, "storage"), { recursive: true });
  const uplink = await npmConfig(dir, "registry");
  // The CA npm trusts for that registry (its `cafile`), for verdaccio's own fetches: a machine whose registry sits
  // behind a TLS proxy names its CA there, and turbo runs tasks with a filtered environment (no NODE_EXTRA_CA_CERTS),
  // so without it every fetch upstream fails and npm sees 404 for every public package.
  const cafile = await npmConfig(dir, "cafile");
  const env =
    cafile === "" || cafile === "null" || cafile === "undefined"
      ? process.env
      : { ...process.env, NODE_EXTRA_CA_CERTS: cafile };
  const config = path.join(dir, "config.yaml");
  // JSON is YAML: no quoting questions for the paths.
  await writeFile(
    config,
    JSON.stringify({
      storage: path.join(dir, "storage"),
      auth: { htpasswd: { file: path.join(dir, "htpasswd") } },
      // A slow or failed fetch must not take the uplink "offline" for the rest of the run (verdaccio's default: 2 fails,
      // then 5 minutes of 404s for every package not stored here): retry it at once instead.
      uplinks: { upstream: { url: uplink, timeout: "120s", max_fails: 1000, fail_timeout: "1s" } },
      packages: {
        iocontract: { access: "$all", publish: "$authenticated" },
        "@iocontract/*": { access: "$all", publish: "$authenticated" },
        // Anything else: read through from upstream; a package the test makes (a contract package) is published here.
        "**": { access: "$all", publish: "$authenticated", proxy: "upstream" },
      },
      log: { type: "stdout", format: "pretty", level: "error" },
    }),
  );
  const child: ChildProcess = spawn(process.execPath, [path.join(HERE, "verdaccio-main.cjs"), config], {
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`verdaccio did not start within ${timeoutMs} ms: ${output}`)),
      timeoutMs,
    );
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /\{"port":(\d+)\}/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`verdaccio exited (${code}): ${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}/`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill("SIGTERM");
    });
  try {
    const created = await fetch(`${url}-/user/org.couchdb.user:adoption`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "adoption", password: "adoption-test-only" }),
    });
    const { token } = (await created.json()) as { token?: string };
    if (!created.ok || token === undefined) throw new Error(`verdaccio refused to create a user (${created.status})`);
    const npmrc = path.join(dir, "npmrc");
    const host = url.replace(/^http:/, "");
    await writeFile(
      npmrc,
      `registry=${url}\n${host}:_authToken=${token}\naudit=false\nfund=false\nupdate-notifier=false\n`,
    );
    return { url, npmrc, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A throwaway redis-server for one test file: a child process on a free loopback port, no persistence, stopped by
 * its pid in afterAll. Never the machine's own Redis.
 */
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";

export interface RunningRedis {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function waitForReady(child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`redis-server not ready within ${ms} ms:\n${output}`)), ms);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) done();
    };
    const onExit = (code: number | null) => fail(new Error(`redis-server exited (${code}):\n${output}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
    };
    const done = () => {
      cleanup();
      resolve();
    };
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}

export async function startRedis(executable: string): Promise<RunningRedis> {
  // A port can be taken between the probe and redis-server's bind: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      executable,
      ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--loglevel", "notice"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      await waitForReady(child, 10_000);
    } catch (error) {
      child.kill("SIGKILL");
      if (attempt < 3) continue;
      throw error;
    }
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    // If the test process ends without afterAll (a crash), this Redis ends with it.
    const orphanGuard = () => child.kill("SIGKILL");
    process.once("exit", orphanGuard);
    void exited.then(() => process.off("exit", orphanGuard));
    return {
      port,
      url: `redis://127.0.0.1:${port}`,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
          await exited;
          clearTimeout(timer);
        }
      },
    };
  }
}

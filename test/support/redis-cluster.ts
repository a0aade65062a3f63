/**
 * Server nodes as child processes (test/support/redis-chat-node.ts), each on its own port, all on one Redis; and the
 * test-side failover a client needs when its node dies.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Socket } from "socket.io-client";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../..");

export interface NodeError {
  readonly message: string;
  readonly code: unknown;
  readonly info: { namespace: string; event: string; sid: string | undefined };
}

export class ChatNode {
  readonly errors: NodeError[] = [];
  private seq = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  output = "";

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on(
      "message",
      (m: {
        id?: number;
        ok?: boolean;
        value?: unknown;
        error?: { message: string; code?: unknown };
        type?: string;
      }) => {
        if (m.type === "error") this.errors.push(m as unknown as NodeError);
        if (m.id === undefined) return;
        const waiter = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.ok) waiter?.resolve(m.value);
        else waiter?.reject(Object.assign(new Error(m.error?.message), { code: m.error?.code }));
      },
    );
    child.once("exit", () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`node ${name} exited`));
      this.pending.clear();
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static start(name: string, env: { REDIS_URL: string; REDIS_ADAPTER: "pubsub" | "streams" }): Promise<ChatNode> {
    const child = spawn(
      process.execPath,
      ["--conditions=iocontract-source", "--import", "tsx", path.join(HERE, "redis-chat-node.ts")],
      {
        cwd: REPO,
        env: { ...process.env, ...env, NODE_NAME: name },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      },
    );
    let output = "";
    child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`node ${name} did not start within 30 s:\n${output}`));
      }, 30_000);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`node ${name} exited (${code}) before it was ready:\n${output}`));
      });
      child.on("message", function onReady(m: { type?: string; port?: number }) {
        if (m.type !== "ready") return;
        clearTimeout(timer);
        child.off("message", onReady);
        const node = new ChatNode(name, child, m.port!);
        node.output = output;
        resolve(node);
      });
    });
  }

  call<T = unknown>(op: string, ...args: unknown[]): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, args });
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: no goodbye to Redis, its clients or the other nodes. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGKILL");
    await exited;
  }

  /** SIGTERM: closes the server and its Redis connections. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
}

export async function startNodes(
  count: number,
  env: { REDIS_URL: string; REDIS_ADAPTER: "pubsub" | "streams" },
): Promise<ChatNode[]> {
  // One after the other: the machine has few cores, and parallel tsx start-ups only slow each other down.
  const nodes: ChatNode[] = [];
  try {
    for (let i = 0; i < count; i++) nodes.push(await ChatNode.start(String.fromCharCode(65 + i), env));
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop())); // the ones that did start
    throw error;
  }
  return nodes;
}

/**
 * Client-side failover, the test's own (a production cluster puts a load balancer in front): before each
 * reconnection attempt, the client's Manager is pointed at the next URL of the list. Socket.IO's Manager opens
 * every new connection from its `uri`, so the next attempt goes to the next node.
 */
export function failover(socket: Socket, urls: readonly string[]): { readonly current: () => string } {
  const manager = socket.io as unknown as {
    uri: string;
    on(event: "reconnect_attempt", listener: () => void): unknown;
  };
  let index = Math.max(0, urls.indexOf(manager.uri.replace(/\/$/, "")));
  manager.on("reconnect_attempt", () => {
    index = (index + 1) % urls.length;
    manager.uri = urls[index]!;
  });
  return { current: () => manager.uri };
}

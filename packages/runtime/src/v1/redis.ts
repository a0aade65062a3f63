/**
 * Scale-out on Redis: the official socket.io adapters and the Redis emitter, set up from a URL (or from a
 * node-redis client you already have). A separate entry point on purpose: the server runtime never imports Redis;
 * the packages below are optional peer dependencies, loaded only when one of these functions is called.
 *
 *   kind "pubsub"  → @socket.io/redis-adapter (Redis Pub/Sub). Works with {@link createRedisEmitter}.
 *   kind "streams" → @socket.io/redis-streams-adapter (one Redis stream). Also restores connection state across
 *                    nodes (socket.io's connectionStateRecovery); the Redis emitter cannot publish to it.
 *
 *   const redis = await createRedisAdapter({ kind: "streams", url: process.env.REDIS_URL });
 *   const server = createChatServer({ handlers, adapter: redis.adapter });
 *   ...
 *   await server.close(); await redis.close();
 */
import type { ServerOptions as IoServerOptions } from "socket.io";

export type RedisAdapterKind = "pubsub" | "streams";

/** The default {@link RedisAdapterOptions.streamMaxLen}. */
export const DEFAULT_STREAM_MAX_LEN = 10_000;

/** The part of a node-redis client (v4 to v6) these helpers use. */
export interface RedisClientLike {
  connect(): Promise<unknown>;
  duplicate(): RedisClientLike;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "ready", listener: () => void): unknown;
  close?(): Promise<void>;
  quit?(): Promise<unknown>;
  readonly isOpen?: boolean;
}

export interface RedisConnectionOptions {
  /** `redis://127.0.0.1:6379`. Used when no `client` is given. */
  readonly url?: string;
  /** A node-redis client (connected or not). The helper does not close a client it did not create. */
  readonly client?: RedisClientLike;
  /** Errors of the Redis connections it creates (node-redis emits them while reconnecting). Default: console.error. */
  readonly onError?: (error: Error) => void;
}

export interface RedisAdapterOptions extends RedisConnectionOptions {
  /** Default "pubsub". */
  readonly kind?: RedisAdapterKind;
  /**
   * The channel prefix ("pubsub"), or the stream name and channel prefix ("streams"); default "socket.io".
   * Every node of one cluster, and the emitter, must use the same; two clusters on one Redis, different ones.
   */
  readonly key?: string;
  /** How long a cross-node request (fetchSockets, rooms(sid), broadcast acks) waits for other nodes. Default 5000. */
  readonly requestsTimeout?: number;
  /**
   * "streams" only: the stream is trimmed to about this many entries (`XADD ... MAXLEN ~ n`), oldest first, so
   * that Redis's memory for connection-state recovery is bounded whatever the server emits. Default 10 000.
   */
  readonly streamMaxLen?: number;
  /** Passed to the adapter's createAdapter() as they are (readCount, heartbeatInterval...); they win. */
  readonly adapterOptions?: Readonly<Record<string, unknown>>;
}

export interface RedisAdapter {
  readonly kind: RedisAdapterKind;
  /** Pass it to the server: `create<Name>Server({ adapter })`. */
  readonly adapter: NonNullable<IoServerOptions["adapter"]>;
  /** Closes the Redis connections this helper opened. Call it after the server's close(). */
  close(): Promise<void>;
}

export interface RedisEmitterOptions extends RedisConnectionOptions {
  /** The pub/sub adapter's `key` (default "socket.io"). */
  readonly key?: string;
}

export interface RedisEmitter {
  /** The `@socket.io/redis-emitter` Emitter: hand it to the generated `create<Name>Emitter()`. */
  readonly emitter: import("./emitter").SocketIoEmitterLike;
  close(): Promise<void>;
}

/** Creates the adapter of `kind` on Redis; resolves once its connections are up. */
export async function createRedisAdapter(options: RedisAdapterOptions): Promise<RedisAdapter> {
  const kind = options.kind ?? "pubsub";
  if (kind !== "pubsub" && kind !== "streams")
    throw new Error(`iocontract: unknown Redis adapter kind ${JSON.stringify(kind)} (expected "pubsub" or "streams")`);
  const connections = new Connections(options);
  try {
    const pub = await connections.main();
    const settings: Record<string, unknown> = {
      // The streams adapter also uses pub/sub channels (prefix "socket.io", as the pub/sub adapter): one key sets both.
      ...(options.key === undefined
        ? {}
        : kind === "pubsub"
          ? { key: options.key }
          : { streamName: options.key, channelPrefix: options.key }),
      ...(options.requestsTimeout === undefined ? {} : { requestsTimeout: options.requestsTimeout }),
      // Explicit, not left to the adapter's own default: the bound is part of this helper's contract.
      ...(kind === "streams" ? { maxLen: options.streamMaxLen ?? DEFAULT_STREAM_MAX_LEN } : {}),
      ...options.adapterOptions,
    };
    let adapter: RedisAdapter["adapter"];
    if (kind === "pubsub") {
      const { createAdapter } = await load(
        "@socket.io/redis-adapter",
        "the pub/sub adapter",
        () => import("@socket.io/redis-adapter"),
      );
      const sub = await connections.open(pub.duplicate());
      adapter = createAdapter(pub, sub, settings) as RedisAdapter["adapter"];
    } else {
      const { createAdapter } = await load(
        "@socket.io/redis-streams-adapter",
        "the streams adapter",
        () => import("@socket.io/redis-streams-adapter"),
      );
      // It opens its own duplicates for the blocking XREAD and for pub/sub; they close when the server does.
      adapter = createAdapter(markPublishesHandled(pub), settings) as RedisAdapter["adapter"];
    }
    return { kind, adapter, close: () => connections.close() };
  } catch (error) {
    await connections.close();
    throw error;
  }
}

/** A `@socket.io/redis-emitter` Emitter on Redis, for processes that run no socket server. */
export async function createRedisEmitter(options: RedisEmitterOptions): Promise<RedisEmitter> {
  const connections = new Connections(options);
  try {
    const client = await connections.main();
    const { Emitter } = await load("@socket.io/redis-emitter", "the emitter", () => import("@socket.io/redis-emitter"));
    const emitter = new Emitter(client, options.key === undefined ? {} : { key: options.key });
    return { emitter: emitter as unknown as RedisEmitter["emitter"], close: () => connections.close() };
  } catch (error) {
    await connections.close();
    throw error;
  }
}

/**
 * @socket.io/redis-streams-adapter 0.3.1 drops the promise of its pub/sub PUBLISH (inter-server events, socket
 * lists): once the client is closed (a disconnect handler that runs after shutdown), that promise rejects with
 * nobody listening and Node ends the process. Marking every publish as handled keeps the rejection for whoever
 * awaits it and stops the crash.
 */
function markPublishesHandled(client: RedisClientLike): RedisClientLike {
  const target = client as unknown as Record<string, unknown>;
  for (const name of ["publish", "sPublish", "PUBLISH", "SPUBLISH"]) {
    const original = target[name];
    if (typeof original !== "function") continue;
    target[name] = function (this: unknown, ...args: unknown[]) {
      const result: unknown = (original as (...a: unknown[]) => unknown).apply(this, args);
      if (result instanceof Promise) result.catch(() => {});
      return result;
    };
  }
  return client;
}

/** The clients a helper opened, closed together. */
class Connections {
  private readonly owned: RedisClientLike[] = [];
  constructor(private readonly options: RedisConnectionOptions) {}

  async main(): Promise<RedisClientLike> {
    if (this.options.client !== undefined) {
      if (this.options.client.isOpen === false) await this.options.client.connect();
      return this.options.client;
    }
    if (this.options.url === undefined)
      throw new Error("iocontract: Redis: give a `url` (redis://host:port) or a node-redis `client`");
    const { createClient } = await load("redis", "a Redis connection from a URL", () => import("redis"));
    // node-redis retries a refused first connection forever: fail fast instead (a wrong URL, Redis not started),
    // and once connected, reconnect with a capped back-off.
    let connected = false;
    const client = createClient({
      url: this.options.url,
      socket: {
        reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(50 * 2 ** retries, 2000) : cause),
      },
    }) as unknown as RedisClientLike;
    client.on("ready", () => {
      connected = true;
    });
    return this.open(client);
  }

  async open(client: RedisClientLike): Promise<RedisClientLike> {
    const onError = this.options.onError ?? ((error: Error) => console.error(`iocontract: Redis: ${error.message}`));
    // node-redis emits "error" while it reconnects; an EventEmitter without a listener would throw.
    client.on("error", onError);
    this.owned.push(client);
    await client.connect();
    return client;
  }

  async close(): Promise<void> {
    const owned = this.owned.splice(0).reverse();
    await Promise.all(
      owned.map(async (client) => {
        if (client.isOpen === false) return;
        try {
          if (client.close !== undefined) await client.close();
          else await client.quit?.();
        } catch {
          // already closed, or the server is gone: nothing left to release
        }
      }),
    );
  }
}

/** Imports an optional peer dependency (a literal import, so bundlers see it), naming it when it is missing. */
async function load<T>(name: string, what: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" ||
      (error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND"
    ) {
      throw new Error(`iocontract: ${what} needs the package ${name}: npm install ${name}`, { cause: error });
    }
    throw error;
  }
}

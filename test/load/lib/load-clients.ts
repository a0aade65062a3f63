/**
 * A process of load clients (`node --conditions=iocontract-source --import tsx`, config as JSON in
 * LOAD_CLIENTS_CONFIG): the chat fixture's generated client SDK, one connection per client (`c<i>`, auth name).
 * Connects them all, says `connected`, waits for `go`, then every client sends its messages one after the other,
 * each acked (`my message` `{ data: "c<i>:s<seq>" }`), timing each ack; meanwhile each counts the `my reply`
 * broadcasts of its room. Once its own messages are done it waits (at most `drainMs`) for the broadcasts still
 * in flight, then reports `done` with everything counted.
 */
import { createChatClient, type ChatClient } from "../../fixtures/chat/expected/client/client.gen";
import type { ClientsConfig, ClientsMessage, ClientsRequest, ClientsResult } from "./protocol";

const config = JSON.parse(process.env.LOAD_CLIENTS_CONFIG ?? "") as ClientsConfig;
process.on("disconnect", () => process.exit(0));

function send(message: ClientsMessage): void {
  process.send?.(message);
}

const roomOf = (i: number) => Math.floor(i / config.roomSize);
const roomSizeOf = (room: number) => Math.min(config.roomSize, config.total - room * config.roomSize);

interface LoadClient {
  readonly index: number;
  readonly client: ChatClient;
  readonly received: Set<string>;
  duplicates: number;
  expected: number;
}

const clients: LoadClient[] = [];
const connectFailures: string[] = [];
const CONNECT_BATCH = 50;
for (let start = config.first; start < config.first + config.count; start += CONNECT_BATCH) {
  const batch: LoadClient[] = [];
  for (let i = start; i < Math.min(start + CONNECT_BATCH, config.first + config.count); i++) {
    const client = createChatClient(config.url, {
      auth: { name: `c${i}` },
      socket: { transports: ["websocket"], forceNew: true },
    });
    const lc: LoadClient = {
      index: i,
      client,
      received: new Set(),
      duplicates: 0,
      expected: (roomSizeOf(roomOf(i)) - 1) * config.messages,
    };
    client.on.myReply((reply) => {
      if (lc.received.has(reply.data)) lc.duplicates++;
      else lc.received.add(reply.data);
    });
    batch.push(lc);
  }
  await Promise.all(
    batch.map(async (lc) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          lc.client.ready(),
          new Promise(
            (_, reject) => (timer = setTimeout(() => reject(new Error("no connection within 30 s")), 30_000)),
          ),
        ]);
        clients.push(lc);
      } catch (error) {
        connectFailures.push(`c${lc.index}: ${String(error)}`);
        lc.client.disconnect();
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}
send({ type: "connected", connected: clients.length, failures: connectFailures });
await new Promise<void>((resolve) => process.once("message", (m: ClientsRequest) => m.type === "go" && resolve()));

const latencies = new Float64Array(clients.length * config.messages);
let acked = 0;
let sent = 0;
const ackedKeys: string[] = [];
const failuresByCode: Record<string, number> = {};
const started = performance.now();
await Promise.all(
  clients.map(async (lc) => {
    for (let seq = 0; seq < config.messages; seq++) {
      const data = `c${lc.index}:s${seq}`;
      const t0 = performance.now();
      sent++;
      try {
        await lc.client.emit.myMessage({ data }, { timeoutMs: config.ackTimeoutMs });
        latencies[acked++] = performance.now() - t0;
        ackedKeys.push(data);
      } catch (error) {
        const code = (error as { code?: string }).code ?? "THROWN";
        failuresByCode[code] = (failuresByCode[code] ?? 0) + 1;
      }
    }
  }),
);
const sendMs = performance.now() - started;

// The rest of the room may still be sending (other processes): wait for the broadcasts, bounded.
const drainUntil = Date.now() + config.drainMs;
const complete = () => clients.every((lc) => lc.received.size >= lc.expected);
while (!complete() && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));

const result: ClientsResult = {
  connected: clients.length,
  connectFailures,
  sent,
  acked,
  ackedKeys,
  failuresByCode,
  latencies: latencies.slice(0, acked),
  sendMs,
  broadcastsExpected: clients.reduce((n, lc) => n + lc.expected, 0),
  broadcastsReceived: clients.reduce((n, lc) => n + lc.received.size, 0),
  broadcastDuplicates: clients.reduce((n, lc) => n + lc.duplicates, 0),
  timedOut: !complete(),
};
send({ type: "done", result });
for (const lc of clients) lc.client.disconnect();

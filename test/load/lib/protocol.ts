/** IPC between the load run and its server and client processes. */

export type LoadServerRequest = { type: "stats"; id: number } | { type: "stop" };
export type LoadServerMessage =
  | { type: "ready"; port: number }
  | {
      type: "stats";
      id: number;
      /** Handler runs per message key `c<client>:s<seq>`. */
      runs: Map<string, number>;
      handlerRuns: number;
      rss: number;
      heapUsed: number;
      connections: number;
      problems: string[];
    };

export interface ClientsConfig {
  readonly url: string;
  /** Index of this process's first client, and how many it runs. */
  readonly first: number;
  readonly count: number;
  /** Clients in the whole run (to know each room's size). */
  readonly total: number;
  readonly messages: number;
  readonly roomSize: number;
  /** How long to wait for the broadcasts still in flight once this process has sent everything. */
  readonly drainMs: number;
  /** The ack timeout of each message (generous: slowness is not loss). */
  readonly ackTimeoutMs: number;
}

export interface ClientsResult {
  readonly connected: number;
  readonly connectFailures: string[];
  readonly sent: number;
  readonly acked: number;
  /** Keys whose ack came back `ok`. */
  readonly ackedKeys: string[];
  readonly failuresByCode: Record<string, number>;
  /** Ack latencies in ms, one per acked message. */
  readonly latencies: Float64Array;
  readonly sendMs: number;
  readonly broadcastsExpected: number;
  /** Distinct (receiver, key) pairs received. */
  readonly broadcastsReceived: number;
  /** The same pair received more than once. */
  readonly broadcastDuplicates: number;
  /** Whether the process stopped at its deadline instead of finishing. */
  readonly timedOut: boolean;
}

export type ClientsRequest = { type: "go" };
export type ClientsMessage =
  | { type: "connected"; connected: number; failures: string[] }
  | { type: "done"; result: ClientsResult };

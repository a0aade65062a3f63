/** What the fuzz server child and its parent say to each other (IPC), and the event handlers report calls with. */

/** Raw Socket.IO event a recording handler sends its caller: `{ event, digest }` of what it received. */
export const CALL_EVENT = "fuzz:call";

export type ChildMessage =
  | { type: "ready"; ports: Record<string, number> }
  | { type: "problem"; kind: string; message: string }
  | {
      type: "heap";
      id: number;
      heapUsed: number;
      rss: number;
      connections: number;
      cpuMs: number;
      maxLagMs: number;
      pollutionKeyPayloads: number;
    };
export type ParentMessage = { type: "heap"; id: number; dropRecoveryState?: boolean } | { type: "stop" };

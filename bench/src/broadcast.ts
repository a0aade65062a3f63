/**
 * Broadcast to 100 clients, paired: the server process of messages-server.ts broadcasts `tick` on `/raw`
 * (`io.of("/raw").emit`), `/raw2` (A/A control) or `/` (the runtime's `server.emit.tick(payload)`: validated once
 * per broadcast), switching mode every window of B broadcasts. Each of the 100 client connections has a socket on
 * every namespace, and counts what arrives with the same plain listener, so only the server's path differs.
 * Server CPU per broadcast = process.cpuUsage() in the server from the first broadcast until every client has
 * received every broadcast of the window.
 */
import { Manager, type Socket } from "socket.io-client";
import {
  type Row,
  type Section,
  QUICK,
  connected,
  forkTs,
  ipcCall,
  isMain,
  median,
  printSection,
  rotate,
  stopServer,
  withTimeout,
} from "./lib";

const CLIENTS = 100;
const REPETITIONS = QUICK ? 2 : 7;
const ROUNDS = QUICK ? 1 : 4;
const WINDOW = QUICK ? 50 : 200;

type Mode = "raw" | "raw2" | "ioc";
const NAMESPACE: Record<Mode, string> = { raw: "/raw", raw2: "/raw2", ioc: "/" };

export async function run(): Promise<Section[]> {
  const server = forkTs(new URL("./messages-server.ts", import.meta.url));
  const managers: Manager[] = [];
  try {
    const { port, socketioOptions } = await ipcCall<{ port: number; socketioOptions: string }>(server, {
      cmd: "ports",
    });
    let received = 0;
    let expected = Number.POSITIVE_INFINITY;
    let allIn: (() => void) | undefined;
    const onTick = () => {
      if (++received === expected) allIn?.();
    };
    const sockets: Socket[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const manager = new Manager(`http://127.0.0.1:${port}`, { transports: ["websocket"], reconnection: false });
      managers.push(manager);
      for (const path of Object.values(NAMESPACE)) {
        const socket = manager.socket(path);
        socket.on("tick", onTick);
        sockets.push(socket);
      }
    }
    await withTimeout(Promise.all(sockets.map(connected)), 120_000, "connecting 100 clients");

    const window = async (mode: Mode): Promise<number> => {
      received = 0;
      expected = WINDOW * CLIENTS;
      const arrived = new Promise<void>((resolve) => (allIn = resolve));
      await ipcCall(server, { cmd: "arm" });
      await ipcCall(server, { cmd: "burst", mode, n: WINDOW });
      await withTimeout(arrived, 120_000, `${mode} broadcast window`);
      const r = await ipcCall<{ cpuUs: number }>(server, { cmd: "cpu" });
      return r.cpuUs / WINDOW;
    };
    const modes = ["raw", "raw2", "ioc"] as const;
    for (const mode of modes) await window(mode); // warm-up
    const reps: Array<Record<Mode, number[]>> = [];
    for (let rep = 0; rep < REPETITIONS; rep++) {
      const r: Record<Mode, number[]> = { raw: [], raw2: [], ioc: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const mode of rotate(modes, round + rep)) r[mode].push(await window(mode));
      }
      reps.push(r);
      process.stderr.write(`broadcast: repetition ${rep + 1}/${REPETITIONS} done\n`);
    }
    await ipcCall(server, { cmd: "stop" });
    // Per repetition: the median over its rounds of the paired ratio (same round, adjacent windows).
    const ratio = (a: Mode, b: Mode) => reps.map((r) => median(r[a].map((v, round) => v / r[b][round]!)));
    const rows: Row[] = [
      {
        name: "broadcast to 100: iocontract `server.emit` / raw `io.emit` (server CPU per broadcast)",
        unit: "×",
        samples: ratio("ioc", "raw"),
        target: { max: 1.03, text: "≤ 1.03×" },
        digits: 3,
      },
      {
        name: "broadcast to 100: A/A control, raw / raw",
        unit: "×",
        samples: ratio("raw2", "raw"),
        target: { min: 0.97, max: 1.03, text: "≈ 1.00 (method bias)" },
        digits: 3,
      },
      {
        name: "absolute: raw `io.emit` to 100, server CPU per broadcast",
        unit: "µs",
        samples: reps.map((r) => median(r.raw)),
        digits: 0,
      },
      {
        name: "absolute: iocontract `server.emit` to 100, server CPU per broadcast",
        unit: "µs",
        samples: reps.map((r) => median(r.ioc)),
        digits: 0,
      },
    ];
    return [
      {
        title: "Broadcast to 100 clients (paired)",
        method:
          `${CLIENTS} websocket connections, each with a socket on \`/raw\`, \`/raw2\` and \`/\` of one server ` +
          `process; windows of ${WINDOW} broadcasts of the same payload, the mode switching every window in ` +
          `rotated order, ${ROUNDS} rounds per repetition (a repetition's ratio: the median over its rounds of ` +
          `the paired ratio), ${REPETITIONS} repetitions. The runtime validates the payload once per broadcast ` +
          `(\`server.emit.tick(payload)\` → one check, one \`nsp.emit\`). socket.io options (the runtime's ` +
          `defaults, shared by the raw namespaces): ` +
          `${socketioOptions === "" ? "none (socket.io's defaults)" : socketioOptions}. With connection-state ` +
          `recovery on, socket.io appends an offset to each broadcast packet and keeps it for replay, in both ` +
          `modes alike.`,
        rows,
      },
    ];
  } finally {
    await stopServer(server, managers);
  }
}

if (isMain(import.meta.url)) {
  for (const s of await run()) printSection(s);
  process.exit(0);
}

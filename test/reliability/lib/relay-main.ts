/**
 * The relay server as a process of its own, for the restart test: listens on 127.0.0.1:$PORT (retrying while
 * the previous process still holds the port), prints one JSON line per event of note, and on SIGTERM shuts
 * down gracefully (server.close()) before exiting.
 */
import { createRelay } from "./relay";
import { sleep } from "../../support/events";

const port = Number(process.env["PORT"]);
const name = process.env["NAME"] ?? "relay";
const say = (line: object) => process.stdout.write(`${JSON.stringify({ name, ...line })}\n`);

const relay = createRelay({
  appendDelayMs: Number(process.env["APPEND_DELAY_MS"] ?? 20),
  onAppend: (key) => say({ handled: key }),
});
for (let attempt = 0; ; attempt++) {
  try {
    await relay.server.listen(port, "127.0.0.1");
    break;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt >= 200) throw error;
    await sleep(50);
  }
}
say({ listening: port });
process.once("SIGTERM", () => {
  say({ closing: relay.running() });
  void relay.server.close({ deadlineMs: 5000 }).then(() => {
    say({ closed: relay.running(), errors: relay.errors.length });
    process.exit(0);
  });
});

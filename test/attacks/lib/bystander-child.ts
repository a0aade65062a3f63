/**
 * A bystander in its own process (so that its latencies measure the server, not the attackers' own event loop):
 * asks `my rooms` every 100 ms on the server at argv[2]; on the message "stop" it sends its stats and exits.
 */
import { bystander } from "./attacks";

const watcher = bystander(process.argv[2]!);
process.on("message", (message: string) => {
  if (message !== "stop") return;
  void watcher.stop().then((stats) => {
    process.send?.(stats);
    process.exit(0);
  });
});
process.on("disconnect", () => process.exit(0));
process.send?.("ready");

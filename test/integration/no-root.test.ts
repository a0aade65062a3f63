/** A contract without a "/" namespace (golden case "no-root"): everything goes through `server.namespaces`. */
import { expect, it } from "vitest";
import { createMetricsServer } from "../fixtures/no-root/expected/server/server.gen";
import { createMetricsMetricsClient } from "../fixtures/no-root/expected/client/client.gen";
import { next } from "../support/events";

it("serves its only namespace, and the server object has no root API of its own", async () => {
  const reports: unknown[] = [];
  const server = createMetricsServer({ handlers: { "/metrics": { report: (r) => void reports.push(r) } } });
  const { port } = await server.listen(0);
  const client = createMetricsMetricsClient(`http://127.0.0.1:${port}`, { socket: { transports: ["websocket"] } });
  try {
    await client.ready();
    const alert = next(client.on.alert);
    server.namespaces["/metrics"].emit.alert({ name: "cpu", level: "warn" });
    expect(await alert).toEqual({ name: "cpu", level: "warn" });
    client.emit.report({ name: "cpu", value: 0.93 });
    await expect.poll(() => reports).toEqual([{ name: "cpu", value: 0.93 }]);
    expect("emit" in server).toBe(false);
    expect(server.io.of("/").sockets.size).toBe(0); // the client joined /metrics only
  } finally {
    client.disconnect();
    await server.close();
  }
});

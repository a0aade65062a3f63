/** Wire names with spaces, colons, dashes, dots, capitals, non-ASCII letters and slashes, end to end. */
import { io as rawIo } from "socket.io-client";
import { expect, it } from "vitest";
import { createAwkwardNamesServer } from "../fixtures/awkward-names/expected/server/server.gen";
import {
  createAwkwardNamesClient,
  createAwkwardNamesMyTeamV2Client,
} from "../fixtures/awkward-names/expected/client/client.gen";
import { next } from "../support/events";

it("every odd name reaches its handler, under its wire name, in two namespaces", async () => {
  const calls: Array<[string, unknown]> = [];
  const record = (name: string) => (payload: unknown) => void calls.push([name, payload]);
  const server = createAwkwardNamesServer({
    handlers: {
      "/": {
        todoCreate: (todo) => ({ id: `id-${todo.title}` }),
        todoUpdateItem: record("todo:update-item"),
        userJoined: () => void calls.push(["user joined!", null]),
        paddedName: () => void calls.push(["  padded  name ", null]),
        httpStatus: record("HTTP_STATUS"),
        aBC: () => void calls.push(["a.b.c", null]),
        überEvent: record("überEvent"),
        twoFactor: record("2fa"),
      },
      "/my-team/v2": { todoCreate: (todo, ctx) => ctx.emit.todoCreated({ id: `team-${todo.title}` }) },
    },
  });
  const { port } = await server.listen(0);
  const url = `http://127.0.0.1:${port}`;
  const client = createAwkwardNamesClient(url, { socket: { transports: ["websocket"] } });
  const team = createAwkwardNamesMyTeamV2Client(url, { socket: { transports: ["websocket"] } });
  try {
    expect(await client.emit.todoCreate({ title: "milk" })).toEqual({ id: "id-milk" });
    client.emit.todoUpdateItem({ id: "1", done: true });
    client.emit.userJoined();
    client.emit.paddedName();
    client.emit.httpStatus({ code: 204 });
    client.emit.aBC();
    client.emit.überEvent({ größe: 1.8, "with space": "x", "kebab-key": true });
    client.emit.twoFactor({ code: "123456" });
    await expect.poll(() => calls.length).toBe(7);
    expect(calls).toEqual([
      ["todo:update-item", { id: "1", done: true }],
      ["user joined!", null],
      ["  padded  name ", null],
      ["HTTP_STATUS", { code: 204 }],
      ["a.b.c", null],
      ["überEvent", { größe: 1.8, "with space": "x", "kebab-key": true }],
      ["2fa", { code: "123456" }],
    ]);

    const notice = next(client.on.serverNotice);
    server.emit.serverNotice("maintenance");
    expect(await notice).toBe("maintenance");
    const created = next(team.on.todoCreated);
    team.emit.todoCreate({ title: "eggs" });
    expect(await created).toEqual({ id: "team-eggs" });

    // On the wire, the names are the contract's own.
    const raw = rawIo(url, { transports: ["websocket"] });
    try {
      expect(await raw.timeout(2000).emitWithAck("todo:create", { title: "raw" })).toEqual({
        ok: true,
        data: { id: "id-raw" },
      });
      expect(await raw.timeout(2000).emitWithAck("todoCreate", { title: "raw" })).toMatchObject({
        ok: false,
        error: { code: "UNKNOWN_EVENT" },
      });
    } finally {
      raw.disconnect();
    }
  } finally {
    client.disconnect();
    team.disconnect();
    await server.close();
  }
});

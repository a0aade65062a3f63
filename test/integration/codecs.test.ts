/**
 * Codecs over real Socket.IO on 127.0.0.1, with the "real-world" golden case's generated server and client: a
 * Date, a bigint and bytes travel as strings (zod's input) and reach handlers, listeners and awaited acks as a
 * Date, a bigint and a Uint8Array (zod's output). Senders write the output; the runtime encodes it (zod's
 * `encode`) before it leaves and the receiver decodes (parses) it. Raw socket.io clients look at the wire.
 */
import { io as rawIo, type Socket as RawSocket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type RealWorldHandlers,
  type RealWorldServer,
  createRealWorldServer,
} from "../fixtures/real-world/expected/server/server.gen";
import { type RealWorldClient, createRealWorldClient } from "../fixtures/real-world/expected/client/client.gen";
import type {
  JobCreatePayload,
  LedgerPostAck,
  LedgerPostPayload,
  QuoteRequestPayload,
  SearchPayload,
  SessionOpenAck,
  UploadPayload,
} from "../fixtures/real-world/expected/server/types.gen";
import { Temperature } from "../fixtures/real-world/contract";
import { next } from "../support/events";

const received: Array<{ event: string; payload: unknown }> = [];
/** What arrived on the server's side of the wire, before any parsing (JSON-copied as it came). */
const wire: Array<{ event: string; payload: unknown }> = [];
const CREATED = new Date("2026-01-02T03:04:05.678Z");
const BIG = 12_345_678_901_234_567_890n; // past 2^53: a JSON number would lose it

const handlers: RealWorldHandlers = {
  jobCreate(job: JobCreatePayload) {
    received.push({ event: "job:create", payload: job });
    return { id: `job-${job.budget.toString()}`, createdAt: CREATED };
  },
  docPut() {},
  planSet(plan) {
    received.push({ event: "plan:set", payload: plan });
  },
  sessionOpen: ({ userId }) => ({
    sessionId: `00000000-0000-4000-8000-${userId.padStart(12, "0")}` as SessionOpenAck["sessionId"],
  }),
  profileUpdate(profile) {
    received.push({ event: "profile:update", payload: profile });
  },
  treeSave: () => ({}),
  idsLink() {},
  ledgerPost(post: LedgerPostPayload) {
    received.push({ event: "ledger:post", payload: post });
    // A Receipt is branded: only a cast (or a zod parse) makes one.
    return { ticket: post.ticket, total: post.invoice.total } as LedgerPostAck;
  },
  quoteRequest(quote: QuoteRequestPayload) {
    received.push({ event: "quote:request", payload: quote });
  },
  upload(file: UploadPayload) {
    received.push({ event: "upload", payload: file });
    return { size: file.bytes.length };
  },
  search(query: SearchPayload) {
    received.push({ event: "search", payload: query });
    return [{ id: "j1", title: query.text, budget: query.minBudget ?? 0n, startsAt: query.since ?? CREATED, tags: [] }];
  },
};

let server: RealWorldServer;
let url: string;
const reported: unknown[] = [];
const open: Array<{ disconnect(): unknown }> = [];

beforeAll(async () => {
  server = createRealWorldServer({ handlers: { "/": handlers }, onError: (error) => reported.push(error) });
  server.nsp.on("connection", (socket) => {
    socket.onAny((event: string, ...args: unknown[]) => {
      if (typeof args[0] !== "function")
        wire.push({ event, payload: JSON.parse(JSON.stringify(args[0] ?? null)) as unknown });
    });
  });
  url = `http://127.0.0.1:${(await server.listen(0)).port}`;
});
afterEach(() => {
  for (const socket of open.splice(0)) socket.disconnect();
  received.length = 0;
  wire.length = 0;
});
afterAll(() => server.close());

async function client(): Promise<RealWorldClient> {
  const c = createRealWorldClient(url, { socket: { transports: ["websocket"] } });
  open.push(c);
  await c.ready();
  return c;
}

async function raw(): Promise<RawSocket> {
  const socket = rawIo(url, { query: { iocontract: "real-world@1.0.0" }, transports: ["websocket"] });
  open.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

describe("a Date and a bigint through codecs, client to server and back", () => {
  it("the client writes a Date and a bigint; the wire carries strings; the handler gets a Date and a bigint; the client resolves a Date", async () => {
    const c = await client();
    const startsAt = new Date("2026-03-04T05:06:07.000Z");
    const answer = await c.emit.jobCreate({ title: "Fix the roof", budget: BIG, startsAt, tags: ["roof"] });
    expect(wire).toEqual([
      {
        event: "job:create",
        payload: {
          title: "Fix the roof",
          budget: "12345678901234567890",
          startsAt: "2026-03-04T05:06:07.000Z",
          tags: ["roof"],
        },
      },
    ]);
    const job = received[0]!.payload as JobCreatePayload;
    expect(job.budget).toBe(BIG);
    expect(job.startsAt).toBeInstanceOf(Date);
    expect(job.startsAt.getTime()).toBe(startsAt.getTime());
    expect(answer.id).toBe("job-12345678901234567890");
    expect(answer.createdAt).toBeInstanceOf(Date);
    expect(answer.createdAt.getTime()).toBe(CREATED.getTime());
  });

  it("the handler's Date ack is an ISO string on the wire (the raw packet)", async () => {
    const socket = await raw();
    const answer: unknown = await socket
      .timeout(2000)
      .emitWithAck("job:create", { title: "Paint", budget: "42", startsAt: "2026-03-04T05:06:07Z" });
    expect(answer).toEqual({ ok: true, data: { id: "job-42", createdAt: "2026-01-02T03:04:05.678Z" } });
    expect((received[0]!.payload as JobCreatePayload).budget).toBe(42n);
  });

  it.each([
    ["a budget that is not digits", { title: "Paint", budget: "ten", startsAt: "2026-03-04T05:06:07Z" }, "budget"],
    ["a start that is not an ISO instant", { title: "Paint", budget: "1", startsAt: "next tuesday" }, "startsAt"],
    ["a bigint written as a JSON number", { title: "Paint", budget: 1, startsAt: "2026-03-04T05:06:07Z" }, "budget"],
  ])("an invalid wire value (%s) is REQUEST_INVALID and never reaches the handler", async (_name, payload, field) => {
    const socket = await raw();
    const answer = (await socket.timeout(2000).emitWithAck("job:create", payload)) as {
      ok: boolean;
      error: { code: string; details: { issues: Array<{ path: unknown[] }> } };
    };
    expect(answer.ok).toBe(false);
    expect(answer.error.code).toBe("REQUEST_INVALID");
    expect(answer.error.details.issues[0]!.path).toEqual([field]);
    expect(received).toEqual([]);
  });

  it("an array of codec values in an ack: each element encoded on the wire, decoded by the client", async () => {
    const c = await client();
    const [job] = await c.emit.search({
      page: "2",
      text: "  Roof ",
      since: "2026-05-06T07:08:09.000Z",
      minBudget: "7",
    });
    expect(job!.budget).toBe(7n);
    expect(job!.startsAt).toBeInstanceOf(Date);
    expect(job!.title).toBe("roof");
    // A one-way transform travels as written: the handler got "roof", the wire carried "  Roof ".
    expect(wire[0]).toEqual({
      event: "search",
      payload: { page: "2", text: "  Roof ", since: "2026-05-06T07:08:09.000Z", minBudget: "7" },
    });
    const socket = await raw();
    const answer = await socket.timeout(2000).emitWithAck("search", { page: 1, text: "Yard", minBudget: 9 });
    expect(answer).toEqual({
      ok: true,
      data: [{ id: "j1", title: "yard", budget: "9", startsAt: "2026-01-02T03:04:05.678Z", tags: [] }],
    });
  });
});

describe("branded values and types the contract module exports, over the wire", () => {
  it("a branded codec (DueAt) is encoded by the sender and decoded for the handler; the branded ack comes back", async () => {
    const c = await client();
    type Post = LedgerPostPayload;
    const due = new Date("2026-07-08T09:10:11.000Z");
    const post = {
      ticket: "T-7",
      owner: "u1",
      balances: { u1: 250 },
      invoice: { id: "inv-1", total: 250, lines: [["roof", 250]] },
      points: [[1, 2]],
      approved: true,
      dueAt: due,
      reviewer: "u2",
    } as unknown as Post;
    const answer = await c.emit.ledgerPost(post);
    expect(answer).toEqual({ ticket: "T-7", total: 250 });
    expect((wire[0]!.payload as { dueAt: unknown }).dueAt).toBe("2026-07-08T09:10:11.000Z");
    const got = received[0]!.payload as Post;
    expect(got.dueAt).toBeInstanceOf(Date);
    expect(got.dueAt!.getTime()).toBe(due.getTime());
  });

  it("a branded union refuses what its members refuse: REQUEST_INVALID at the field, the handler never called", async () => {
    const socket = await raw();
    const payload = {
      ticket: "X-7",
      owner: "u1",
      balances: {},
      invoice: { id: "i", total: 1, lines: [] },
      points: [],
      approved: false,
      dueAt: null,
      reviewer: "u2",
    };
    const answer = (await socket.timeout(2000).emitWithAck("ledger:post", payload)) as {
      ok: boolean;
      error: { code: string; details: { issues: Array<{ path: unknown[] }> } };
    };
    expect(answer.ok).toBe(false);
    expect(answer.error.code).toBe("REQUEST_INVALID");
    expect(answer.error.details.issues[0]!.path).toEqual(["ticket"]);
    expect(received).toEqual([]);
  });

  it("transforms typed as the contract module's own types: the handler gets a Temperature instance and Money", async () => {
    const c = await client();
    c.emit.quoteRequest({
      price: "USD 1250",
      at: "52.5,13.4",
      slug: "Roof-Repair",
      temperature: 21,
      region: { lat: 1, lng: 2 },
    });
    await expect.poll(() => received.length).toBe(1);
    const quote = received[0]!.payload as QuoteRequestPayload;
    expect(quote.price).toEqual({ currency: "USD", minor: 1250 });
    expect(quote.at).toEqual({ lat: 52.5, lng: 13.4 });
    expect(quote.slug).toBe("roof-repair");
    expect(quote.temperature).toBeInstanceOf(Temperature);
    expect(quote.temperature.celsius).toBe(21);
  });
});

describe("coercion: the sender writes what JSON carries", () => {
  it("z.coerce.date() takes a Date (sent as its ISO string) or epoch ms; the handler gets a Date", async () => {
    const c = await client();
    const when = new Date("2026-05-06T07:08:09.000Z");
    await c.emit.search({ page: 1, text: "Roof", since: when });
    await c.emit.search({ page: 1, text: "Roof", since: when.getTime() });
    expect(wire.map((w) => (w.payload as { since: unknown }).since)).toEqual([
      "2026-05-06T07:08:09.000Z",
      when.getTime(),
    ]);
    for (const r of received) expect((r.payload as SearchPayload).since!.getTime()).toBe(when.getTime());
  });
});

describe("validateOutgoing: false", () => {
  it("still encodes: a Date and a bigint leave as strings", async () => {
    const unchecked = createRealWorldServer({ handlers: { "/": handlers }, validateOutgoing: false });
    try {
      const port = (await unchecked.listen(0)).port;
      const socket = rawIo(`http://127.0.0.1:${port}`, {
        query: { iocontract: "real-world@1.0.0" },
        transports: ["websocket"],
      });
      open.push(socket);
      await new Promise<void>((resolve) => socket.once("connect", resolve));
      const seen = new Promise<unknown>((resolve) => socket.once("clock", resolve));
      unchecked.emit.clock({ now: CREATED, seq: BIG });
      expect(await seen).toEqual({ now: "2026-01-02T03:04:05.678Z", seq: "12345678901234567890" });
    } finally {
      for (const socket of open.splice(0)) socket.disconnect();
      await unchecked.close();
    }
  });
});

describe("transforms typed by the TypeScript compiler", () => {
  it("the handler gets each transform's output, as its printed type says", async () => {
    const c = await client();
    c.emit.profileUpdate({
      wallet: "0xABCDEF0123456789abcdef0123456789ABCDEF01",
      hourlyRate: "42.5",
      timeZone: "UTC",
      accent: "#00ff00",
    });
    await c.emit.treeSave({ name: "root" }); // a round trip: the event before it has been handled
    expect(received).toEqual([
      {
        event: "profile:update",
        payload: {
          wallet: "0xabcdef0123456789abcdef0123456789abcdef01",
          hourlyRate: 42.5,
          timeZone: { zone: "UTC", utc: true },
          accent: "#00ff00",
        },
      },
    ]);
  });
});

describe("bytes through a codec", () => {
  it("a Uint8Array travels as base64url and arrives as a Uint8Array with the same bytes", async () => {
    const c = await client();
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    expect(await c.emit.upload({ name: "blob.bin", bytes })).toEqual({ size: 9 });
    expect(wire[0]!.payload).toEqual({ name: "blob.bin", bytes: "AAEC-vv8_f7_" });
    const got = (received[0]!.payload as UploadPayload).bytes;
    expect(got).toBeInstanceOf(Uint8Array);
    expect([...got]).toEqual([...bytes]);
  });

  it("a value that is not base64url is REQUEST_INVALID", async () => {
    const socket = await raw();
    const answer = (await socket.timeout(2000).emitWithAck("upload", { name: "x", bytes: "not base64!" })) as {
      ok: boolean;
      error: { code: string };
    };
    expect(answer).toMatchObject({ ok: false, error: { code: "REQUEST_INVALID" } });
    expect(received).toEqual([]);
  });
});

describe("server to client", () => {
  it("the server emits a Date and a bigint: strings on the wire, a Date and a bigint in the client's listener", async () => {
    const c = await client();
    const socket = await raw();
    const listened = next(c.on.clock);
    const rawSeen = new Promise<unknown>((resolve) => socket.once("clock", resolve));
    server.emit.clock({ now: CREATED, seq: BIG });
    expect(await rawSeen).toEqual({ now: "2026-01-02T03:04:05.678Z", seq: "12345678901234567890" });
    const tick = await listened;
    expect(tick.now).toBeInstanceOf(Date);
    expect(tick.now.getTime()).toBe(CREATED.getTime());
    expect(tick.seq).toBe(BIG);
  });

  it("the client answers a request with a Date: an ISO string on the wire, a Date where the server awaits it", async () => {
    const c = await client();
    const seenAt = new Date("2026-07-08T09:10:11.012Z");
    c.handle.confirm(({ jobId }) => {
      expect(jobId).toBe("j1");
      return { seenAt };
    });
    const answer = await server.socket(c.id!).request.confirm({ jobId: "j1" });
    expect(answer.seenAt).toBeInstanceOf(Date);
    expect(answer.seenAt.getTime()).toBe(seenAt.getTime());
    // What the client's runtime put on the wire, seen by a raw server-side request to a raw client answering the same way.
    const socket = await raw();
    socket.on("confirm", (_payload: unknown, ack: (answer: unknown) => void) =>
      ack({ ok: true, data: { seenAt: "2026-07-08T09:10:11.012Z" } }),
    );
    const fromRaw = await server.socket(socket.id!).request.confirm({ jobId: "j2" });
    expect(fromRaw.seenAt).toBeInstanceOf(Date);
  });

  it("a raw client answering with a value the codec refuses: the server's request fails with RESPONSE_INVALID", async () => {
    const socket = await raw();
    socket.on("confirm", (_payload: unknown, ack: (answer: unknown) => void) =>
      ack({ ok: true, data: { seenAt: "yesterday" } }),
    );
    await expect(server.socket(socket.id!).request.confirm({ jobId: "j3" })).rejects.toMatchObject({
      code: "RESPONSE_INVALID",
    });
  });

  it("an outgoing value the codec cannot encode is refused before it leaves (REQUEST_INVALID, nothing sent)", async () => {
    const c = await client();
    const seen: unknown[] = [];
    c.on.clock((tick) => seen.push(tick));
    expect(() => server.emit.clock({ now: new Date(Number.NaN), seq: 1n })).toThrowError(
      /REQUEST_INVALID: real-world \/ "clock": cannot send: now: /,
    );
    await c.emit.treeSave({ name: "root" }); // a round trip: anything sent before it has arrived
    expect(seen).toEqual([]);
  });
});

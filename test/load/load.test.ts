/**
 * The load run, scaled down for `npm test` (bench/load.ts runs 1,000 clients × 100 messages): real processes
 * (server, two client processes), the chat fixture's generated SDKs. Asserts what must hold at any speed:
 * nothing acknowledged is lost, no handler runs twice for one (client, seq), every broadcast arrives once.
 * No timing assertions; the figures are printed.
 */
import { describe, expect, it } from "vitest";
import { formatLoadReport, runLoad } from "./lib/run-load";

describe("load: 200 concurrent clients × 20 acked messages, each broadcast to the sender's room", () => {
  it("loses nothing and runs no handler twice", async () => {
    const report = await runLoad({
      clients: 200,
      messages: 20,
      roomSize: 5,
      clientProcesses: 2,
      deadlineMs: 240_000,
      drainMs: 30_000,
    });
    console.log(formatLoadReport(report));
    expect(report.timedOut).toBe(false);
    expect(report.connectFailures).toEqual([]);
    expect(report.connected).toBe(200);
    expect(report.sent).toBe(200 * 20);
    expect(report.failuresByCode).toEqual({});
    expect(report.lost).toBe(0);
    expect(report.duplicates).toBe(0);
    expect(report.handlerRuns).toBe(200 * 20);
    expect(report.broadcasts).toEqual({ expected: 200 * 20 * 4, received: 200 * 20 * 4, lost: 0, duplicates: 0 });
    expect(report.problems).toEqual([]);
  }, 300_000);
});

describe("load: the counting catches a server that loses or repeats (broken on purpose)", () => {
  it("a handler run twice is a duplicate; a message never answered is lost", async () => {
    // The broken server runs each client's first message twice and never answers its second.
    const report = await runLoad({
      clients: 10,
      messages: 3,
      roomSize: 5,
      clientProcesses: 1,
      deadlineMs: 60_000,
      drainMs: 5_000,
      ackTimeoutMs: 1_000,
      breakServer: true,
    });
    expect(report.duplicates).toBe(10);
    expect(report.lost).toBe(10);
    expect(report.failuresByCode).toEqual({ TIMEOUT: 10 });
  }, 90_000);
});

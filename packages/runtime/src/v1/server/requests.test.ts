/** Unit tests of ./requests.ts: a connection's waiting requests reject as soon as it goes. */
import { describe, expect, it } from "vitest";
import { RequestTracker } from "./requests";

describe("RequestTracker", () => {
  it("aborts every waiting request when the connection goes, and none that got its answer", () => {
    const tracker = new RequestTracker();
    const aborted: string[] = [];
    const a = () => aborted.push("a");
    const b = () => aborted.push("b");
    expect([tracker.track(a), tracker.track(b)]).toEqual([true, true]);
    tracker.untrack(a); // answered
    tracker.abortAll();
    expect(aborted).toEqual(["b"]);
  });

  it("refuses to track once the connection is gone (the caller aborts at once)", () => {
    const tracker = new RequestTracker();
    tracker.abortAll();
    expect(tracker.track(() => {})).toBe(false);
  });
});

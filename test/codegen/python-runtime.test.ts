/**
 * The generated Python client's runtime over a fake python-socketio client (test/codegen/python_runtime_test.py,
 * Python's unittest): retries with one idempotency key, timeouts, disconnects, SHUTTING_DOWN, error envelopes,
 * invalid acks, the recovery offset, answers to server requests, local validation. Sync and asyncio.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { peer } from "../support/peers";
import { REPO } from "../support/paths";

const python = peer("python-socketio");

describe.skipIf(!python.available)("the generated Python client's runtime", () => {
  it("passes its unittest suite (16 cases)", () => {
    const run = spawnSync(python.path, [path.join(REPO, "test/codegen/python_runtime_test.py"), "-v"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^Ran 16 tests in /m);
    expect(run.stderr).toMatch(/^OK$/m);
  });
});

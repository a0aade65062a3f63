/**
 * Issue 18, attack 5: the demo exactly as `npm start` serves it (examples/chat/dist/server/main.js, no REDIS_URL,
 * no ADMIN_TOKEN): a bad request line, the admin namespace, and user names (simultaneous claims, look-alikes).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Raw, pollingSession, rawHttp, startDemo } from "./lib/attacks";

type Demo = Awaited<ReturnType<typeof startDemo>>;

async function connectAs(
  url: string,
  auth: unknown,
  nsp?: string,
): Promise<{ sid?: string; error?: { message: string; data?: { code: string } } }> {
  const raw = new Raw(url, { auth, ...(nsp === undefined ? {} : { nsp }) });
  await raw.opened;
  await raw.ready;
  raw.close();
  return raw.sid !== undefined ? { sid: raw.sid } : { error: raw.connectErrors[0] as never };
}

describe("the demo as npm start serves it", () => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await startDemo();
  }, 60_000);
  afterAll(() => demo.stop());

  it("survives GET //[ (400), and keeps serving", async () => {
    const bad = await rawHttp(demo.port, "GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(bad.status).toBe(400);
    expect(demo.alive()).toBe(true);
    const page = await fetch(`${demo.url}/`);
    expect(page.status).toBe(200);
    // The control: this request line is one the URL parser throws on (what ended the process before).
    expect(() => new URL("//[", "http://localhost")).toThrow();
  });

  it("has no default admin token: /admin refuses every token, the old default included; says so at start", async () => {
    for (const token of ["admin-secret", "x"]) {
      const { error } = await connectAs(demo.url, { token }, "/admin");
      expect(error?.data).toMatchObject({
        code: "UNAUTHORIZED",
        message: "the admin namespace is off (the server has no ADMIN_TOKEN)",
      });
    }
    expect(demo.output.join("")).toContain("/admin off: set ADMIN_TOKEN to turn it on");
  });

  it("admits one 'dup' for two simultaneous CONNECTs in one polling request", async () => {
    const session = await pollingSession(demo.url);
    expect(await session.post(['40{"name":"dup"}', '40{"name":"dup"}'])).toBe(200);
    const packets: string[] = [];
    for (let i = 0; i < 10 && packets.filter((p) => p.startsWith("40") || p.startsWith("44")).length < 2; i++)
      packets.push(...(await session.get()));
    const answers = packets.filter((p) => p.startsWith("40") || p.startsWith("44"));
    expect(answers.filter((p) => p.startsWith("40"))).toHaveLength(1);
    expect(
      answers
        .filter((p) => p.startsWith("44"))
        .map((p) => (JSON.parse(p.slice(2)) as { data: { code: string } }).data.code),
    ).toEqual(["NAME_TAKEN"]);
  });

  it("admits one of two simultaneous connections with the same name", async () => {
    const results = await Promise.all([connectAs(demo.url, { name: "twin" }), connectAs(demo.url, { name: "twin" })]);
    expect(results.filter((r) => r.sid !== undefined)).toHaveLength(1);
    expect(results.find((r) => r.error !== undefined)?.error?.data).toMatchObject({ code: "NAME_TAKEN" });
  });

  it("refuses look-alikes of a name in use (case, full-width, all-Cyrillic) and names mixing scripts", async () => {
    const holder = new Raw(demo.url, { auth: { name: "copa" } });
    await holder.opened;
    await holder.ready;
    expect(holder.sid).toBeDefined();
    for (const name of ["COPA", "ｃｏｐａ", "сора" /* Cyrillic с о р а */]) {
      expect((await connectAs(demo.url, { name })).error?.data, name).toMatchObject({ code: "NAME_TAKEN" });
    }
    // The case: a Cyrillic "а" in a Latin name.
    expect((await connectAs(demo.url, { name: "dаve" })).error?.data).toMatchObject({
      code: "UNAUTHORIZED",
      message: "name refused: the name mixes scripts (Cyrillic, Latin)",
    });
    expect((await connectAs(demo.url, { name: "bob" })).sid).toBeDefined(); // the control: a different name passes
    holder.close();
  });
});

describe("the demo with ADMIN_TOKEN set (the control)", () => {
  it("admits the admin token, refuses others", async () => {
    const demo = await startDemo({ ADMIN_TOKEN: "s3cret-for-the-test" });
    try {
      expect((await connectAs(demo.url, { token: "s3cret-for-the-test" }, "/admin")).sid).toBeDefined();
      expect((await connectAs(demo.url, { token: "admin-secret" }, "/admin")).error?.data).toMatchObject({
        code: "UNAUTHORIZED",
        message: "wrong admin token",
      });
      expect(demo.output.join("")).toContain("/admin on (ADMIN_TOKEN)");
      expect(demo.output.join("")).not.toContain("s3cret-for-the-test"); // never printed
    } finally {
      await demo.stop();
    }
  }, 60_000);
});

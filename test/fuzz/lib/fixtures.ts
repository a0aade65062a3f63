/**
 * The fixture contracts the fuzzer attacks: every golden case of test/fixtures, each with one valid sample per
 * client→server event (the seeds the fuzzer mutates), one valid ack per acked event (what the recording handlers
 * answer), a valid handshake auth per namespace, and one valid round trip for the bystander client.
 *
 * Samples are checked against the contract when the table is loaded, so a contract change that invalidates one
 * fails loudly here instead of silently turning every "valid" case into an invalid one.
 */
import { safeParse } from "zod/v4/core";
import type { Contract, Schema } from "@iocontract/runtime/contract";
import type { RuntimeServer, ServerOptions } from "@iocontract/runtime/v1/server";
import chatContract from "../../fixtures/chat/contract";
import constructsContract from "../../fixtures/constructs/contract";
import awkwardContract from "../../fixtures/awkward-names/contract";
import gameContract from "../../fixtures/namespaces-acks/contract";
import metricsContract from "../../fixtures/no-root/contract";
import { createChatServer } from "../../fixtures/chat/expected/server/server.gen";
import { createConstructsServer } from "../../fixtures/constructs/expected/server/server.gen";
import { createAwkwardNamesServer } from "../../fixtures/awkward-names/expected/server/server.gen";
import { createGameServer } from "../../fixtures/namespaces-acks/expected/server/server.gen";
import { createMetricsServer } from "../../fixtures/no-root/expected/server/server.gen";

export interface FixtureEvent {
  readonly wire: string;
  readonly payload: Schema | undefined;
  readonly ack: Schema | undefined;
  /** Valid payloads (the fuzzer's seeds); `[]` for an event without a payload. */
  readonly seeds: readonly unknown[];
  /** What the recording handler returns for an acked event (valid against the ack schema). */
  readonly ackValue: unknown;
}

export interface FixtureNamespace {
  readonly path: string;
  /** A valid handshake auth (undefined: send none). */
  readonly auth: Record<string, unknown> | undefined;
  readonly authSchema: Schema | undefined;
  readonly events: readonly FixtureEvent[];
  /** The contract's own error codes in this namespace. */
  readonly errorCodes: readonly string[];
}

export interface Fixture {
  /** The golden case's folder name. */
  readonly name: string;
  readonly contract: Contract;
  /** The generated `create<Name>Server` (typed loosely: the fuzzer builds handlers for any contract). */
  readonly create: (options: ServerOptions) => RuntimeServer;
  readonly namespaces: readonly FixtureNamespace[];
}

const EVERYTHING = {
  str: "s",
  email: "a@b.co",
  uuid: "123e4567-e89b-12d3-a456-426614174000",
  when: "2020-01-01T00:00:00Z",
  num: 1.5,
  int: 2,
  bool: true,
  nul: null,
  lit: "fixed",
  lits: 2,
  color: "red",
  nullable: null,
  arr: ["a"],
  arrOfUnion: ["a", 1],
  tuple: ["a", 1],
  tupleRest: ["a", true, false],
  union: "u",
  shape: { kind: "circle", radius: 1 },
  inter: { a: "a", b: 1 },
  record: { x: 1 },
  enumRecord: { x: true, y: false },
  address: { street: "s", city: "c", zip: "12345" },
  category: { name: "root", children: [{ name: "leaf", children: [] }] },
  comment: { text: "t", replies: [{ text: "r" }] },
  readonlyArr: [1],
  loose: { id: "l", extra: 1 },
  strict: { id: "s" },
  anything: { any: [1, "two"] },
  coerced: "5",
  piped: "7",
  transformed: "abc",
  caught: 1,
  custom: "#fff",
  "quoted-key": "q",
};

/** Seeds and acks per fixture, namespace and wire name. Every client→server event needs an entry. */
const SAMPLES: Record<
  string,
  Record<string, { auth?: Record<string, unknown>; events: Record<string, { seeds?: unknown[]; ack?: unknown }> }>
> = {
  chat: {
    "/": {
      auth: { name: "fuzzer" },
      events: {
        "my custom event": { seeds: [{ data: "hi" }, { data: "x".repeat(2000) }] },
        chat: {},
        exit_chat: {},
        "my message": { seeds: [{ data: "hello" }], ack: { delivered: 0 } },
        "my rooms": { ack: { rooms: ["r"] } },
      },
    },
    "/admin": {
      auth: { token: "t" },
      events: {
        stats: { ack: { connected: 1, chatUsers: 0 } },
        announce: { seeds: [{ text: "maintenance at noon" }], ack: { recipients: 0 } },
      },
    },
  },
  constructs: {
    "/": {
      events: {
        everything: { seeds: [EVERYTHING], ack: EVERYTHING },
        shape: {
          seeds: [
            { kind: "circle", radius: 2 },
            { kind: "square", side: -1 },
          ],
        },
        tree: {
          seeds: [{ name: "a", children: [{ name: "b", children: [{ name: "c", children: [] }] }] }],
          ack: [{ name: "a", children: [] }],
        },
        text: { seeds: ["short", ""] },
        address: {
          seeds: [
            { street: "Main", city: "Town" },
            { street: "", city: "", zip: "01234" },
          ],
        },
        tricky: {
          seeds: [
            {
              ops: ["<", "|"],
              brace: ["{", 3],
              pipeLiteral: "x | a | a | y",
              direction: 1,
              partial: { a: 1 },
              glob: "src/**/*.ts",
              callbacks: [],
            },
          ],
        },
        mutual: { seeds: [{ a: { n: 2, b: { a: {} } } }, {}] },
      },
    },
  },
  "awkward-names": {
    "/": {
      events: {
        "todo:create": { seeds: [{ title: "buy milk" }], ack: { id: "t1" } },
        "todo:update-item": { seeds: [{ id: "t1", done: true }] },
        "user joined!": {},
        "  padded  name ": {},
        HTTP_STATUS: { seeds: [{ code: 404 }] },
        "a.b.c": {},
        überEvent: { seeds: [{ größe: 1.5, "with space": "x", "kebab-key": false }] },
        "2fa": { seeds: [{ code: "123456" }] },
      },
    },
    "/my-team/v2": { events: { "todo:create": { seeds: [{ title: "t" }] } } },
  },
  "namespaces-acks": {
    "/": {
      events: {
        ping: { ack: { pong: 1 } },
        sum: { seeds: [[1, 2, 3], []], ack: 6 },
        note: { seeds: [{ text: "n" }, { text: "n", tags: ["a", "b"] }] },
        crash: { seeds: [{ how: "throw" }], ack: { ok: true } },
        slow: { seeds: [{ ms: 0 }, { ms: -5 }], ack: { waited: 0 } },
      },
    },
    "/game": {
      auth: { player: "fuzzer", team: "blue" },
      events: {
        move: {
          seeds: [
            { x: 1, y: 2 },
            { x: 9, y: 0 },
          ],
          ack: { accepted: true, score: 3 },
        },
        resign: {},
      },
    },
    "/game/lobby": { events: { list: { ack: [{ id: "g1", players: 2 }] } } },
  },
  "no-root": {
    "/metrics": {
      events: {
        report: {
          seeds: [
            { name: "cpu", value: 0.5 },
            { name: "", value: -1e300 },
          ],
        },
      },
    },
  },
};

function isValid(schema: Schema, value: unknown): boolean {
  return safeParse(schema, value).success;
}

function build(name: string, contract: Contract, create: (options: never) => unknown): Fixture {
  const samples = SAMPLES[name];
  if (samples === undefined) throw new Error(`fuzz fixtures: no samples for ${name}`);
  const namespaces: FixtureNamespace[] = [];
  for (const [path, def] of Object.entries(contract.namespaces)) {
    const ns = samples[path];
    if (ns === undefined) throw new Error(`fuzz fixtures: ${name} ${path}: no samples for this namespace`);
    if (def.auth !== undefined && !isValid(def.auth, ns.auth ?? {}))
      throw new Error(`fuzz fixtures: ${name} ${path}: the sample auth is invalid`);
    const events: FixtureEvent[] = [];
    for (const [wire, ev] of Object.entries(def.clientToServer ?? {})) {
      const sample = ns.events[wire];
      if (sample === undefined) throw new Error(`fuzz fixtures: ${name} ${path} ${JSON.stringify(wire)}: no sample`);
      const seeds = ev.payload === undefined ? [] : (sample.seeds ?? []);
      if (ev.payload !== undefined && seeds.length === 0)
        throw new Error(`fuzz fixtures: ${name} ${path} ${JSON.stringify(wire)}: no seed payload`);
      for (const seed of seeds) {
        if (!isValid(ev.payload!, seed))
          throw new Error(
            `fuzz fixtures: ${name} ${path} ${JSON.stringify(wire)}: seed ${JSON.stringify(seed)} is invalid`,
          );
      }
      if (ev.ack !== undefined && !isValid(ev.ack, sample.ack))
        throw new Error(`fuzz fixtures: ${name} ${path} ${JSON.stringify(wire)}: the sample ack is invalid`);
      events.push({ wire, payload: ev.payload, ack: ev.ack, seeds, ackValue: sample.ack });
    }
    namespaces.push({ path, auth: ns.auth, authSchema: def.auth, events, errorCodes: Object.keys(def.errors ?? {}) });
  }
  return { name, contract, create: create as unknown as Fixture["create"], namespaces };
}

export const FIXTURES: readonly Fixture[] = [
  build("chat", chatContract, createChatServer),
  build("constructs", constructsContract, createConstructsServer),
  build("awkward-names", awkwardContract, createAwkwardNamesServer),
  build("namespaces-acks", gameContract, createGameServer),
  build("no-root", metricsContract, createMetricsServer),
];

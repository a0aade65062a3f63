/**
 * Inter-server events and the emitter, at compile time, on the inter-server golden case. Every
 * `@ts-expect-error` fails the type check if the line it guards ever compiles.
 */
import { describe, expectTypeOf, test } from "vitest";
import { Emitter } from "@socket.io/redis-emitter";
import type { Namespace, Server } from "socket.io";
import type { ClusterEmitter } from "../fixtures/inter-server/expected/server/emitter.gen";
import { createClusterEmitter } from "../fixtures/inter-server/expected/server/emitter.gen";
import type {
  ClusterHandlers,
  ClusterJobsHandlers,
  ClusterQuietNamespace,
  ClusterServer,
} from "../fixtures/inter-server/expected/server/server.gen";
import type {
  ClusterClientToServerEvents,
  ClusterInterServerEvents,
  ClusterServerToClientEvents,
  UserCountPayload,
  UserCountPayloadInput,
} from "../fixtures/inter-server/expected/server/types.gen";

declare const server: ClusterServer;
declare const emitter: ClusterEmitter;

describe("inter-server events", () => {
  test("the handler object needs a method per inter-server event, receiving the parsed payload", () => {
    // @ts-expect-error: Property 'cacheFlush' is missing in type 'Incomplete' but required in type 'ClusterHandlers'
    class Incomplete implements ClusterHandlers {
      hello(): void {}
      userCount(): void {}
    }
    void Incomplete;
    const handlers: ClusterHandlers = {
      hello() {},
      userCount(payload) {
        // The output type: `at` has a default, so it is always there.
        expectTypeOf(payload).toEqualTypeOf<UserCountPayload>();
        expectTypeOf(payload.at).toEqualTypeOf<number>();
      },
      async cacheFlush() {},
    };
    void handlers;
    const jobs: ClusterJobsHandlers = { watch() {}, jobFinished: ({ id }) => void id.toUpperCase() };
    void jobs;
  });

  test("serverSideEmit takes what a sender writes, and only inter-server events", () => {
    server.serverSideEmit.userCount({ node: "a", count: 1 }); // `at` may be left out (input type)
    expectTypeOf(server.serverSideEmit.userCount).parameter(0).toEqualTypeOf<UserCountPayloadInput>();
    server.serverSideEmit.cacheFlush();
    server.namespaces["/jobs"].serverSideEmit.jobFinished({ id: "j1" });
    // @ts-expect-error: count must be a number
    server.serverSideEmit.userCount({ node: "a", count: "1" });
    // @ts-expect-error: `hello` is a client→server event, not an inter-server one
    server.serverSideEmit.hello({ name: "x" });
    // @ts-expect-error: `cache:flush` carries no payload
    server.serverSideEmit.cacheFlush({});
    // @ts-expect-error: a namespace without inter-server events has no serverSideEmit
    void (null as unknown as ClusterQuietNamespace).serverSideEmit;
  });

  test("socket.io's own generics carry the inter-server events", () => {
    expectTypeOf(server.io).toEqualTypeOf<
      Server<ClusterClientToServerEvents, ClusterServerToClientEvents, ClusterInterServerEvents>
    >();
    expectTypeOf(server.nsp).toEqualTypeOf<
      Namespace<ClusterClientToServerEvents, ClusterServerToClientEvents, ClusterInterServerEvents>
    >();
    server.io.serverSideEmit("user count", { node: "a", count: 1 });
    // @ts-expect-error: not an inter-server event of "/"
    server.io.serverSideEmit("job done", { id: "x" });
  });
});

describe("the emitter", () => {
  test("emits fire-and-forget server→client events to rooms and namespaces", () => {
    emitter.to("room").except("sid").emit.usersOnline({ count: 3 });
    emitter.of("/jobs").to("job-1").emit.progress({ id: "job-1", percent: 50 });
    emitter.of("/quiet").emit.poked();
    emitter.serverSideEmit.userCount({ node: "worker", count: 0 });
    emitter.of("/jobs").serverSideEmit.jobFinished({ id: "j" });
    // @ts-expect-error: `ping?` has an ack: the emitter cannot collect answers
    emitter.emit.ping();
    // @ts-expect-error: percent must be a number
    emitter.of("/jobs").emit.progress({ id: "x", percent: "50" });
    // @ts-expect-error: not a namespace of the contract
    emitter.of("/nope");
    // @ts-expect-error: a selection has no serverSideEmit (inter-server events go to every node)
    void emitter.to("room").serverSideEmit;
  });

  test("takes @socket.io/redis-emitter's Emitter as it is", () => {
    expectTypeOf<Emitter>().toMatchTypeOf<Parameters<typeof createClusterEmitter>[0]>();
    expectTypeOf(createClusterEmitter(new Emitter(null))).toEqualTypeOf<ClusterEmitter>();
  });
});

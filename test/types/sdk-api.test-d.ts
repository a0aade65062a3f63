/**
 * The generated SDKs reject at compile time what the contract does not allow. Every `@ts-expect-error` here
 * fails the type check if the line it guards ever compiles.
 */
import { describe, expectTypeOf, test } from "vitest";
// The chat golden case (a frozen copy of the example's contract), so that adding an event to the example
// changes the example, not these tests.
import type { ContractError } from "@iocontract/runtime/v1/server";
import type { IocontractError } from "@iocontract/runtime/v1/client";
import type { Broadcast, Context } from "@iocontract/runtime/v1/server";
import type {
  ChatAdminHandlers,
  ChatContext,
  ChatEmit,
  ChatHandlers,
  ChatServer,
  ChatTypes,
} from "../fixtures/chat/expected/server/server.gen";
import type {
  AdminStatsAck,
  AreYouTherePayload,
  Message,
  MyCustomEventPayload,
  MyMessageAck,
  MyMessagePayload,
  MyReplyPayload,
  MyRoomsAck,
  NameTakenDetails,
  Reply,
} from "../fixtures/chat/expected/server/types.gen";
import type {
  ChatAdminClient,
  ChatClient,
  ChatClientEmit,
  ChatClientTypes,
} from "../fixtures/chat/expected/client/client.gen";
import {
  type Client as RootClient,
  type Context as RootContext,
  type IocontractError as RootIocontractError,
  WireErrorCode as RootWireErrorCode,
} from "@iocontract/runtime";
import {
  type ChatContext as IndexChatContext,
  type ChatHandlers as IndexChatHandlers,
  type IocontractError as IndexIocontractError,
  WireErrorCode as IndexWireErrorCode,
  createChatServer,
} from "../fixtures/chat/expected/server/index.gen";
import type { ChatErrorCode } from "../fixtures/chat/expected/client/types.gen";

declare const chat: ChatClient;
declare const chatAdmin: ChatAdminClient;
declare const server: ChatServer;
declare const ctx: ChatContext;

describe("client SDK", () => {
  test("event names", () => {
    // @ts-expect-error: not an event of the contract
    chat.emit.myCustomEvnt({ data: "x" });
    // @ts-expect-error: a server→client event cannot be emitted by the client
    chat.emit.myReply({ data: "x", from: "a", at: 1 });
    // @ts-expect-error: not a server→client event
    chat.on.myMessage(() => {});
  });

  test("payloads", () => {
    chat.emit.myCustomEvent({ data: "ok" });
    // @ts-expect-error: wrong field
    chat.emit.myCustomEvent({ text: "x" });
    // @ts-expect-error: wrong type
    chat.emit.myCustomEvent({ data: 42 });
    // @ts-expect-error: the payload is required
    chat.emit.myCustomEvent();
    // @ts-expect-error: `chat` carries no payload
    chat.emit.chat({ data: "x" });
    chat.emit.chat();
  });

  test("acks", () => {
    expectTypeOf(chat.emit.myMessage).returns.resolves.toEqualTypeOf<MyMessageAck>();
    expectTypeOf(chat.emit.myCustomEvent).returns.toEqualTypeOf<void>();
    // @ts-expect-error: the ack is { delivered: number }
    const wrong: Promise<{ delivered: string }> = chat.emit.myMessage({ data: "x" });
    void wrong;
    chat.emit.myMessage({ data: "x" }, { timeoutMs: 100 });
    chat.handle.areYouThere(({ at }) => ({ at }));
    chat.handle.areYouThere(async ({ at }) => ({ at }));
    // @ts-expect-error: the answer must be { at: number }
    chat.handle.areYouThere(() => ({ at: "now" }));
  });

  test("answerers throw typed contract errors: client.error() mirrors ctx.error()", () => {
    chat.handle.areYouThere(() => {
      throw chat.error("NOT_IN_ROOM", { room: "lobby" });
    });
    expectTypeOf(chat.error("NAME_TAKEN", { name: "ada" }, "taken")).toEqualTypeOf<
      IocontractError<"NAME_TAKEN", NameTakenDetails>
    >();
    // @ts-expect-error: not an error code of the contract
    void chat.error("NOT_A_CODE", {});
    // @ts-expect-error: a built-in code is the runtime's to send, not an answerer's
    void chat.error("HANDLER_FAILED", {});
    // @ts-expect-error: the details of NOT_IN_ROOM are { room: string }
    void chat.error("NOT_IN_ROOM", { room: 1 });
    // @ts-expect-error: the details are required, as with ctx.error
    void chat.error("NOT_IN_ROOM");
    // @ts-expect-error: namespace "/admin" declares no error codes
    void chatAdmin.error("NOT_IN_ROOM", { room: "lobby" });
  });

  test("listeners receive typed payloads and return unsubscribe functions", () => {
    const off = chat.on.myReply((reply) => {
      expectTypeOf(reply).toEqualTypeOf<Reply>();
    });
    expectTypeOf(off).toEqualTypeOf<() => void>();
    chat.on.connectError((error) => {
      expectTypeOf(error).toEqualTypeOf<IocontractError<ChatErrorCode>>();
      expectTypeOf(error.code).toEqualTypeOf<ChatErrorCode>();
    });
  });
});

describe("names implementers use without reading generated files", () => {
  test("every event has <Event>Payload / <Event>Ack, aliases where the contract names a shared type", () => {
    expectTypeOf<MyCustomEventPayload>().toEqualTypeOf<Message>();
    expectTypeOf<MyMessagePayload>().toEqualTypeOf<Message>();
    expectTypeOf<MyReplyPayload>().toEqualTypeOf<Reply>();
    expectTypeOf<AreYouTherePayload>().toEqualTypeOf<{ at: number }>();
    expectTypeOf<AdminStatsAck>().toEqualTypeOf<{ connected: number; chatUsers: number }>();
  });

  test("a class implementing the handlers, typed from index.gen.ts alone", () => {
    class Handlers implements IndexChatHandlers {
      myCustomEvent(payload: MyCustomEventPayload, ctx: IndexChatContext): void {
        ctx.emit.myReply({ data: payload.data, from: ctx.sid, at: 1 });
      }
      chat(ctx: IndexChatContext): void {
        ctx.join("chat_users");
      }
      exitChat(): void {}
      myMessage(payload: MyMessagePayload, ctx: IndexChatContext): MyMessageAck {
        if (payload.data === "") throw ctx.error("NOT_IN_ROOM", { room: "chat_users" });
        return { delivered: 0 };
      }
      myRooms(ctx: IndexChatContext): MyRoomsAck {
        return { rooms: ctx.rooms };
      }
      nameClaimed(): void {}
      nameReleased(): void {}
    }
    void Handlers;
    expectTypeOf(createChatServer).returns.toEqualTypeOf<ChatServer>();
    expectTypeOf<InstanceType<typeof IndexIocontractError>>().toEqualTypeOf<IocontractError>();
    expectTypeOf(IndexWireErrorCode.TIMEOUT).toEqualTypeOf<"TIMEOUT">();
  });

  test("the runtime's root entry exports the error class, the codes and the generic API", () => {
    expectTypeOf<RootContext<ChatTypes>>().toEqualTypeOf<Context<ChatTypes>>();
    expectTypeOf<ChatClient>().toMatchTypeOf<RootClient<ChatClientTypes>>();
    expectTypeOf<InstanceType<typeof RootIocontractError>>().toEqualTypeOf<IocontractError>();
    expectTypeOf(RootWireErrorCode.REQUEST_INVALID).toEqualTypeOf<"REQUEST_INVALID">();
  });

  test("the per-namespace names are instances of the runtime's generic API", () => {
    expectTypeOf<ChatContext>().toMatchTypeOf<Context<ChatTypes>>();
    expectTypeOf(ctx.to("room")).toEqualTypeOf<Broadcast<ChatTypes>>();
    expectTypeOf(ctx.to("room").emit).toEqualTypeOf<ChatEmit>();
    expectTypeOf(chat.emit).toEqualTypeOf<ChatClientEmit>();
  });
});

describe("server SDK", () => {
  test("a missing handler is a compile error", () => {
    // @ts-expect-error: Property 'myRooms' is missing in type 'Incomplete' but required in type 'ChatHandlers'
    class Incomplete implements ChatHandlers {
      myCustomEvent(): void {}
      chat(): void {}
      exitChat(): void {}
      myMessage(): MyMessageAck {
        return { delivered: 0 };
      }
    }
    void Incomplete;
  });

  test("a handler that returns the wrong ack is a compile error", () => {
    class WrongAck implements ChatAdminHandlers {
      stats() {
        return { connected: 1, chatUsers: 0 };
      }
      // @ts-expect-error: recipients must be a number
      announce() {
        return { recipients: "all" };
      }
    }
    void WrongAck;
  });

  test("handlers receive parsed payloads and a typed context", () => {
    const handlers: ChatHandlers = {
      myCustomEvent(payload, c) {
        expectTypeOf(payload).toEqualTypeOf<Message>();
        expectTypeOf(c.handshake.auth.name).toEqualTypeOf<string | undefined>();
        expectTypeOf(c.handshake.contractVersion).toEqualTypeOf<string | undefined>();
        expectTypeOf(c.session).toEqualTypeOf<{ user: string; joinedAt: number } | undefined>();
      },
      chat() {},
      exitChat() {},
      myMessage: async () => ({ delivered: 1 }),
      myRooms: (c) => ({ rooms: c.rooms }),
    };
    void handlers;
  });

  test("emits are typed everywhere", () => {
    server.emit.myReply({ data: "x", from: "server", at: 1 });
    // @ts-expect-error: `from` and `at` are required
    server.emit.myReply({ data: "x" });
    // @ts-expect-error: `are you there` has an ack: it is a request, not an emit
    server.emit.areYouThere({ at: 1 });
    ctx.to("chat_users").except(ctx.sid).emit.myReply({ data: "x", from: "a", at: 1 });
    server.send({ data: "hello" }, { to: "sid" });
    // @ts-expect-error: send() takes the `message` event's payload
    server.send({ text: "hello" });
    expectTypeOf(server.socket("sid").request.areYouThere).returns.resolves.toEqualTypeOf<{ at: number }>();
    expectTypeOf(ctx.error("NOT_IN_ROOM", { room: "r" })).toEqualTypeOf<ContractError<"NOT_IN_ROOM">>();
    expectTypeOf(ctx.refuse("NAME_TAKEN", "taken", { name: "x" })).toEqualTypeOf<ContractError<"NAME_TAKEN">>();
    // @ts-expect-error: NAME_TAKEN's details are { name: string }
    void ctx.refuse("NAME_TAKEN", "taken", { room: "x" });
    // @ts-expect-error: a contract code needs its details
    void ctx.refuse("NAME_TAKEN", "taken");
    void ctx.refuse("UNAUTHORIZED", "bad token");
    // @ts-expect-error: not a code a refusal can carry
    void ctx.refuse("TIMEOUT");
    // @ts-expect-error: NOT_IN_ROOM's details are { room: string }
    void ctx.error("NOT_IN_ROOM", { name: "x" });
    // @ts-expect-error: not a contract error code
    void ctx.error("NOPE", {});
  });
});

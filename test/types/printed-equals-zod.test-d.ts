/**
 * The printed types are zod's own: for every declaration of every golden case, the generated output type
 * equals `z.output<schema>` and the generated input type equals `z.input<schema>`. Checked by tsc (vitest
 * typecheck and `npm run typecheck`).
 */
import { describe, expectTypeOf, test } from "vitest";
import type { z } from "zod";
import type * as C from "../fixtures/constructs/expected/server/types.gen";
import type * as CC from "../fixtures/constructs/expected/client/types.gen";
import constructs, { Address, Category, Comment, Everything, RecA, RecB, Shape, Tricky } from "../fixtures/constructs/contract";
import type * as G from "../fixtures/namespaces-acks/expected/server/types.gen";
import game from "../fixtures/namespaces-acks/contract";
import type * as A from "../fixtures/awkward-names/expected/server/types.gen";
import awkward from "../fixtures/awkward-names/contract";
import type * as Chat from "../fixtures/chat/expected/server/types.gen";
import chat from "../fixtures/chat/contract";

type Out<T extends z.ZodType> = z.output<T>;
type In<T extends z.ZodType> = z.input<T>;

describe("constructs", () => {
  test("objects, formats, optional / nullable / default, arrays, tuples, unions, records, pipes, transforms, custom", () => {
    expectTypeOf<C.Everything>().toEqualTypeOf<Out<typeof Everything>>();
    expectTypeOf<C.EverythingInput>().toEqualTypeOf<In<typeof Everything>>();
  });
  test("discriminated unions", () => {
    expectTypeOf<C.Shape>().toEqualTypeOf<Out<typeof Shape>>();
  });
  test("recursive schemas (getter and .meta({ id }))", () => {
    expectTypeOf<C.Category>().toEqualTypeOf<Out<typeof Category>>();
    expectTypeOf<C.Comment>().toEqualTypeOf<Out<typeof Comment>>();
    expectTypeOf<C.TreeAck>().toEqualTypeOf<Out<NonNullable<(typeof constructs)["namespaces"]["/"]["clientToServer"]["tree"]["ack"]>>>();
  });
  test("literals that look like type syntax, numeric enums, partial records, function types", () => {
    expectTypeOf<Omit<C.Tricky, "direction">>().toEqualTypeOf<Omit<Out<typeof Tricky>, "direction">>();
    // A TS enum has no twin in generated code: it prints as the union of its values, which it is assignable
    // to and from (zod's type is the enum itself).
    expectTypeOf<C.Tricky["direction"]>().toEqualTypeOf<0 | 1>();
    expectTypeOf<Out<typeof Tricky>["direction"]>().toExtend<C.Tricky["direction"]>();
    expectTypeOf<C.Tricky["direction"]>().toExtend<Out<typeof Tricky>["direction"]>();
    expectTypeOf<C.Tricky["ops"]>().toEqualTypeOf<Array<"<" | ">" | "|">>();
    expectTypeOf<C.Tricky["pipeLiteral"]>().toEqualTypeOf<"x | a | a | y">();
  });
  test("mutually recursive schemas, with Input twins on both sides", () => {
    expectTypeOf<C.RecA>().toEqualTypeOf<Out<typeof RecA>>();
    expectTypeOf<C.RecAInput>().toEqualTypeOf<In<typeof RecA>>();
    expectTypeOf<C.RecB>().toEqualTypeOf<Out<typeof RecB>>();
    expectTypeOf<C.RecBInput>().toEqualTypeOf<In<typeof RecB>>();
  });
  test("a schema reused across events is one named type", () => {
    expectTypeOf<C.AddressPayload>().toEqualTypeOf<Out<typeof Address>>();
    expectTypeOf<C.AddressesPayload["home"]>().toEqualTypeOf<C.AddressPayload>();
    expectTypeOf<C.TextPayload>().toEqualTypeOf<string>();
  });
  test("the client package prints the same types", () => {
    expectTypeOf<CC.Everything>().toEqualTypeOf<C.Everything>();
    expectTypeOf<CC.EverythingInput>().toEqualTypeOf<C.EverythingInput>();
  });
});

describe("namespaces and acks", () => {
  const ns = game.namespaces;
  test("payloads, acks, auth (with a default), session, error details", () => {
    expectTypeOf<G.Point>().toEqualTypeOf<Out<typeof ns["/game"]["clientToServer"]["move"]["payload"]>>();
    expectTypeOf<G.GameAuth>().toEqualTypeOf<Out<typeof ns["/game"]["auth"]>>();
    expectTypeOf<G.GameAuthInput>().toEqualTypeOf<In<typeof ns["/game"]["auth"]>>();
    expectTypeOf<G.GameSocketData>().toEqualTypeOf<Out<typeof ns["/game"]["socketData"]>>();
    expectTypeOf<G.GameGameOverDetails>().toEqualTypeOf<Out<typeof ns["/game"]["errors"]["GAME_OVER"]>>();
    expectTypeOf<G.NotePayload>().toEqualTypeOf<Out<typeof ns["/"]["clientToServer"]["note"]["payload"]>>();
    expectTypeOf<G.NotePayloadInput>().toEqualTypeOf<In<typeof ns["/"]["clientToServer"]["note"]["payload"]>>();
    expectTypeOf<G.SumAck>().toEqualTypeOf<number>();
    expectTypeOf<G.ConfirmAck>().toEqualTypeOf<boolean>();
    expectTypeOf<G.GameLobbyListAck>().toEqualTypeOf<Out<typeof ns["/game/lobby"]["clientToServer"]["list"]["ack"]>>();
    expectTypeOf<G.GameStatePayload>().toEqualTypeOf<Out<typeof ns["/game"]["serverToClient"]["state"]["payload"]>>();
  });
});

describe("awkward names", () => {
  test("quoted keys and non-ASCII property names", () => {
    expectTypeOf<A.ÜberEventPayload>().toEqualTypeOf<Out<typeof awkward.namespaces["/"]["clientToServer"]["überEvent"]["payload"]>>();
    expectTypeOf<A.TwoFactorPayload>().toEqualTypeOf<Out<typeof awkward.namespaces["/"]["clientToServer"]["2fa"]["payload"]>>();
  });
});

describe("the chat contract", () => {
  const ns = chat.namespaces;
  test("the declarations of the chat SDK", () => {
    expectTypeOf<Chat.Message>().toEqualTypeOf<Out<typeof chat.types.Message>>();
    expectTypeOf<Chat.Reply>().toEqualTypeOf<Out<typeof chat.types.Reply>>();
    expectTypeOf<Chat.Auth>().toEqualTypeOf<Out<typeof ns["/"]["auth"]>>();
    expectTypeOf<Chat.SocketData>().toEqualTypeOf<Out<typeof ns["/"]["socketData"]>>();
    expectTypeOf<Chat.MyMessageAck>().toEqualTypeOf<Out<typeof ns["/"]["clientToServer"]["my message"]["ack"]>>();
    expectTypeOf<Chat.AreYouThereAck>().toEqualTypeOf<Out<typeof ns["/"]["serverToClient"]["are you there"]["ack"]>>();
    expectTypeOf<Chat.AdminAnnouncePayload>().toEqualTypeOf<Out<typeof ns["/admin"]["clientToServer"]["announce"]["payload"]>>();
  });
});

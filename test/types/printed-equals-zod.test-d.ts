/**
 * The printed types are zod's own: for every declaration of every golden case, the generated output type
 * equals `z.output<schema>` and the generated input type equals `z.input<schema>`. Checked by tsc (vitest
 * typecheck and `npm run typecheck`).
 */
import { describe, expectTypeOf, test } from "vitest";
import type { z } from "zod";
import type * as C from "../fixtures/constructs/expected/server/types.gen";
import type * as CC from "../fixtures/constructs/expected/client/types.gen";
import type constructs from "../fixtures/constructs/contract";
import type {
  Address,
  Category,
  Comment,
  Everything,
  RecA,
  RecB,
  Shape,
  Tricky,
} from "../fixtures/constructs/contract";
import type * as G from "../fixtures/namespaces-acks/expected/server/types.gen";
import game from "../fixtures/namespaces-acks/contract";
import type * as A from "../fixtures/awkward-names/expected/server/types.gen";
import type awkward from "../fixtures/awkward-names/contract";
import type * as Chat from "../fixtures/chat/expected/server/types.gen";
import chat from "../fixtures/chat/contract";
import type * as RW from "../fixtures/real-world/expected/server/types.gen";
import realWorld, {
  type Chunk,
  type Coordinates,
  type Folder,
  type Invoice,
  type Json,
  type JsonValue,
  type Money,
  type Plan,
  type Slug,
  type Temperature,
  type TicketId,
  type TreeNode,
  type Weekday,
} from "../fixtures/real-world/contract";

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
    expectTypeOf<C.TreeAck>().toEqualTypeOf<
      Out<NonNullable<(typeof constructs)["namespaces"]["/"]["clientToServer"]["tree"]["ack"]>>
    >();
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
    expectTypeOf<G.Point>().toEqualTypeOf<Out<(typeof ns)["/game"]["clientToServer"]["move"]["payload"]>>();
    expectTypeOf<G.GameAuth>().toEqualTypeOf<Out<(typeof ns)["/game"]["auth"]>>();
    expectTypeOf<G.GameAuthInput>().toEqualTypeOf<In<(typeof ns)["/game"]["auth"]>>();
    expectTypeOf<G.GameSocketData>().toEqualTypeOf<Out<(typeof ns)["/game"]["socketData"]>>();
    expectTypeOf<G.GameGameOverDetails>().toEqualTypeOf<Out<(typeof ns)["/game"]["errors"]["GAME_OVER"]>>();
    expectTypeOf<G.NotePayload>().toEqualTypeOf<Out<(typeof ns)["/"]["clientToServer"]["note"]["payload"]>>();
    expectTypeOf<G.NotePayloadInput>().toEqualTypeOf<In<(typeof ns)["/"]["clientToServer"]["note"]["payload"]>>();
    expectTypeOf<G.SumAck>().toEqualTypeOf<number>();
    expectTypeOf<G.ConfirmAck>().toEqualTypeOf<boolean>();
    expectTypeOf<G.GameLobbyListAck>().toEqualTypeOf<
      Out<(typeof ns)["/game/lobby"]["clientToServer"]["list"]["ack"]>
    >();
    expectTypeOf<G.GameStatePayload>().toEqualTypeOf<Out<(typeof ns)["/game"]["serverToClient"]["state"]["payload"]>>();
  });
});

describe("awkward names", () => {
  test("quoted keys and non-ASCII property names", () => {
    expectTypeOf<A.ÜberEventPayload>().toEqualTypeOf<
      Out<(typeof awkward.namespaces)["/"]["clientToServer"]["überEvent"]["payload"]>
    >();
    expectTypeOf<A.TwoFactorPayload>().toEqualTypeOf<
      Out<(typeof awkward.namespaces)["/"]["clientToServer"]["2fa"]["payload"]>
    >();
  });
});

describe("the chat contract", () => {
  const ns = chat.namespaces;
  test("the declarations of the chat SDK", () => {
    expectTypeOf<Chat.Message>().toEqualTypeOf<Out<typeof chat.types.Message>>();
    expectTypeOf<Chat.Reply>().toEqualTypeOf<Out<typeof chat.types.Reply>>();
    expectTypeOf<Chat.Auth>().toEqualTypeOf<Out<(typeof ns)["/"]["auth"]>>();
    expectTypeOf<Chat.SocketData>().toEqualTypeOf<Out<(typeof ns)["/"]["socketData"]>>();
    expectTypeOf<Chat.MyMessageAck>().toEqualTypeOf<Out<(typeof ns)["/"]["clientToServer"]["my message"]["ack"]>>();
    expectTypeOf<Chat.AreYouThereAck>().toEqualTypeOf<
      Out<(typeof ns)["/"]["serverToClient"]["are you there"]["ack"]>
    >();
    expectTypeOf<Chat.AdminAnnouncePayload>().toEqualTypeOf<
      Out<(typeof ns)["/admin"]["clientToServer"]["announce"]["payload"]>
    >();
  });
});

describe("real-world shapes", () => {
  const ev = realWorld.namespaces["/"];
  type C2S = (typeof ev)["clientToServer"];
  type S2C = (typeof ev)["serverToClient"];
  test("a JSON value (recursive through z.lazy, named automatically), a getter tree, streamed chunks", () => {
    expectTypeOf<RW.Json>().toEqualTypeOf<Out<typeof Json>>();
    expectTypeOf<RW.Json>().toEqualTypeOf<JsonValue>();
    expectTypeOf<RW.TreeNode>().toEqualTypeOf<Out<typeof TreeNode>>();
    expectTypeOf<RW.Chunk>().toEqualTypeOf<Out<typeof Chunk>>();
    expectTypeOf<RW.DocPutPayload>().toEqualTypeOf<Out<C2S["doc:put"]["payload"]>>();
  });
  test("what zod rejects, tsc rejects: a JSON value is no undefined, Date or function; an empty object no string", () => {
    // @ts-expect-error undefined is not JSON
    const a: RW.Json = undefined;
    // @ts-expect-error a Date is not a JSON value (its methods are not JSON)
    const b: RW.Json = new Date();
    // @ts-expect-error nor is a function inside a record
    const c: RW.Json = { f: () => 1 };
    expectTypeOf<RW.TreeSaveAck>().toEqualTypeOf<Out<C2S["tree:save"]["ack"]>>();
    // @ts-expect-error z.object({}) is not `{}`: a string is not an empty object
    const d: RW.TreeSaveAck = "text";
    // @ts-expect-error nor is an object with keys
    const e: RW.TreeSaveAck = { a: 1 };
    void [a, b, c, d, e];
  });
  test("codecs: the output is the app side (Date, bigint, Uint8Array), the input what travels", () => {
    expectTypeOf<RW.JobCreatePayload>().toEqualTypeOf<Out<C2S["job:create"]["payload"]>>();
    expectTypeOf<RW.JobCreatePayloadInput>().toEqualTypeOf<In<C2S["job:create"]["payload"]>>();
    expectTypeOf<RW.JobCreateAck>().toEqualTypeOf<Out<C2S["job:create"]["ack"]>>();
    expectTypeOf<RW.JobCreateAckInput>().toEqualTypeOf<In<C2S["job:create"]["ack"]>>();
    expectTypeOf<RW.UploadPayload>().toEqualTypeOf<Out<C2S["upload"]["payload"]>>();
    expectTypeOf<RW.UploadPayloadInput>().toEqualTypeOf<In<C2S["upload"]["payload"]>>();
    expectTypeOf<RW.SearchAck>().toEqualTypeOf<Out<C2S["search"]["ack"]>>();
    expectTypeOf<RW.SearchAckInput>().toEqualTypeOf<In<C2S["search"]["ack"]>>();
    expectTypeOf<RW.ClockPayload>().toEqualTypeOf<Out<S2C["clock"]["payload"]>>();
    expectTypeOf<RW.ClockPayloadInput>().toEqualTypeOf<In<S2C["clock"]["payload"]>>();
    expectTypeOf<RW.ConfirmAck>().toEqualTypeOf<Out<S2C["confirm"]["ack"]>>();
    expectTypeOf<RW.ConfirmAckInput>().toEqualTypeOf<In<S2C["confirm"]["ack"]>>();
    expectTypeOf<RW.ClockPayload["seq"]>().toEqualTypeOf<bigint>();
    expectTypeOf<RW.ClockPayload["now"]>().toEqualTypeOf<Date>();
  });
  test("transforms without declared types and z.custom<T>(): typed by the TypeScript compiler, equal to zod's", () => {
    expectTypeOf<RW.ProfileUpdatePayload>().toEqualTypeOf<Out<C2S["profile:update"]["payload"]>>();
    expectTypeOf<RW.ProfileUpdatePayloadInput>().toEqualTypeOf<In<C2S["profile:update"]["payload"]>>();
    // @ts-expect-error the transform's output is a template literal type: a plain string is not a wallet
    const g: RW.ProfileUpdatePayload["wallet"] = "wallet";
    void g;
  });
  test("brands survive: zod's output type exactly, and a UserId is no SessionId", () => {
    type Open = C2S["session:open"];
    expectTypeOf<RW.SessionOpenPayload>().toEqualTypeOf<Out<Open["payload"]>>();
    expectTypeOf<RW.SessionOpenAck>().toEqualTypeOf<Out<Open["ack"]>>();
    // zod brands the output only; the printed type (one for both sides) is branded: narrower than zod's input.
    expectTypeOf<RW.SessionOpenPayload>().toExtend<In<Open["payload"]>>();
    const user = "u1" as RW.SessionOpenPayload["userId"];
    // @ts-expect-error a UserId where a SessionId is expected
    const h: RW.SessionOpenAck = { sessionId: user };
    // @ts-expect-error a plain string is not a UserId
    const i: RW.SessionOpenPayload["userId"] = "u1";
    void [h, i];
  });
  test("brands on unions, record keys and objects declared by name: zod's output type exactly", () => {
    type Post = C2S["ledger:post"];
    expectTypeOf<RW.LedgerPostPayload>().toEqualTypeOf<Out<Post["payload"]>>();
    expectTypeOf<RW.LedgerPostAck>().toEqualTypeOf<Out<Post["ack"]>>();
    expectTypeOf<RW.Invoice>().toEqualTypeOf<Out<typeof Invoice>>();
    expectTypeOf<RW.Folder>().toEqualTypeOf<Out<typeof Folder>>();
    expectTypeOf<RW.LedgerPostPayloadTicket>().toEqualTypeOf<Out<typeof TicketId>>();
    // The input side: zod's input is unbranded; a branded schema declared by name prints one type for both
    // sides (branded: narrower than zod's input); inline parts print zod's input exactly.
    type Branded = "ticket" | "invoice" | "folder";
    expectTypeOf<Omit<RW.LedgerPostPayloadInput, Branded>>().toEqualTypeOf<Omit<In<Post["payload"]>, Branded>>();
    expectTypeOf<RW.LedgerPostPayloadInput>().toExtend<In<Post["payload"]>>();
  });
  test("brands through wrappers (a pipe, a compiler-typed transform, .catch(), readonly): zod's types exactly", () => {
    type Link = C2S["ids:link"]["payload"];
    expectTypeOf<RW.IdsLinkPayload>().toEqualTypeOf<Out<Link>>();
    expectTypeOf<RW.IdsLinkPayloadInput>().toEqualTypeOf<In<Link>>();
  });
  test("two brands do not mix: a union's, a record key's, a named object's, an event's own object's", () => {
    const user = "u1" as RW.SessionOpenPayload["userId"];
    const session = "00000000-0000-4000-8000-000000000001" as RW.SessionOpenAck["sessionId"];
    const cents = 5 as RW.LedgerPostAck["total"];
    // @ts-expect-error a branded union: a plain string is not a TicketId
    const a: RW.LedgerPostPayloadTicket = "T-1";
    // @ts-expect-error nor is a Cents amount
    const b: RW.LedgerPostPayloadTicket = cents;
    // A record keyed by UserId: its keys are UserIds, and a SessionId does not index it.
    const balances: RW.LedgerPostPayload["balances"] = {};
    expectTypeOf<keyof RW.LedgerPostPayload["balances"]>().toEqualTypeOf<RW.SessionOpenPayload["userId"]>();
    const d = balances[user];
    // @ts-expect-error a SessionId is no key of a record keyed by UserId
    const c = balances[session];
    // @ts-expect-error a named branded object: the same shape without the brand is not an Invoice
    const e: RW.Invoice = { id: "i", total: cents, lines: [] };
    // @ts-expect-error an event's own branded object (the ack): a plain object is not a Receipt
    const f: RW.LedgerPostAck = { ticket: 1 as RW.LedgerPostPayloadTicket, total: cents };
    // @ts-expect-error a recursive branded object: a plain tree is not a Folder
    const g: RW.Folder = { name: "root" };
    // @ts-expect-error branded members of a union: a plain string is neither a UserId nor a SessionId
    const h: RW.LedgerPostPayload["owner"] = "u1";
    // @ts-expect-error a branded tuple inside an array
    const i: RW.LedgerPostPayload["points"] = [[1, 2]];
    // @ts-expect-error a branded boolean
    const j: RW.LedgerPostPayload["approved"] = true;
    // @ts-expect-error a branded codec's output: a plain Date is not a DueAt
    const k: RW.LedgerPostPayload["dueAt"] = new Date();
    // @ts-expect-error through z.lazy: a SessionId is not the reviewer's UserId
    const l: RW.LedgerPostPayload["reviewer"] = session;
    // @ts-expect-error a branded enum: a plain value is not a Level
    const n: RW.IdsLinkPayload["level"] = "low";
    // @ts-expect-error a branded intersection: the plain object is not Both
    const o: RW.IdsLinkPayload["both"] = { a: "x", b: 1 };
    void [n, o];
    // @ts-expect-error an "inout" brand holds on the sender's side too: a plain string is not an Email
    const m: RW.LedgerPostPayloadInput["notify"] = "ada@example.com";
    void [a, b, c, d, e, f, g, h, i, j, k, l, m];
  });
  test("compiler answers naming types the contract module exports (or re-exports) import them", () => {
    type Quote = C2S["quote:request"]["payload"];
    expectTypeOf<RW.QuoteRequestPayload>().toEqualTypeOf<Out<Quote>>();
    expectTypeOf<RW.QuoteRequestPayloadInput>().toEqualTypeOf<In<Quote>>();
    expectTypeOf<RW.QuoteRequestPayload["price"]>().toEqualTypeOf<Money>();
    expectTypeOf<RW.QuoteRequestPayload["at"]>().toEqualTypeOf<Coordinates>();
    expectTypeOf<RW.QuoteRequestPayload["slug"]>().toEqualTypeOf<Slug>();
    expectTypeOf<RW.QuoteRequestPayload["temperature"]>().toEqualTypeOf<Temperature>();
    expectTypeOf<RW.QuoteRequestPayloadInput["region"]>().toEqualTypeOf<Coordinates>();
  });
  test("TypeScript enums the contract module exports print as themselves (imported), numeric and string", () => {
    type PlanSet = Out<C2S["plan:set"]["payload"]>;
    expectTypeOf<RW.PlanSetPayload>().toExtend<PlanSet>();
    expectTypeOf<PlanSet>().toExtend<RW.PlanSetPayload>();
    expectTypeOf<RW.PlanSetPayload["plan"]>().toEqualTypeOf<PlanSet["plan"]>();
    expectTypeOf<RW.PlanSetPayload["firstDay"]>().toEqualTypeOf<PlanSet["firstDay"]>();
    expectTypeOf<RW.PlanSetPayload["plan"]>().toEqualTypeOf<Plan>();
    expectTypeOf<RW.PlanSetPayload["openDays"]>().toEqualTypeOf<Weekday[]>();
    // zod types an enum's value `T[keyof T] & {}`: `(Weekday & {})[]` is Weekday[] both ways, but not identical
    // to expect-type's eye (nor the whole object, hence the two-way checks above).
    expectTypeOf<RW.PlanSetPayload["openDays"]>().toExtend<PlanSet["openDays"]>();
    expectTypeOf<PlanSet["openDays"]>().toExtend<RW.PlanSetPayload["openDays"]>();
    // @ts-expect-error a string literal is not the enum (zod's type is the enum itself)
    const j: RW.PlanSetPayload["plan"] = "free";
    void j;
  });
  test("coercion and preprocessing: the output is zod's; the input narrows zod's `unknown` to what JSON carries", () => {
    type Search = C2S["search"]["payload"];
    expectTypeOf<RW.SearchPayload>().toEqualTypeOf<Out<Search>>();
    // z.preprocess: zod's input key is required and `unknown`, and so is the printed one.
    expectTypeOf<RW.SearchPayloadInput["page"]>().toEqualTypeOf<In<Search>["page"]>();
    expectTypeOf<Omit<RW.SearchPayloadInput, "since" | "minBudget">>().toEqualTypeOf<
      Omit<In<Search>, "since" | "minBudget">
    >();
    // z.coerce.date() / z.coerce.bigint(): zod's input is `unknown`; the printed one is what JSON can carry to them.
    expectTypeOf<RW.SearchPayloadInput>().toExtend<In<Search>>();
    expectTypeOf<RW.SearchPayloadInput["since"]>().toEqualTypeOf<string | number | Date | undefined>();
    expectTypeOf<RW.SearchPayloadInput["minBudget"]>().toEqualTypeOf<string | number | undefined>();
    // @ts-expect-error a bigint would not survive JSON.stringify: a sender cannot write one
    const f: RW.SearchPayloadInput = { page: 1, text: "x", minBudget: 5n };
    void f;
  });
});

/**
 * The python-socketio tutorial's handlers, on the generated interfaces. Compare with the tutorial:
 *
 *   @sio.on('chat')        def begin_chat(sid):   sio.enter_room(sid, 'chat_users')
 *   @sio.on('my message')  def message(sid, data): sio.emit('my reply', data, room='chat_users', skip_sid=sid)
 *
 * Every method below is required by `ChatHandlers` / `ChatAdminHandlers`: add an event to the contract, run
 * `npm run generate`, and the compiler names the handler to write.
 */
import type {
  ChatAdminContext,
  ChatAdminHandlers,
  ChatContext,
  ChatHandlers,
  ChatServer,
  Message,
  NameClaimedPayload,
  NameReleasedPayload,
} from "@iocontract/chat-server-sdk";

import { timingSafeEqual } from "node:crypto";
import { MemoryNameClaims, type NameClaims, checkName } from "./names";

const CHAT_ROOM = "chat_users";

/**
 * The users connected to "/", by sid: the example keeps them in memory. Names are unique across the cluster:
 * each is claimed atomically in `claims` (in memory for one node, on Redis for several: see ./names.ts) under
 * its normalized key, so two simultaneous handshakes for one name admit one. Each node also tells the others
 * the names it accepts and frees (the contract's inter-server events), which `remote` keeps for display.
 */
export class Directory {
  /** Connections of this node. */
  readonly names = new Map<string, string>();
  /** Connections of the other nodes, as they announced them. */
  readonly remote = new Map<string, string>();
  /** The claim key of each connection of this node. */
  readonly keys = new Map<string, string>();

  constructor(readonly claims: NameClaims = new MemoryNameClaims()) {}
}

export class ChatHandlersImpl implements ChatHandlers {
  constructor(
    private readonly directory: Directory,
    private readonly server: () => ChatServer,
  ) {}

  async connect(ctx: ChatContext): Promise<void> {
    // python: @sio.on('connect') def on_connect(sid, environ) — the handshake is typed and already validated.
    const checked = checkName(ctx.handshake.auth.name ?? `guest-${ctx.sid.slice(0, 5)}`);
    if (!checked.ok) throw ctx.refuse("UNAUTHORIZED", `name refused: ${checked.reason}`);
    const name = checked.display;
    const server = this.server();
    const isLive = async (sid: string) => (await server.rooms(sid).catch(() => [])).length > 0;
    if (!(await this.directory.claims.claim(checked.key, ctx.sid, isLive))) {
      throw ctx.refuse("NAME_TAKEN", `the name ${JSON.stringify(name)} is taken`, { name });
    }
    this.directory.keys.set(ctx.sid, checked.key);
    this.directory.names.set(ctx.sid, name);
    ctx.setSession({ user: name, joinedAt: Date.now() });
    this.server().serverSideEmit.nameClaimed({ sid: ctx.sid, name }); // to the other nodes, if any
    this.server().namespaces["/admin"].emit.userJoined({ sid: ctx.sid, user: name });
  }

  disconnect(ctx: ChatContext): void {
    const user = this.directory.names.get(ctx.sid);
    const key = this.directory.keys.get(ctx.sid);
    this.directory.names.delete(ctx.sid);
    this.directory.keys.delete(ctx.sid);
    if (key !== undefined) void this.directory.claims.release(key, ctx.sid).catch(() => {});
    if (user === undefined) return;
    this.server().serverSideEmit.nameReleased({ sid: ctx.sid });
    this.server().namespaces["/admin"].emit.userLeft({ sid: ctx.sid, user });
  }

  // Inter-server events: another node of the cluster accepted or freed a name.
  nameClaimed(payload: NameClaimedPayload): void {
    this.directory.remote.set(payload.sid, payload.name);
  }

  nameReleased(payload: NameReleasedPayload): void {
    this.directory.remote.delete(payload.sid);
  }

  myCustomEvent(payload: Message, ctx: ChatContext): void {
    ctx.emit.myReply({ data: `you said: ${payload.data}`, from: "server", at: Date.now() });
  }

  chat(ctx: ChatContext): void {
    ctx.join(CHAT_ROOM);
  }

  exitChat(ctx: ChatContext): void {
    if (!ctx.rooms.includes(CHAT_ROOM))
      throw ctx.error("NOT_IN_ROOM", { room: CHAT_ROOM }, "you are not in chat_users");
    ctx.leave(CHAT_ROOM);
  }

  async myMessage(payload: Message, ctx: ChatContext): Promise<{ delivered: number }> {
    if (!ctx.rooms.includes(CHAT_ROOM)) throw ctx.error("NOT_IN_ROOM", { room: CHAT_ROOM }, "join chat_users first");
    const from = ctx.session?.user ?? ctx.sid;
    // python: sio.emit('my reply', data, room='chat_users', skip_sid=sid)
    ctx.to(CHAT_ROOM).except(ctx.sid).emit.myReply({ data: payload.data, from, at: Date.now() });
    const members = await this.server().sids(CHAT_ROOM);
    return { delivered: members.filter((sid) => sid !== ctx.sid).length };
  }

  myRooms(ctx: ChatContext): { rooms: string[] } {
    return { rooms: ctx.rooms };
  }
}

export class AdminHandlersImpl implements ChatAdminHandlers {
  /** `undefined`: the admin namespace is off (no ADMIN_TOKEN): every connection is refused. */
  private readonly token: Buffer | undefined;
  constructor(
    adminToken: string | undefined,
    private readonly server: () => ChatServer,
  ) {
    this.token = adminToken === undefined || adminToken === "" ? undefined : Buffer.from(adminToken);
  }

  connect(ctx: ChatAdminContext): void {
    if (this.token === undefined)
      throw ctx.refuse("UNAUTHORIZED", "the admin namespace is off (the server has no ADMIN_TOKEN)");
    const given = Buffer.from(ctx.handshake.auth.token);
    // Same length first (timingSafeEqual needs it), then a comparison whose time does not depend on the bytes.
    if (given.length !== this.token.length || !timingSafeEqual(given, this.token))
      throw ctx.refuse("UNAUTHORIZED", "wrong admin token");
  }

  async stats(): Promise<{ connected: number; chatUsers: number }> {
    const server = this.server();
    return { connected: (await server.sids()).length, chatUsers: (await server.sids(CHAT_ROOM)).length };
  }

  async announce(payload: { text: string }): Promise<{ recipients: number }> {
    const server = this.server();
    server.send({ data: `[announcement] ${payload.text}` }); // python: sio.send(data)
    return { recipients: (await server.sids()).length };
  }
}

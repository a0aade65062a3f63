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

export const CHAT_ROOM = "chat_users";

/**
 * The users connected to "/", by sid: the example keeps them in memory. With several nodes (REDIS_URL), each
 * node tells the others the names it accepts and frees (the contract's inter-server events), so a name is
 * unique across the cluster (best effort: two nodes accepting one name in the same instant both win).
 */
export class Directory {
  /** Connections of this node. */
  readonly names = new Map<string, string>();
  /** Connections of the other nodes, as they announced them. */
  readonly remote = new Map<string, string>();

  /**
   * True when a connection holds `name`. A name held on another node counts only while that connection is
   * still there: a node that died (SIGKILL) never said goodbye, so its claims are checked before they block.
   */
  async isTaken(name: string, server: ChatServer): Promise<boolean> {
    const wanted = name.toLowerCase();
    for (const taken of this.names.values()) if (taken.toLowerCase() === wanted) return true;
    for (const [sid, taken] of [...this.remote]) {
      if (taken.toLowerCase() !== wanted) continue;
      const rooms = await server.rooms(sid).catch(() => []);
      if (rooms.length > 0) return true;
      this.remote.delete(sid);
    }
    return false;
  }
}

export class ChatHandlersImpl implements ChatHandlers {
  constructor(
    private readonly directory: Directory,
    private readonly server: () => ChatServer,
  ) {}

  async connect(ctx: ChatContext): Promise<void> {
    // python: @sio.on('connect') def on_connect(sid, environ) — the handshake is typed and already validated.
    const name = ctx.handshake.auth.name ?? `guest-${ctx.sid.slice(0, 5)}`;
    if (await this.directory.isTaken(name, this.server())) throw ctx.refuse("NAME_TAKEN", `the name ${JSON.stringify(name)} is taken`, { name });
    this.directory.names.set(ctx.sid, name);
    ctx.setSession({ user: name, joinedAt: Date.now() });
    this.server().serverSideEmit.nameClaimed({ sid: ctx.sid, name }); // to the other nodes, if any
    this.server().namespaces["/admin"].emit.userJoined({ sid: ctx.sid, user: name });
  }

  disconnect(ctx: ChatContext): void {
    const user = this.directory.names.get(ctx.sid);
    this.directory.names.delete(ctx.sid);
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
    if (!ctx.rooms.includes(CHAT_ROOM)) throw ctx.error("NOT_IN_ROOM", { room: CHAT_ROOM }, "you are not in chat_users");
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
  constructor(
    private readonly adminToken: string,
    private readonly server: () => ChatServer,
  ) {}

  connect(ctx: ChatAdminContext): void {
    if (ctx.handshake.auth.token !== this.adminToken) throw ctx.refuse("UNAUTHORIZED", "wrong admin token");
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

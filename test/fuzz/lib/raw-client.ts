/**
 * A Socket.IO client written against the bytes (Engine.IO v4 over a plain websocket, `ws`): it sends exactly
 * the frames it is given, so the fuzzer can send what no real client library would.
 */
import WebSocket from "ws";
import { EIO, SIO, type IncomingPacket, decodePacket } from "./wire";

export interface ServerEvent {
  readonly nsp: string;
  readonly event: unknown;
  readonly args: unknown[];
}

type Waiter = (packet: IncomingPacket | undefined) => void;

export class RawConnection {
  readonly ws: WebSocket;
  /** Engine.IO session id, once open. */
  engineSid: string | undefined;
  /** Socket.IO sid per connected namespace. */
  readonly sids = new Map<string, string>();
  closed = false;
  closeCode: number | undefined;
  private readonly acks = new Map<string, Waiter>();
  private readonly connects = new Map<string, Waiter>();
  /** Far from the small ids the fuzzer writes into hand-made packets. */
  private nextAckId = 1_000_000;
  private readonly eventListeners = new Set<(event: ServerEvent) => void>();
  private readonly closeListeners = new Set<() => void>();
  /** Anything the client could not read (the server should never send it). */
  readonly protocolErrors: string[] = [];
  /** Acks for ids the client did not register (sent inside hand-made packets). */
  strayAcks = 0;
  private opened: Promise<void>;

  constructor(url: string) {
    this.ws = new WebSocket(`${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: false,
    });
    this.opened = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("engine.io open timed out")), 10_000);
      this.ws.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      this.ws.on("message", (data, isBinary) => {
        if (isBinary) return; // the server sends no binary in these tests
        const text = data.toString();
        if (text.startsWith(EIO.OPEN)) {
          this.engineSid = (JSON.parse(text.slice(1)) as { sid: string }).sid;
          clearTimeout(timer);
          resolve();
        } else {
          this.onText(text);
        }
      });
    });
    this.opened.catch(() => {});
    this.ws.on("error", () => {});
    this.ws.on("close", (code) => {
      this.closed = true;
      this.closeCode = code;
      for (const waiter of [...this.acks.values(), ...this.connects.values()]) waiter(undefined);
      this.acks.clear();
      this.connects.clear();
      for (const listener of this.closeListeners) listener();
    });
  }

  open(): Promise<void> {
    return this.opened;
  }

  private onText(text: string): void {
    const type = text.charAt(0);
    if (type === EIO.PING) {
      this.sendText(EIO.PONG);
      return;
    }
    if (type !== EIO.MESSAGE) return;
    let packet: IncomingPacket;
    try {
      packet = decodePacket(text.slice(1));
    } catch (error) {
      this.protocolErrors.push(`${String(error)}: ${text.slice(0, 200)}`);
      return;
    }
    switch (packet.type) {
      case SIO.CONNECT:
      case SIO.CONNECT_ERROR: {
        if (packet.type === SIO.CONNECT) this.sids.set(packet.nsp, (packet.data as { sid: string }).sid);
        const waiter = this.connects.get(packet.nsp);
        this.connects.delete(packet.nsp);
        waiter?.(packet);
        break;
      }
      case SIO.ACK: {
        const key = `${packet.nsp}#${packet.id}`;
        const waiter = this.acks.get(key);
        this.acks.delete(key);
        // An ack for an id the fuzzer sent by hand in a raw packet: nobody waits for it.
        if (waiter === undefined) this.strayAcks++;
        else waiter(packet);
        break;
      }
      case SIO.EVENT: {
        const [event, ...args] = packet.data as unknown[];
        for (const listener of this.eventListeners) listener({ nsp: packet.nsp, event, args });
        break;
      }
      case SIO.DISCONNECT:
        this.sids.delete(packet.nsp);
        break;
      default:
        this.protocolErrors.push(`unexpected packet: ${text.slice(0, 200)}`);
    }
  }

  onEvent(listener: (event: ServerEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  sendText(text: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  send(frame: string | Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame, { binary: typeof frame !== "string" });
  }

  /** Joins a namespace; resolves with the CONNECT or CONNECT_ERROR packet, or undefined if the connection closed. */
  connect(nsp: string, auth?: unknown, timeoutMs = 10_000): Promise<IncomingPacket | undefined> {
    return new Promise((resolve, reject) => {
      if (this.closed) return resolve(undefined);
      const timer = setTimeout(() => {
        this.connects.delete(nsp);
        reject(new Error(`no CONNECT answer for ${nsp} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.connects.set(nsp, (packet) => {
        clearTimeout(timer);
        resolve(packet);
      });
      const nspPart = nsp === "/" ? "" : nsp + ",";
      this.sendText(`${EIO.MESSAGE}${SIO.CONNECT}${nspPart}${auth === undefined ? "" : JSON.stringify(auth)}`);
    });
  }

  /** A fresh ack id for `nsp`. */
  ackId(): number {
    return this.nextAckId++;
  }

  /**
   * Waits for the ack with this id; resolves with its packet, undefined if the connection closed first, or
   * "timeout" after `timeoutMs`.
   */
  waitAck(nsp: string, id: number, timeoutMs: number): Promise<IncomingPacket | undefined | "timeout"> {
    return new Promise((resolve) => {
      if (this.closed) return resolve(undefined);
      const key = `${nsp}#${id}`;
      const timer = setTimeout(() => {
        this.acks.delete(key);
        resolve("timeout");
      }, timeoutMs);
      this.acks.set(key, (packet) => {
        clearTimeout(timer);
        resolve(packet);
      });
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

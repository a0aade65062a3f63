/**
 * The packet-size limit (`maxPayloadBytes`): every message packet a client sends is measured before socket.io
 * decodes it; an event's binary attachments count with its packet and must all arrive in time (../limits.ts
 * `AttachmentWatch`). Over the limit: the client is told (PAYLOAD_TOO_LARGE on the reserved error event, naming
 * the event when its name can be read) and disconnected; the packet never reaches socket.io.
 */
import { AttachmentWatch, notePacketBytes } from "../limits";
import { WireErrorCode } from "../wire";
import type { EngineSocket } from "./notice";

/** The event name at the start of a Socket.IO EVENT packet (`2/admin,12["name",...`), or "" — never the whole packet. */
export function eventNameOf(packet: string): string {
  const match = /^[2356]\d*-?(?:\/[^,]{0,200},)?\d*\["((?:[^"\\]|\\.){0,200})"/.exec(packet.slice(0, 512));
  if (match === null) return "";
  try {
    return JSON.parse(`"${match[1]}"`) as string;
  } catch {
    return "";
  }
}

/**
 * The size of a packet's data in bytes, exact whenever it might be over `limit`: UTF-8 takes at most 3 bytes
 * per UTF-16 unit, so a string is counted in bytes only when its length times 3 is over the limit.
 */
export function packetSize(data: unknown, limit: number): number {
  if (typeof data === "string") return data.length * 3 <= limit ? data.length : Buffer.byteLength(data);
  return (data as { byteLength?: number } | undefined)?.byteLength ?? 0;
}

/** What the limit needs of the server. */
export interface PacketLimitHost {
  readonly maxPayloadBytes: number;
  readonly attachmentTimeoutMs: number;
  /** Tells the connection's sockets why (the reserved error event), then closes it (./notice.ts `closeWith`). */
  closeWith(conn: EngineSocket, event: string, code: string, what: string, details: unknown): void;
}

/** Enforces the limit on every packet of one connection (call once per engine.io connection). */
export function watchPackets(host: PacketLimitHost, conn: EngineSocket): void {
  const limit = host.maxPayloadBytes;
  const tooLarge = (size: number, event: string) => {
    const label = event === "" ? "a packet" : `event ${JSON.stringify(event)}`;
    host.closeWith(
      conn,
      event,
      WireErrorCode.PAYLOAD_TOO_LARGE,
      `${label} of ${size} bytes is over the limit of ${limit} bytes; disconnecting`,
      {
        limitBytes: limit,
        sizeBytes: size,
      },
    );
  };
  const attachments = new AttachmentWatch(limit, host.attachmentTimeoutMs, (kind, event, bytes) => {
    if (kind === "size") return tooLarge(bytes, event);
    host.closeWith(
      conn,
      event,
      WireErrorCode.ATTACHMENTS_INCOMPLETE,
      `the binary attachments of ${event === "" ? "an event" : `event ${JSON.stringify(event)}`} did not ` +
        `all arrive within ${host.attachmentTimeoutMs} ms; disconnecting`,
      { timeoutMs: host.attachmentTimeoutMs },
    );
  });
  conn.once("close", () => attachments.clear());
  conn.on("packet", (packet: { type: string; data?: unknown }) => {
    if (packet.type !== "message") return;
    const data = packet.data;
    const size = packetSize(data, limit);
    if (size <= limit) {
      notePacketBytes(conn, size);
      if (attachments.admit(packet, size, eventNameOf)) return;
    } else {
      attachments.clear();
      tooLarge(size, typeof data === "string" ? eventNameOf(data) : "");
    }
    // Dropped here: engine.io hands the packet to socket.io after its "packet" listeners, by type.
    packet.type = "noop";
    packet.data = undefined;
  });
}

/**
 * Graceful shutdown, one object: it owns the draining flag (new connections and events are refused with
 * SHUTTING_DOWN once set), the count of async handlers still running, and the deadline `close()` waits for
 * them. Then it tells every client and closes their transports so that they reconnect — to another node
 * behind the same address, or to this one's replacement.
 */
import type { Server, Socket } from "socket.io";
import { WireErrorCode } from "../wire";
import { type EngineSocket, notify } from "./notice";

/** What shutdown needs of the server. */
export interface ShutdownHost {
  readonly contractName: string;
  /** Attached to an application's socket.io Server: only the contract's sockets are told and disconnected. */
  readonly attached: boolean;
  /** The contract's connected sockets, every namespace. */
  sockets(): Iterable<Socket>;
  /** Stops listening (a Server of our own), so that a replacement can take the port. */
  stopListening(): void;
  /** Closes the socket.io Server of our own (and its HTTP server). */
  closeServer(): Promise<void>;
}

export class Shutdown {
  /** Set by {@link close}: new connections are refused and new events answered SHUTTING_DOWN. */
  draining = false;
  /** Async handlers still running. */
  private inflight = 0;
  /** Called when {@link inflight} drops to 0 while draining. */
  private onIdle: (() => void) | undefined;
  private closing: Promise<void> | undefined;
  private readonly done = (): void => {
    if (--this.inflight === 0) this.onIdle?.();
  };

  constructor(private readonly host: ShutdownHost) {}

  /** How many async handlers are running. */
  get running(): number {
    return this.inflight;
  }

  /** Counts a running handler until `work` settles (it must not reject: dispatch's never do). */
  track(work: Promise<void>): void {
    this.inflight++;
    work.then(this.done, this.done);
  }

  /** Starts draining (once; later calls get the same promise), waits for running handlers, then closes. */
  close(deadlineMs: number): Promise<void> {
    return (this.closing ??= this.shutdown(deadlineMs));
  }

  /** Resolves when no handler is running, or after `deadlineMs`, whichever comes first. */
  idle(deadlineMs: number): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(finish, deadlineMs);
      const self = this;
      function finish(): void {
        clearTimeout(timer);
        self.onIdle = undefined;
        resolve();
      }
      this.onIdle = finish;
    });
  }

  private async shutdown(deadlineMs: number): Promise<void> {
    const host = this.host;
    this.draining = true;
    // Stop listening at once; open connections stay until below.
    if (!host.attached) host.stopListening();
    await this.idle(deadlineMs);
    if (host.attached) {
      // The application's Server and HTTP server stay up, and so do its other namespaces on the same
      // connections: only the contract's sockets are told and disconnected.
      for (const socket of host.sockets()) {
        notify(socket, host.contractName, "", WireErrorCode.SHUTTING_DOWN, "the server is shutting down");
        socket.disconnect();
      }
      return;
    }
    const conns = new Set<EngineSocket>();
    for (const socket of host.sockets()) {
      notify(socket, host.contractName, "", WireErrorCode.SHUTTING_DOWN, "the server is shutting down; reconnecting");
      conns.add(socket.conn);
    }
    // Closing the transport (not a Socket.IO disconnect) makes every client, python-socketio's too, reconnect.
    await Promise.all(
      [...conns].map(
        (conn) =>
          new Promise<void>((resolve) => {
            if (conn.readyState === "closed") return resolve();
            conn.once("close", () => resolve());
            conn.close();
          }),
      ),
    );
    await host.closeServer();
  }
}

/** Closes a socket.io Server; a Server whose HTTP server was not running is closed too. */
export function closeIo(io: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    io.close((error) => {
      if (error && (error as NodeJS.ErrnoException).code !== "ERR_SERVER_NOT_RUNNING") reject(error);
      else resolve();
    });
  });
}

/**
 * Senders' per-event methods (`emit.<event>(payload)`, `request.<event>(payload)`) are made once per namespace,
 * as a prototype whose methods read what they send through from `this`. A call site gets a small object over
 * that prototype: {@link over}. Used by the server and the emitter alike.
 */

/** What the per-event methods of a prototype read from `this`. */
export interface Target<T = unknown> {
  /** What the event goes through: a socket, a namespace, a room selection, an Emitter. */
  readonly target: T;
  /** The one socket a request asks, when it was chosen by id (`server.socket(sid)`). */
  readonly sid: string | undefined;
  /** The connection's request tracker, for `ctx.request` (rejects when it disconnects). */
  readonly tracker: unknown;
}

/** An object over `proto` whose methods send through `target`. */
export function over<T>(proto: object, target: unknown, sid?: string, tracker?: unknown): T {
  const obj = Object.create(proto) as { -readonly [K in keyof Target]: Target[K] };
  obj.target = target;
  obj.sid = sid;
  obj.tracker = tracker;
  return obj as unknown as T;
}

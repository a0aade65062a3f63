/**
 * Inter-server events: a contract's `serverToServer` events, sent with socket.io's `serverSideEmit` to the other
 * nodes of a cluster (through the adapter: Redis, Redis streams...) and received by a method of the namespace's
 * handler object. Validated on both sides: an invalid payload never leaves, and one that arrives invalid (an
 * older node, another program on the same Redis) is reported through `onError` and never reaches a handler.
 *
 * Kept apart from the server (server/namespace.ts), which only calls {@link attachInterServer} once per namespace.
 */
import type { EventEmitter } from "node:events";
import type { Namespace } from "socket.io";
import { type ResolvedEvent, type ResolvedNamespace, isThenable, issueDetails } from "./spec";
import { IocontractError, WireErrorCode, formatIssues } from "./wire";

/** What the server runtime gives this module for one namespace. */
export interface InterServerHost {
  readonly spec: ResolvedNamespace;
  readonly nsp: Namespace;
  readonly handlers: Record<string, unknown>;
  /**
   * The arguments an outgoing payload travels as (checked, encoded for a schema with a codec: ./spec.ts
   * `payloadArgs`); throws an IocontractError naming contract, namespace, event and field when it is invalid.
   */
  args(ev: ResolvedEvent, payload: unknown): unknown[];
  report(error: unknown, info: { namespace: string; event: string; sid: undefined }): void;
}

/**
 * Registers a listener per inter-server event and returns the prototype of `serverSideEmit.<event>(payload)`
 * (methods over `{ target: Namespace }`).
 */
export function attachInterServer(host: InterServerHost): object {
  const { spec, nsp } = host;
  const proto: Record<string, unknown> = {};
  for (const ev of spec.serverToServer) {
    const handler = host.handlers[ev.method];
    if (typeof handler !== "function") {
      throw new Error(
        `iocontract: ${ev.label}: the handler object has no method ${ev.method}() for this inter-server event`,
      );
    }
    const info = { namespace: spec.path, event: ev.wire, sid: undefined };
    const receive = (...args: unknown[]): void => {
      try {
        // serverSideEmitWithAck() from a program that does not follow the contract: no ack is ever given.
        if (typeof args[args.length - 1] === "function") args.pop();
        let result: unknown;
        if (ev.payload === undefined) {
          if (args.length !== 0)
            return host.report(invalid(ev, `expected no payload, got ${args.length} argument(s)`), info);
          result = handler.call(host.handlers);
        } else {
          if (args.length !== 1)
            return host.report(invalid(ev, `expected 1 payload argument, got ${args.length}`), info);
          const checked = ev.checkPayload!(args[0]);
          if (!checked.ok) {
            return host.report(
              new IocontractError(
                WireErrorCode.REQUEST_INVALID,
                `${ev.label}: received from another server: ${formatIssues(checked.issues, undefined, checked.total)}`,
                {
                  details: issueDetails(checked),
                  event: ev.wire,
                },
              ),
              info,
            );
          }
          result = handler.call(host.handlers, checked.value);
        }
        if (isThenable(result)) result.then(undefined, (error: unknown) => host.report(error, info));
      } catch (error) {
        host.report(error, info);
      }
    };
    (nsp as unknown as EventEmitter).on(ev.wire, receive);
    proto[ev.method] = function (this: { target: Namespace }, payload?: unknown) {
      const args = host.args(ev, payload);
      if (!spansNodes(this.target)) return;
      this.target.serverSideEmit(ev.wire, ...args);
    };
  }
  return proto;
}

function invalid(ev: ResolvedEvent, message: string): IocontractError {
  return new IocontractError(WireErrorCode.REQUEST_INVALID, `${ev.label}: received from another server: ${message}`, {
    event: ev.wire,
  });
}

const spanning = new WeakMap<object, boolean>();

/**
 * False for socket.io's in-memory adapter (one node: nobody to tell), whose `serverSideEmit` only prints a
 * warning. Any adapter that overrides `serverSideEmit` (Redis, Redis streams, cluster...) spans nodes.
 */
function spansNodes(nsp: Namespace): boolean {
  const adapter = nsp.adapter as object;
  let known = spanning.get(adapter);
  if (known === undefined) {
    let proto: object | null = Object.getPrototypeOf(adapter) as object | null;
    while (proto !== null && !Object.hasOwn(proto, "serverSideEmit"))
      proto = Object.getPrototypeOf(proto) as object | null;
    const owner = (proto as { constructor?: { name?: string } } | null)?.constructor?.name;
    known = owner !== undefined && owner !== "Adapter";
    spanning.set(adapter, known);
  }
  return known;
}

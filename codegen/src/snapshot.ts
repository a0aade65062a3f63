/**
 * The contract snapshot: a language-neutral JSON description of the contract that `generate` writes and `--check`
 * compares like every generated file. It is what `iocontract diff` reads at an older git ref, so it says
 * everything compatibility depends on: events per namespace and direction (wire name and identifier), the JSON
 * Schema of every payload, ack, auth and error detail as sent (`input`) and as received (`output`), timeouts,
 * rate limits, error codes and the contract's version. Deterministic: the contract's own order, 2-space JSON.
 */
import path from "node:path";
import type { Contract, EventDef, RateLimit } from "@iocontract/runtime/contract";
import type { IocontractConfig } from "./config.js";
import { type JsonSchema, bothSides } from "./json-schema.js";
import type { ContractModel } from "./model.js";
import { type GeneratedFile, snapshotPath } from "./outputs.js";

/** Bump when the layout changes in a way an older `iocontract diff` would misread. */
const SNAPSHOT_FORMAT = 1;

export interface Sides {
  /** What a sender may write (and the receiver accepts): zod's input side. */
  readonly input: JsonSchema;
  /** What the receiving handler gets after parsing: zod's output side. */
  readonly output: JsonSchema;
}

export interface EventSnapshot {
  readonly identifier: string;
  readonly doc?: string;
  readonly payload?: Sides;
  readonly ack?: Sides;
  readonly timeoutMs?: number;
  readonly rateLimit?: RateLimit;
}

export type Direction = "clientToServer" | "serverToClient" | "serverToServer";
export const DIRECTIONS: readonly Direction[] = ["clientToServer", "serverToClient", "serverToServer"];

export interface NamespaceSnapshot {
  readonly doc?: string;
  readonly auth?: Sides;
  readonly errors: Readonly<Record<string, Sides>>;
  readonly clientToServer: Readonly<Record<string, EventSnapshot>>;
  readonly serverToClient: Readonly<Record<string, EventSnapshot>>;
  readonly serverToServer: Readonly<Record<string, EventSnapshot>>;
}

export interface ContractSnapshot {
  readonly iocontractSnapshot: number;
  readonly contract: string;
  readonly version: string;
  readonly doc?: string;
  readonly namespaces: Readonly<Record<string, NamespaceSnapshot>>;
}

export function buildSnapshot(contract: Contract, model: ContractModel): ContractSnapshot {
  const namespaces: Record<string, NamespaceSnapshot> = {};
  for (const nsModel of model.namespaces) {
    const ns = contract.namespaces[nsModel.path]!;
    const events = (direction: Direction): Record<string, EventSnapshot> => {
      const defs = (ns[direction] ?? {}) as Readonly<Record<string, EventDef>>;
      const out: Record<string, EventSnapshot> = {};
      for (const ev of nsModel[direction]) {
        const def = defs[ev.wire]!;
        out[ev.wire] = {
          identifier: ev.ident,
          ...(def.doc !== undefined ? { doc: def.doc } : {}),
          ...(def.payload !== undefined ? { payload: bothSides(def.payload) } : {}),
          ...(def.ack !== undefined ? { ack: bothSides(def.ack) } : {}),
          ...(def.timeoutMs !== undefined ? { timeoutMs: def.timeoutMs } : {}),
          ...(def.rateLimit !== undefined
            ? {
                rateLimit: {
                  perSecond: def.rateLimit.perSecond,
                  ...(def.rateLimit.burst !== undefined ? { burst: def.rateLimit.burst } : {}),
                },
              }
            : {}),
        };
      }
      return out;
    };
    namespaces[nsModel.path] = {
      ...(ns.doc !== undefined ? { doc: ns.doc } : {}),
      ...(ns.auth !== undefined ? { auth: bothSides(ns.auth) } : {}),
      errors: Object.fromEntries(Object.entries(ns.errors ?? {}).map(([code, schema]) => [code, bothSides(schema)])),
      clientToServer: events("clientToServer"),
      serverToClient: events("serverToClient"),
      serverToServer: events("serverToServer"),
    };
  }
  return {
    iocontractSnapshot: SNAPSHOT_FORMAT,
    contract: contract.name,
    version: contract.version,
    ...(contract.doc !== undefined ? { doc: contract.doc } : {}),
    namespaces,
  };
}

export function printSnapshot(snapshot: ContractSnapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/** The snapshot file of a config (none when the config sets `snapshot: false`). */
export function snapshotFiles(
  contract: Contract,
  model: ContractModel,
  rootDir: string,
  config: IocontractConfig,
): GeneratedFile[] {
  const file = snapshotPath(rootDir, config);
  return file === undefined ? [] : [{ path: path.resolve(file), text: printSnapshot(buildSnapshot(contract, model)) }];
}

/** Reads a snapshot's text, checking that it is one. */
export function parseSnapshot(text: string, from: string): ContractSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${from} is not JSON (${(error as Error).message})`);
  }
  const snap = value as Partial<ContractSnapshot> | null;
  if (
    snap === null ||
    typeof snap !== "object" ||
    typeof snap.iocontractSnapshot !== "number" ||
    typeof snap.namespaces !== "object"
  ) {
    throw new Error(`${from} is not an iocontract contract snapshot`);
  }
  if (snap.iocontractSnapshot > SNAPSHOT_FORMAT)
    throw new Error(
      `${from} has snapshot format ${snap.iocontractSnapshot}; this iocontract reads up to ${SNAPSHOT_FORMAT}: upgrade it`,
    );
  return snap as ContractSnapshot;
}

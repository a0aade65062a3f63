/**
 * The contract as an AsyncAPI 3.0 document, describing the server (the application that receives client→server
 * events and sends server→client events).
 *
 * - One channel per namespace: a Socket.IO namespace is what a client connects to (one connection, one handshake
 *   auth, one set of error codes), which is what an AsyncAPI channel's address names; the event is the message.
 * - One message per event and direction, its payload the JSON Schema (draft-07, the AsyncAPI schema's base) of
 *   what a sender may write; acks are separate messages, used as the operation's reply, and each error code is a
 *   message in the reply (the ack envelope `{ ok: false, error }`) and in the namespace's error event.
 * - Operations: `receive` for client→server events, `send` for server→client events, `send` + `receive` for
 *   inter-server events (`serverSideEmit`).
 * - The handshake auth is a security scheme (type `apiKey` in the user field, the closest AsyncAPI type) whose
 *   `x-iocontract-auth` holds the schema of Socket.IO's `auth` object.
 * - Socket.IO specifics are `x-` extensions: `x-socketio-namespace`, `x-socketio-event` (the wire name),
 *   `x-iocontract-identifier`, `x-iocontract-timeout-ms`, `x-iocontract-rate-limit`, `x-iocontract-ack-envelope`.
 */
import {
  type Contract,
  type EventDef,
  type NamespaceDef,
  type Schema,
  DEFAULT_ACK_TIMEOUT_MS,
} from "@iocontract/runtime/contract";
import { ERROR_EVENT } from "@iocontract/runtime/v1/wire";
import { toJsonSchema } from "./json-schema.js";
import type { ContractModel, EventModel } from "./model.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const DIRECTION_ACTION = {
  clientToServer: ["receive"],
  serverToClient: ["send"],
  serverToServer: ["send", "receive"],
} as const;
const DIRECTION_TITLE = {
  clientToServer: "client → server",
  serverToClient: "server → client",
  serverToServer: "server → server",
} as const;

function channelId(path: string): string {
  if (path === "/") return "root";
  return path.slice(1).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase());
}

/** Schemas that refer to themselves or to shared definitions: kept in components.schemas, since a `$ref` in a message resolves against the whole document. */
type Components = Record<string, Json>;

function embed(schema: Schema, key: string, components: Components): Json {
  const js = { ...toJsonSchema(schema, "input", "draft-7") } as Record<string, Json>;
  const defs = (js["definitions"] ?? {}) as Record<string, Json>;
  delete js["definitions"];
  const name = (def: string) => `${key}_${def.replace(/[^A-Za-z0-9._-]/g, "_")}`;
  let selfRef = false;
  const rewrite = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (v === null || typeof v !== "object") return v;
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === "$ref" && typeof x === "string") {
        if (x === "#") {
          selfRef = true;
          out[k] = `#/components/schemas/${key}`;
        } else if (x.startsWith("#/definitions/"))
          out[k] = `#/components/schemas/${name(decodeURIComponent(x.slice(14)))}`;
        else out[k] = x;
      } else out[k] = rewrite(x);
    }
    return out;
  };
  const body = rewrite(js);
  for (const [d, x] of Object.entries(defs)) components[name(d)] = rewrite(x);
  if (!selfRef) return body;
  components[key] = body;
  return { $ref: `#/components/schemas/${key}` };
}

function ref(...parts: string[]): { $ref: string } {
  return { $ref: `#/${parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}` };
}

export function buildAsyncApi(contract: Contract, model: ContractModel): Json {
  const channels: Record<string, Json> = {};
  const operations: Record<string, Json> = {};
  const securitySchemes: Record<string, Json> = {};
  const schemas: Components = {};
  for (const ns of model.namespaces) {
    const def: NamespaceDef = contract.namespaces[ns.path]!;
    const id = channelId(ns.path);
    const messages: Record<string, Json> = {};
    const errorMessages: string[] = [];
    for (const [code, schema] of Object.entries(def.errors ?? {})) {
      const key = `error${code.toLowerCase().replace(/(^|_)(.)/g, (_m, _s, c: string) => c.toUpperCase())}`;
      errorMessages.push(key);
      messages[key] = {
        name: code,
        title: `Error ${code}`,
        summary: `The error ${code}, in an ack envelope ({ ok: false, error }) or in the ${ERROR_EVENT} event.`,
        payload: {
          type: "object",
          properties: {
            ok: { const: false },
            error: {
              type: "object",
              properties: {
                code: { const: code },
                message: { type: "string" },
                details: embed(schema, `${id}_${key}`, schemas),
              } as Json,
              required: ["code", "message"],
            },
          },
          required: ["ok", "error"],
        } as Json,
      };
    }
    if (def.auth !== undefined) {
      securitySchemes[`${id}Auth`] = {
        type: "apiKey",
        in: "user",
        description:
          `Socket.IO's handshake \`auth\` object for namespace ${ns.path}, checked against the schema in ` +
          `x-iocontract-auth; refused with UNAUTHORIZED.`,
        "x-iocontract-auth": embed(def.auth, `${id}_auth`, schemas),
      };
    }
    for (const direction of ["clientToServer", "serverToClient", "serverToServer"] as const) {
      const defs = (def[direction] ?? {}) as Readonly<Record<string, EventDef>>;
      for (const ev of ns[direction]) {
        const evDef = defs[ev.wire]!;
        const side =
          direction === "serverToServer" ? "interServer" : direction === "clientToServer" ? "client" : "server";
        const base = `${side}${ev.ident.charAt(0).toUpperCase()}${ev.ident.slice(1)}`;
        messages[base] = message(ev, evDef, direction, `${id}_${base}`, schemas);
        if (evDef.ack !== undefined) {
          messages[`${base}Ack`] = {
            name: `${ev.wire} (ack)`,
            title: `Answer to ${ev.wire}`,
            payload: {
              type: "object",
              properties: { ok: { const: true }, data: embed(evDef.ack, `${id}_${base}Ack`, schemas) },
              required: ["ok", "data"],
            },
            "x-iocontract-ack-envelope": true,
          };
        }
        for (const action of DIRECTION_ACTION[direction]) {
          const op: Record<string, Json> = {
            action,
            channel: ref("channels", id),
            title: `${ev.wire} (${DIRECTION_TITLE[direction]})`,
            summary: summary(ev, direction),
            messages: [ref("channels", id, "messages", base)],
            "x-socketio-event": ev.wire,
          };
          if (ev.doc !== undefined) op["description"] = ev.doc;
          if (def.auth !== undefined && direction !== "serverToServer")
            op["security"] = [ref("components", "securitySchemes", `${id}Auth`)];
          if (evDef.ack !== undefined) {
            op["reply"] = {
              channel: ref("channels", id),
              messages: [
                ref("channels", id, "messages", `${base}Ack`),
                ...errorMessages.map((m) => ref("channels", id, "messages", m)),
              ],
            };
          }
          operations[`${id}${action === "send" ? "Send" : "Receive"}${base.charAt(0).toUpperCase()}${base.slice(1)}`] =
            op;
        }
      }
    }
    const channel: Record<string, Json> = {
      address: ns.path,
      title: `Namespace ${ns.path}`,
      messages,
      "x-socketio-namespace": ns.path,
    };
    if (ns.doc !== undefined) channel["description"] = ns.doc;
    channels[id] = channel;
  }
  const doc: Record<string, Json> = {
    asyncapi: "3.0.0",
    info: {
      title: contract.name,
      version: contract.version,
      ...(contract.doc !== undefined ? { description: contract.doc } : {}),
      "x-iocontract-generated": "by iocontract from the contract; do not edit",
    },
    defaultContentType: "application/json",
    channels,
    operations,
  };
  const components: Record<string, Json> = {};
  if (Object.keys(schemas).length > 0) components["schemas"] = schemas;
  if (Object.keys(securitySchemes).length > 0) components["securitySchemes"] = securitySchemes;
  if (Object.keys(components).length > 0) doc["components"] = components;
  return doc;
}

function summary(ev: EventModel, direction: keyof typeof DIRECTION_TITLE): string {
  const what =
    direction === "clientToServer"
      ? "Clients send"
      : direction === "serverToClient"
        ? "The server sends"
        : "Servers send each other";
  return `${what} ${JSON.stringify(ev.wire)}${ev.ack !== undefined ? " and wait for the answer" : ""}.`;
}

function message(
  ev: EventModel,
  def: EventDef,
  direction: keyof typeof DIRECTION_TITLE,
  key: string,
  schemas: Components,
): Json {
  const m: Record<string, Json> = {
    name: ev.wire,
    title: `${ev.wire} (${DIRECTION_TITLE[direction]})`,
    "x-socketio-event": ev.wire,
    "x-iocontract-identifier": ev.ident,
  };
  if (def.doc !== undefined) m["summary"] = def.doc;
  // No payload: the event travels with no argument.
  m["payload"] =
    def.payload !== undefined
      ? embed(def.payload, key, schemas)
      : { not: {}, description: "No payload: the event carries no argument." };
  if (def.ack !== undefined) m["x-iocontract-timeout-ms"] = def.timeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
  if (def.rateLimit !== undefined)
    m["x-iocontract-rate-limit"] = {
      perSecond: def.rateLimit.perSecond,
      burst: def.rateLimit.burst ?? Math.max(1, def.rateLimit.perSecond),
    };
  return m;
}

/** YAML for JSON data: block style, every string double-quoted (JSON's escapes are YAML's). */
function toYaml(value: Json, indent = ""): string {
  const key = (k: string) =>
    /^[A-Za-z_$][\w$.-]*$/.test(k) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(k) ? k : JSON.stringify(k);
  const scalar = (v: Json) => JSON.stringify(v);
  const block = (v: Json, ind: string): string => {
    if (Array.isArray(v)) {
      if (v.length === 0) return " []\n";
      return `\n${v.map((x) => `${ind}-${isComposite(x) ? block(x, `${ind}  `).replace(/^\n\s*/, " ") : ` ${scalar(x)}\n`}`).join("")}`;
    }
    if (v !== null && typeof v === "object") {
      const entries = Object.entries(v);
      if (entries.length === 0) return " {}\n";
      return `\n${entries.map(([k, x]) => `${ind}${key(k)}:${isComposite(x) ? block(x, `${ind}  `) : ` ${scalar(x)}\n`}`).join("")}`;
    }
    return ` ${scalar(v)}\n`;
  };
  return block(value, indent).replace(/^\n/, "");
}

function isComposite(v: Json): boolean {
  return v !== null && typeof v === "object" && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
}

export function printAsyncApi(contract: Contract, model: ContractModel, format: "yaml" | "json"): string {
  const doc = buildAsyncApi(contract, model);
  return format === "json" ? `${JSON.stringify(doc, null, 2)}\n` : toYaml(doc);
}

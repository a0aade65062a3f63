/** Where in a contract something is: every generator error says it. */
export interface Where {
  readonly contract: string;
  readonly file?: string;
  readonly namespace?: string;
  readonly direction?: "clientToServer" | "serverToClient" | "serverToServer";
  readonly event?: string;
  /** payload, ack, auth, socketData, errors.CODE, types.Name */
  readonly part?: string;
  readonly path?: ReadonlyArray<string | number>;
}

export function describeWhere(where: Where): string {
  const parts = [`contract ${JSON.stringify(where.contract)}${where.file ? ` (${where.file})` : ""}`];
  if (where.namespace !== undefined) parts.push(`namespace ${JSON.stringify(where.namespace)}`);
  if (where.event !== undefined) parts.push(`${where.direction ?? "event"} event ${JSON.stringify(where.event)}`);
  if (where.part !== undefined) {
    let field = where.part;
    for (const p of where.path ?? []) field += typeof p === "number" ? `[${p}]` : `.${p}`;
    parts.push(field);
  }
  return parts.join(", ");
}

/** A problem in the contract or the config. One line; the CLI prints it prefixed with the tool name. */
export class CodegenError extends Error {
  override name = "CodegenError";
  constructor(
    message: string,
    readonly where?: Where,
  ) {
    super(where === undefined ? message : `${describeWhere(where)}: ${message}`);
  }
}

// The chat client SDK: the generated index (create…Client, types, errors and codes).
export * from "./gen/index.gen.js";
export type { ClientOptions } from "@iocontract/runtime/v1/client";
export { ERROR_EVENT, type WireError, type Issue } from "@iocontract/runtime/v1/wire";

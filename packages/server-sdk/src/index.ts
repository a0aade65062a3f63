// The chat server SDK: the generated index (handler interfaces, create…Server, types, errors and codes).
export * from "./gen/index.gen.js";
export { ERROR_EVENT, type WireError, type Issue } from "@iocontract/runtime/v1/wire";

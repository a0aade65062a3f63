// The chat server SDK: the generated code (./gen) and the runtime pieces a server needs by name.
export * from "./gen/server.gen";
export type * from "./gen/types.gen";
export { ContractError, IocontractError, type ErrorInfo } from "@iocontract/runtime/v1/server";
export { WireErrorCode, LocalErrorCode, ERROR_EVENT, type AckEnvelope, type WireError, type Issue } from "@iocontract/runtime/v1/wire";

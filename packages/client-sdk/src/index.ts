// The chat client SDK: the generated code (./gen) and the runtime pieces a client needs by name.
export * from "./gen/client.gen";
export type * from "./gen/types.gen";
export { IocontractError, type CallOptions, type ClientOptions, type Unsubscribe } from "@iocontract/runtime/v1/client";
export { WireErrorCode, LocalErrorCode, ERROR_EVENT, type AckEnvelope, type WireError, type Issue } from "@iocontract/runtime/v1/wire";

/**
 * `@iocontract/runtime`: what application code imports by name from the runtime — the error class and codes, the
 * wire types, and the generic API interfaces generated SDKs instantiate. Nothing here loads socket.io or
 * socket.io-client: the halves that do are `./v1/server` and `./v1/client` (generated code imports those).
 */
export {
  ERROR_EVENT,
  IocontractError,
  LocalErrorCode,
  WireErrorCode,
  isIocontractError,
  type AckEnvelope,
  type BuiltinErrorCode,
  type ErrorEventPayload,
  type Issue,
  type WireError,
} from "./v1/wire";
export type * from "./v1/server-api";
export type * from "./v1/client-api";

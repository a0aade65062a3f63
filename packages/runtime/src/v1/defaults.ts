/**
 * Every default the runtime applies when a contract or an option leaves a value out, in one place. The generator
 * reads the same constants (through `@iocontract/runtime/contract`, which re-exports them) for what generated
 * documentation says, so the JSDoc's "Times out after 10000 ms" is the timeout the runtime uses.
 *
 * Plain constants only: a bundle keeps the ones it uses.
 */

/** An acked event's timeout when the contract gives no `timeoutMs`, in ms (both sides). */
export const DEFAULT_ACK_TIMEOUT_MS = 10_000;

/** How many times a client sends an acked event again (same idempotency key) before giving up. */
export const DEFAULT_RETRIES = 2;

/** The largest packet a client may send, in bytes: socket.io's own default (`maxHttpBufferSize`). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1_000_000;

/** How long a disconnected client's missed events are kept for connection-state recovery, in ms. */
export const DEFAULT_RECOVERY_MS = 120_000;

/** Byte bound of the in-memory adapter's recovery buffer. */
export const DEFAULT_RECOVERY_MAX_BYTES = 32 * 1024 * 1024;

/** How long `server.close()` lets running handlers finish before closing connections anyway, in ms. */
export const DEFAULT_CLOSE_DEADLINE_MS = 10_000;

/** How long the binary attachments of one event may take to arrive, in ms. */
export const DEFAULT_ATTACHMENT_TIMEOUT_MS = 5_000;

/** Refused events one socket may send at once (`invalidEventBudget.burst`). */
export const DEFAULT_REFUSAL_BURST = 100;
/** Refused events one socket may send per second after the burst (`invalidEventBudget.perSecond`). */
export const DEFAULT_REFUSAL_PER_SECOND = 10;

/** How long an idempotency key's answer is kept for retries, in ms (socket.io's recovery window). */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 120_000;
/** Idempotency keys kept in all. */
export const DEFAULT_IDEMPOTENCY_MAX_ENTRIES = 50_000;
/** Idempotency keys kept per client. */
export const DEFAULT_IDEMPOTENCY_MAX_PER_CLIENT = 10_000;

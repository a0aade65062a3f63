/**
 * The example app (examples/chat) on a free loopback port, for the suites about the example itself. Runtime
 * behaviour is tested on the fixture contracts' generated code (test/fixtures/<case>/expected) instead.
 */
import { createChatApp } from "../../examples/chat/src/server/app";
import type { ErrorInfo } from "@iocontract/chat-server-sdk";

export interface RunningChat {
  readonly url: string;
  readonly app: ReturnType<typeof createChatApp>;
  /** What the server reported through onError. */
  readonly errors: Array<{ error: unknown; info: ErrorInfo }>;
  close(): Promise<void>;
}

export async function startChat(options: { adminToken?: string } = {}): Promise<RunningChat> {
  const errors: Array<{ error: unknown; info: ErrorInfo }> = [];
  const app = createChatApp({
    webRoot: new URL("../../examples/chat/public", import.meta.url).pathname,
    adminToken: options.adminToken ?? "test-admin",
    onError: (error, info) => errors.push({ error, info }),
  });
  const address = await app.server.listen(0, "127.0.0.1");
  return { url: `http://127.0.0.1:${address.port}`, app, errors, close: () => app.server.close() };
}

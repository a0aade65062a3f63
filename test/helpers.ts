/** Shared test helpers: start the chat app on a free loopback port, wait for events. */
import { createChatApp } from "../examples/chat/src/server/app";
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
    webRoot: new URL("../examples/chat/public", import.meta.url).pathname,
    adminToken: options.adminToken ?? "test-admin",
    onError: (error, info) => errors.push({ error, info }),
  });
  const address = await app.server.listen(0, "127.0.0.1");
  return { url: `http://127.0.0.1:${address.port}`, app, errors, close: () => app.server.close() };
}

/** Resolves with the next value a subscribe function delivers (its first argument), or rejects after `ms`. */
export function next<A extends unknown[]>(subscribe: (listener: (...args: A) => void) => () => void, ms = 3000): Promise<A[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no event within ${ms} ms`));
    }, ms);
    const off = subscribe((...args) => {
      clearTimeout(timer);
      off();
      resolve(args[0]);
    });
  });
}

/** Collects every value a subscribe function delivers. */
export function collect<T>(subscribe: (listener: (value: T) => void) => () => void): T[] {
  const values: T[] = [];
  subscribe((value) => values.push(value));
  return values;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

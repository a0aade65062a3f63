/**
 * The client runtime as Node gets it (package.json's "node" condition): the same client, with compiled
 * validators (zod's `compile()`, see ./compiled.ts) instead of `safeParse`: about half the validation cost per
 * message, the same answers (invalid input is re-checked by zod's own parser for its issues), and the plain
 * validator wherever code generation is not allowed. Browsers get ./client.ts: zod's compiler would add ~7.6 KB
 * (min+gzip) to a page for a few hundred nanoseconds per message.
 */
import {
  type AnyClientNamespaceTypes,
  type Client,
  type ClientNamespaceTypes,
  type ClientOptions,
  type RuntimeSpec,
  createClient as createPlainClient,
} from "./client";
import { makeCompiledValidator } from "./compiled";

export * from "./client";

export function createClient<T extends ClientNamespaceTypes = AnyClientNamespaceTypes>(
  spec: RuntimeSpec,
  path: string,
  url: string | undefined,
  options: ClientOptions<unknown> = {},
): Client<T> {
  return createPlainClient<T>(spec, path, url, options, makeCompiledValidator);
}

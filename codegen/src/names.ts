/**
 * Identifiers from wire names: "my custom event" → myCustomEvent, "exit_chat" → exitChat, "todo:create" →
 * todoCreate, "USER_JOINED" → userJoined. Wire names stay wire names; only the identifiers are derived.
 */
const WORD_SPLIT = /[^\p{L}\p{N}]+/u;

/** Socket.IO reserves these event names on a socket; a contract cannot use them. */
export const SOCKET_IO_RESERVED_EVENTS: ReadonlySet<string> = new Set([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function splitWords(text: string): string[] {
  return text
    .split(WORD_SPLIT)
    .filter((w) => w.length > 0)
    .map((w) => (w.length > 1 && w === w.toUpperCase() && /\p{Lu}/u.test(w) ? w.toLowerCase() : w));
}

/** camelCase identifier, or undefined when none can be derived (no letters, or starts with a digit). */
export function toIdentifier(wire: string): string | undefined {
  const words = splitWords(wire);
  if (words.length === 0) return undefined;
  const ident = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : capitalize(w))).join("");
  return /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(ident) ? ident : undefined;
}

export function toPascal(text: string): string {
  return splitWords(text).map(capitalize).join("");
}

/** "/" → "", "/admin" → "Admin", "/chat-rooms/v2" → "ChatRoomsV2". */
export function namespacePrefix(path: string): string {
  return toPascal(path);
}

/** A property key as TypeScript wants it: bare when it is an identifier, quoted otherwise. */
export function propertyKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

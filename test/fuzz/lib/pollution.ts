/**
 * The oracle's own copy of the documented prototype-pollution rule (docs/reliability.md; not the runtime's
 * code): an own `__proto__` key anywhere, or `constructor` / `prototype` holding an object.
 */
export function hasPollutionKey(value: unknown, depth = 0): boolean {
  if (typeof value !== "object" || value === null || depth > 500 || value instanceof Uint8Array) return false;
  if (!Array.isArray(value)) {
    if (Object.hasOwn(value, "__proto__")) return true;
    for (const key of ["constructor", "prototype"]) {
      const inner: unknown = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
      if (typeof inner === "object" && inner !== null) return true;
    }
  }
  return Object.values(value).some((v) => hasPollutionKey(v, depth + 1));
}

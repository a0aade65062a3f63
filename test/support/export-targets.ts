/**
 * What a published manifest's "exports" map points at: every target file under every condition (nested ones too),
 * with the conditions that lead to it. The SDK tests use it on installed packages: each target must exist, and none
 * may sit under the workspace-only "iocontract-source" condition.
 */
export function exportTargets(
  exportsMap: unknown,
  conditions: string[] = [],
): Array<{ conditions: string[]; file: string }> {
  if (typeof exportsMap === "string") return [{ conditions, file: exportsMap }];
  if (Array.isArray(exportsMap)) return exportsMap.flatMap((entry) => exportTargets(entry, conditions));
  if (typeof exportsMap !== "object" || exportsMap === null) return [];
  return Object.entries(exportsMap).flatMap(([key, value]) =>
    exportTargets(value, key.startsWith(".") ? conditions : [...conditions, key]),
  );
}

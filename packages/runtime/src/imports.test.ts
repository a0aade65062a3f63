/**
 * The runtime's modules import each other downwards only: no import cycle, type-only imports included (a type
 * cycle is still two modules that cannot be read apart). Relative specifiers are read from the source text.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = path.dirname(fileURLToPath(import.meta.url));

/** Every non-test .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [file] : [];
  });
}

/** The relative modules a file imports or re-exports (`import ... from`, `export ... from`, `import("...")`). */
function importsOf(file: string, text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)"(\.{1,2}\/[^"]+)"/g)) {
    const base = path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, ""));
    for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) {
      try {
        if (statSync(candidate).isFile()) {
          found.add(candidate);
          break;
        }
      } catch {
        // not this one
      }
    }
  }
  return [...found];
}

/** Every cycle of a graph, each once, as the list of its nodes (depth-first, Tarjan-free: the graph is small). */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join("|");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (state.get(next) === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (state.get(node) === undefined) visit(node);
  return cycles;
}

describe("import direction", () => {
  it("finds a cycle when there is one (the control)", () => {
    const graph = new Map([
      ["server", ["server/namespace"]],
      ["server/namespace", ["server/context"]],
      ["server/context", ["server/namespace", "wire"]],
      ["wire", []],
    ]);
    expect(cyclesOf(graph)).toEqual([["server/namespace", "server/context"]]);
    expect(
      cyclesOf(
        new Map([
          ["a", ["b"]],
          ["b", []],
        ]),
      ),
    ).toEqual([]);
  });

  it("reads the runtime's imports (the server entry imports its folder)", () => {
    const server = path.join(SRC, "v1/server.ts");
    expect(importsOf(server, readFileSync(server, "utf8"))).toContain(path.join(SRC, "v1/server/runtime.ts"));
  });

  it("the runtime has no import cycle", () => {
    const graph = new Map(sources(SRC).map((file) => [file, importsOf(file, readFileSync(file, "utf8"))] as const));
    expect(graph.size).toBeGreaterThan(20);
    const cycles = cyclesOf(graph).map((cycle) => cycle.map((file) => path.relative(SRC, file)).join(" → "));
    expect(cycles).toEqual([]);
  });
});

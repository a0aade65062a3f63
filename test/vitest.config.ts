import { configDefaults, defineConfig } from "vitest/config";

/** CPU-heavy suites (a server process and many connections busy for tens of seconds): run after the rest. */
// The adoption test installs packages in several projects (npm, tsc, vite): after the rest too.
const HEAVY = ["fuzz/**/*.test.ts", "load/**/*.test.ts", "attacks/**/*.test.ts", "adoption/**/*.test.ts"];

// Workspace packages resolve to their TypeScript source through the "iocontract-source" export condition,
// so tests run against the code as it is, without a build.
export default defineConfig({
  resolve: { conditions: ["iocontract-source"] },
  ssr: { resolve: { conditions: ["iocontract-source"] } },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: "tests",
          include: ["**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...HEAVY],
          typecheck: {
            enabled: true,
            only: false,
            include: ["types/**/*.test-d.ts"],
            tsconfig: "./tsconfig.json",
          },
        },
      },
      {
        // After the other files (groupOrder), one file at a time: in parallel they starve the timed tests.
        extends: true,
        test: { name: "heavy", include: HEAVY, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});

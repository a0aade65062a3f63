import { defineConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript source through the "iocontract-source" export condition,
// so tests run against the code as it is, without a build.
export default defineConfig({
  resolve: { conditions: ["iocontract-source"] },
  ssr: { resolve: { conditions: ["iocontract-source"] } },
  test: {
    include: ["**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    typecheck: {
      enabled: true,
      only: false,
      include: ["types/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});

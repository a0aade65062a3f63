import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["iocontract-source"] },
  ssr: { resolve: { conditions: ["iocontract-source"] } },
  test: { include: ["src/**/*.test.ts"] },
});

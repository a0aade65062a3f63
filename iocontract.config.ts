import { defineConfig } from "iocontract";

export default defineConfig({
  contract: "contract/chat.contract.ts",
  outputs: [
    { kind: "server", dir: "packages/server-sdk/src/gen" },
    { kind: "client", dir: "packages/client-sdk/src/gen" },
  ],
  regenerate: "npm run generate",
});

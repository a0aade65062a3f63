import { defineConfig } from "iocontract";

export default defineConfig({
  contract: "contract/chat.contract.ts",
  outputs: [
    { kind: "server", dir: "packages/server-sdk/src/gen" },
    { kind: "client", dir: "packages/client-sdk/src/gen" },
    { kind: "python-client", dir: "packages/python-client/chat_client" },
    { kind: "python-server", dir: "packages/python-server/chat_server" },
  ],
  regenerate: "npm run generate",
});

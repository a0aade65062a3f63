#!/usr/bin/env node
// The installed `iocontract` command: runs the built CLI. In this repository `npm run generate` runs the
// TypeScript source through tsx instead, so no build is needed to generate.
const { run } = await import("../dist/cli.js");
await run(process.argv.slice(2));

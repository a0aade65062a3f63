// `npm run generate` in this repository: the iocontract CLI from its TypeScript source, so no build is needed.
// tsx is registered for the CLI's own modules only (tsImport, scoped), not process-wide with `--import tsx`: the
// process-wide hooks also intercept every dependency's files (zod, ts-morph and the TypeScript compiler it
// bundles), about 0.3 s of CPU per run on a 1,000-event contract. Run with --conditions=iocontract-source, so the
// CLI imports the runtime's source too.
import { tsImport } from "tsx/esm/api";

const { run } = await tsImport("../codegen/src/cli.ts", import.meta.url);
await run(process.argv.slice(2));

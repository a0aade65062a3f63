/** The generator as a library: the CLI, the golden tests and other tools call these. */
export { defineConfig, type IocontractConfig, type OutputConfig, type OutputKind } from "./config.js";
export { cacheFileFor } from "./cache.js";
export { CodegenError, describeWhere, type Where } from "./errors.js";
export { generateFiles, printOutputs, writeFiles, checkFiles, type GeneratedFile } from "./generate.js";
export { loadConfig, loadContract } from "./load.js";
export {
  buildModel,
  type ContractModel,
  type NamespaceModel,
  type EventModel,
  type NamedSchema,
  type SchemaUse,
} from "./model.js";
export { buildTypeScript } from "./typescript/index.js";
export { type TypeScriptModel, type TypeUse, typeUse } from "./typescript/types.js";
export { toIdentifier, toPascal } from "./names.js";
export { TypePrinter, type Mode } from "./schema/print-type.js";
export { detectImportExtension, type ImportExtension } from "./tsconfig-ext.js";
export { GENERATOR_VERSION } from "./version.js";
export { toJsonSchema, type JsonSchema } from "./json-schema.js";
export { buildSnapshot, printSnapshot, parseSnapshot, type ContractSnapshot } from "./snapshot.js";
export {
  diffSnapshots,
  checkVersion,
  type Change,
  type DiffResult,
  type Pairing,
  type Verdict,
} from "./diff/compare.js";
export { includes, type Inclusion } from "./diff/inclusion.js";
export { buildAsyncApi, printAsyncApi } from "./asyncapi.js";
export { printHtml, printMarkdown, exampleOf } from "./docs.js";

// The shared build of generated SDK packages.
export { default } from "../../scripts/tsup-sdk.config";

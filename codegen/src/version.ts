/** The generator's version, printed in every generated header. Keep in step with package.json. */
export const GENERATOR_VERSION = "0.1.0";

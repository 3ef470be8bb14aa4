/**
 * This gauntlet's version, recorded in `evaluation.json` so a number can be traced to the code that
 * computed it. A test keeps it equal to the root `package.json`'s version.
 *
 * @example
 * GAUNTLET_VERSION; // "0.1.0"
 */
export const GAUNTLET_VERSION = "0.1.0";

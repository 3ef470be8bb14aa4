export { type LoadedManifest, loadManifest, resolveManifestPaths } from "./load-manifest.js";
export { MAX_RESULT_BYTES, type ResultKind, readJsonFile, resultPath, writeResult } from "./result-files.js";
export { type ValidateOptions, type ValidateOutcome, validateData } from "./validate.js";

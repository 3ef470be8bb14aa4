export { type LoadedManifest, loadManifest, resolveManifestPaths } from "./load-manifest.js";
export { MAX_RESULT_BYTES, type ResultKind, readJsonFile, resultPath, writeResult } from "./result-files.js";
export { type ValidateOptions, type ValidateOutcome, validateData } from "./validate.js";
export { buildReferenceProfile } from "./promote/build-profile.js";
export { hashFile } from "./promote/hash-file.js";
export { type PreparedPromotion, preparePromotion } from "./promote/prepare-promotion.js";
export {
  chooseBaseline,
  type EvaluateOptions,
  type EvaluateOutcome,
  encodeLabels,
  evaluateModel,
  offlineBaselineResolver,
} from "./evaluate/index.js";
export { type GateOptions, type GateOutcome, gateModel } from "./gate/gate-model.js";

export { aucVariance } from "./auc-variance.js";
export { type CalibrationBin, calibrationCurve } from "./calibration-curve.js";
export { alignCounts, type CategoryCounts } from "./category-counts.js";
export { chiSquareSf } from "./chi-square-sf.js";
export { type ChiSquareTestResult, chiSquareTest } from "./chi-square-test.js";
export { confidenceSequence, dataFactorToDecide, mixtureHalfWidth } from "./confidence-sequence.js";
export { type AdjustedMean, type CovariateMoments, cuped } from "./cuped.js";
export { type IsotonicFit, isotonicRegression } from "./isotonic-regression.js";
export { jensenShannonDistance } from "./jensen-shannon-distance.js";
export { kolmogorovSf } from "./kolmogorov-sf.js";
export { ksExactPValue } from "./ks-exact-p-value.js";
export { ksTest } from "./ks-test.js";
export {
  KS_EXACT_MAX_N,
  type KsMethod,
  type KsTestResult,
  ksTestFromCounts,
} from "./ks-test-from-counts.js";
export { logGamma } from "./log-gamma.js";
export { type Measurement, measured, notMeasured } from "./measurement.js";
export { normalizedWassersteinDistance } from "./normalized-wasserstein-distance.js";
export { nullRateChange } from "./null-rate-change.js";
export { PSI_EPSILON, psi } from "./psi.js";
export { quantileSorted } from "./quantile.js";
export { regularizedGammaQ } from "./regularized-gamma-q.js";
export { type SampleRatioTest, sequentialSrm } from "./sequential-srm.js";
export { smirnovSf } from "./smirnov-sf.js";
export { sortFloat64 } from "./sort-float64.js";
export { symmetricEigen } from "./symmetric-eigen.js";
export { unseenShare } from "./unseen-share.js";
export { wassersteinDistance } from "./wasserstein-distance.js";
export { countValues, sortWeighted, type WeightedSample } from "./weighted-sample.js";
export { wilsonInterval } from "./wilson-interval.js";

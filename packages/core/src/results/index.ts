export { type Check, type CheckStatus, type FailOn, failsStep, worstStatus } from "./check.js";
export type {
  BaselineResult,
  Evaluation,
  GroupIntervals,
  GroupResult,
  IntervalMethod,
  MetricResult,
  MultiplicityAdjustment,
  SliceResult,
} from "./evaluation.js";

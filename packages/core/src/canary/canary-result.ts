import type { CovariateMoments } from "../stats/cuped.js";

/** What one arm (the new version or the incumbent) served since the stage began. */
export interface ArmSummary {
  version: string;
  requests: number;
  /** Requests with an error flag, and how many of those failed. */
  errorRows: number;
  errors: number;
  /** Latencies in milliseconds of the requests that logged one. */
  latencies: Float64Array;
  /** Score and 0/1 outcome of the requests whose outcome has arrived. */
  scores: Float64Array;
  outcomes: Uint8Array;
  /** Per KPI field: sums of the KPI and its pre-period covariate (CUPED). */
  kpis: Record<string, CovariateMoments>;
  /** Sums of the served score over every request that logged one (y = the score; no covariate). */
  served: CovariateMoments;
  /** Requests per served class: the `rollout.class` value, or `positive`/`negative` at the class check's threshold. */
  classes: Record<string, number>;
}

/** One time window of the chart: per arm, the signals' sums. */
export interface CanaryWindow {
  start: string;
  arms: Record<"candidate" | "incumbent", WindowSums>;
}

/** Sums over one arm's requests in a window. */
export interface WindowSums {
  requests: number;
  errorRows: number;
  errors: number;
  latencyN: number;
  latencySum: number;
  scoreN: number;
  scoreSum: number;
  /** Requests per served class in the window. */
  classes: Record<string, number>;
}

/** Everything the step read from the log for one canary look. */
export interface CanaryObservation {
  candidate: ArmSummary;
  incumbent: ArmSummary;
  /** Requests whose version is neither arm's (or missing), by logged value (`(missing)` for none). */
  unknown: Record<string, number>;
  /** The newest of those requests, ISO 8601 (left out: treated as still being served). */
  lastUnknown?: string | null;
  /** When the stage began (its deployment), and the newest request logged, ISO 8601. */
  stageStart: string;
  lastRequest: string | null;
  windows: CanaryWindow[];
}

/** `pass`: the check holds with enough evidence; `warn`: not enough evidence yet; `fail`: it fails with enough evidence. */
export type CanaryStatus = "pass" | "warn" | "fail";

/** One check of canary.json: status, measured value, limit, interval and a one-line reason. */
export interface CanaryCheck {
  id: string;
  status: CanaryStatus;
  value: number | null;
  limit: number | null;
  /** Always-valid interval of the compared quantity, when the check has one. */
  interval?: [number, number];
  reason: string;
  /** For an inconclusive check: the new version's requests still needed at the current estimate (null: cannot tell). */
  moreRequests?: number | null;
  /** Prediction checks: what a failure does (`hold`, or `rollback` like every other check). */
  onFail?: "hold" | "rollback";
}

/** One arm's served predictions, for the report: mean score and class shares. */
export interface ArmPredictions {
  scores: number;
  meanScore: number | null;
  /** Share of each served class among the requests that logged one. */
  classShares: Record<string, number>;
}

/** The decision of one look. */
export type CanaryVerdict = "expand" | "hold" | "rollback" | "complete";

/** `canary.json`. */
export interface CanaryResult {
  schema: "gauntlet/canary@1";
  model: string;
  candidate: { version: string; requests: number };
  incumbent: { version: string; requests: number };
  stage: { name: string; traffic: number; start: string };
  /** The stage an expand moves to. */
  next: { name: string; traffic: number } | null;
  verdict: CanaryVerdict;
  status: CanaryStatus;
  reasons: string[];
  /** What a decision still needs: requests of the new version and, at the current rate, hours. */
  needs: { requests: number | null; hours: number | null; reason: string } | null;
  alpha: number;
  checks: CanaryCheck[];
  /** The arms' served predictions, when the log has scores or classes. */
  predictions?: Record<"candidate" | "incumbent", ArmPredictions>;
  windows: CanaryWindow[];
}

import type { Check, CheckStatus } from "../results/check.js";

/** The `schema` tag of `behaviour.json`. */
export const BEHAVIOUR_SCHEMA = "gauntlet/behaviour@1";

/** The tasks check-behaviour tests (every task a manifest can declare). */
export type BehaviourTask = "binary" | "multiclass" | "regression";

/** The kinds of behavioural test, each a check `id` of `behaviour.json`. */
export type BehaviourKind =
  | "known-cases"
  | "invariance"
  | "directional"
  | "edge-cases"
  | "robustness-flip-rate"
  | "robustness-score-change"
  | "out-of-distribution";

/** A cell as shown in a report: text, number, boolean or null (missing). */
export type CellValue = string | number | boolean | null;

/** One offending input: its values, the score, and what went wrong. */
export interface BehaviourExample {
  /** The model input columns of the probe (or of the case). */
  inputs: Record<string, CellValue>;
  /** The score of the probe (`null` when the model crashed or returned no number). */
  score: number | null;
  /** One line: what was expected and what happened. */
  note: string;
}

/** What one model did on one test. */
export interface BehaviourMeasure {
  status: CheckStatus;
  /** The measured value (share, spread or count; see the test's `unit`). */
  value: number | null;
  /** How many probes (or cases) failed the expectation. */
  failures: number;
  /** How many probes (or cases) were judged. */
  judged: number;
  reason: string;
  /** The worst offending inputs, worst first (at most {@link MAX_EXAMPLES}). */
  examples: BehaviourExample[];
}

/** Offending inputs kept per test and model. */
export const MAX_EXAMPLES = 5;

/** One behavioural test, run on the candidate and, when given, on production. */
export interface BehaviourTest {
  /** Unique name in the report and for gate rules: `known-cases`, `invariance:region`, ... */
  name: string;
  kind: BehaviourKind;
  column?: string;
  /** The limit the value is held to (`null` when there is none). */
  limit: number | null;
  /** What `value` measures, e.g. "largest score spread". */
  unit: string;
  candidate: BehaviourMeasure;
  production: BehaviourMeasure | null;
  /** The candidate fails this test and production passes it. */
  newlyFailing: boolean;
}

/** A row where candidate and production scores differ most, for the approver's sanity check. */
export interface Disagreement {
  inputs: Record<string, CellValue>;
  candidate: number;
  production: number;
  /** Multiclass: each model's decided class (`candidate`/`production` are its probability). */
  candidateClass?: string;
  productionClass?: string;
}

/**
 * `behaviour.json`: every test with its status, measured value, limit and reason (as `checks`,
 * the candidate's, like the other result files) and the details of both models.
 *
 * @example
 * result.checks.find((c) => c.id === "robustness-flip-rate");
 * // { id: "robustness-flip-rate", status: "pass", value: 0.004, limit: 0.02, reason: "decisions flip on 0.4% of 2500 perturbed rows; at most 2% may" }
 */
export interface BehaviourResult {
  schema: typeof BEHAVIOUR_SCHEMA;
  model: { name: string; version: string; sha256: string };
  production: { path: string; sha256: string } | null;
  /** The model's task: what a score, a change and a decision mean in the tests (see the README). */
  task: BehaviourTask;
  status: "pass" | "warn" | "fail";
  threshold: number;
  sample: { source: string; rows: number } | null;
  checks: Check[];
  tests: BehaviourTest[];
  /** `null` without a production model, or when examples are off (sensitive columns). */
  disagreements: Disagreement[] | null;
  notes: string[];
}

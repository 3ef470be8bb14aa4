import type { Check } from "../results/check.js";
import type { BehaviourKind, BehaviourMeasure, BehaviourTest } from "./behaviour-result.js";

/**
 * One test from its two measures: `newlyFailing` when the candidate fails and production (when it
 * ran) does not.
 *
 * @example
 * behaviourTest({ kind: "invariance", column: "region", limit: 0.02, unit: "largest score spread" }, candidate, production).name;
 * // "invariance:region"
 */
export function behaviourTest(
  head: { kind: BehaviourKind; column?: string | undefined; limit: number | null; unit: string },
  candidate: BehaviourMeasure,
  production: BehaviourMeasure | null,
): BehaviourTest {
  return {
    name: head.column === undefined ? head.kind : `${head.kind}:${head.column}`,
    kind: head.kind,
    ...(head.column === undefined ? {} : { column: head.column }),
    limit: head.limit,
    unit: head.unit,
    candidate,
    production,
    newlyFailing: candidate.status === "fail" && production !== null && production.status !== "fail",
  };
}

/**
 * The checks of `behaviour.json`: one per test, the candidate's status, value, limit and reason,
 * newly failing tests first (their reason says production passes).
 *
 * @example
 * behaviourChecks(tests)[0];
 * // { id: "invariance", column: "region", status: "fail", value: 0.08, limit: 0.02, reason: "newly failing (production passes): ..." }
 */
export function behaviourChecks(tests: readonly BehaviourTest[]): Check[] {
  const ordered = [...tests.filter((t) => t.newlyFailing), ...tests.filter((t) => !t.newlyFailing)];
  return ordered.map((t) => ({
    id: t.kind,
    ...(t.column === undefined ? {} : { column: t.column }),
    status: t.candidate.status,
    value: t.candidate.value,
    limit: t.limit,
    reason: (t.newlyFailing ? "newly failing (production passes): " : "") + t.candidate.reason,
  }));
}

import type { GateCheck } from "./gate-result.js";
import type { EvaluationFile } from "./result-files.js";
import { formatSliceKey, sliceKeyId } from "./slice-key.js";

/**
 * A failing check for every slice the baseline had with metrics that the candidate lacks or has
 * suppressed (as TFMA fails on missing slices): a slice that vanishes would otherwise escape every
 * per-slice rule. One passing check when none is missing; nothing without a baseline.
 *
 * @example
 * missingSliceChecks(evaluation);
 * // [{ id: "slice-present", scope: { region: "QA" }, status: "fail", reason: "slice region=QA has metrics for the baseline but is suppressed now", ... }]
 */
export function missingSliceChecks(evaluation: EvaluationFile): GateCheck[] {
  if (!evaluation.baseline) return [];
  const base = {
    id: "slice-present",
    rule: null,
    description: "every baseline slice is still evaluated",
    metric: null,
    comparison: "slice-present",
  } as const;
  const now = new Map(evaluation.slices.map((s) => [sliceKeyId(s.key), s]));
  const expected = evaluation.baseline.slices.filter((s) => !s.suppressed);
  const checks: GateCheck[] = [];
  for (const slice of expected) {
    const current = now.get(sliceKeyId(slice.key));
    if (current && !current.suppressed) continue;
    checks.push({
      ...base,
      scope: slice.key,
      status: "fail",
      value: current ? "suppressed" : "missing",
      limit: "present",
      reason: `slice ${formatSliceKey(slice.key)} has metrics for the baseline but is ${current ? "suppressed (too few rows)" : "missing"} now`,
    });
  }
  if (checks.length > 0) return checks;
  const reason = `all ${expected.length} baseline slices are evaluated for the candidate`;
  return [
    { ...base, scope: "overall", status: "pass", value: expected.length, limit: expected.length, reason },
  ];
}

/**
 * Checks that the artefact being released is the one the manifest pins and the one every result
 * file says it measured, so results of another build cannot vouch for this one.
 *
 * @example
 * sha256Checks(artefactSha256, [["manifest artefact.sha256", manifest.artefact.sha256], ["evaluation.json", evaluation.model.sha256]]);
 * // [{ id: "artefact-sha256", status: "pass", value: "9f86d081…", limit: "9f86d081…", reason: "manifest artefact.sha256 matches the artefact" }, ...]
 */
export function sha256Checks(
  artefactSha256: string,
  claims: readonly (readonly [source: string, sha256: string | undefined])[],
): GateCheck[] {
  const expected = artefactSha256.toLowerCase();
  return claims.flatMap(([source, claimed]) => {
    if (claimed === undefined) return [];
    const ok = claimed.toLowerCase() === expected;
    return [
      {
        id: "artefact-sha256",
        rule: null,
        description: `${source} names the released artefact`,
        scope: "overall",
        metric: null,
        comparison: "sha256",
        status: ok ? "pass" : "fail",
        value: claimed,
        limit: artefactSha256,
        reason: ok
          ? `${source} matches the artefact's sha256`
          : `${source} names sha256 ${claimed.slice(0, 12)}…, but the artefact's is ${artefactSha256.slice(0, 12)}…; re-run the steps on this artefact or fix artefact.sha256`,
      },
    ];
  });
}

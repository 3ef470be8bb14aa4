import type { GateCheck } from "./gate-result.js";

/**
 * What a gate rule does where its metric is undefined on the data (ROC AUC of a slice with one
 * class, a ratio of zeros): `fail` (the default) blocks the gate, because a rule that was not
 * evaluated was not met; `pass` accepts it, written explicitly in the manifest.
 */
export type IfUndefined = "pass" | "fail";

/**
 * The status and reason of a check that could not be evaluated, under the rule's `if-undefined`:
 * a failure that says so, or — only when the manifest asks — a skip that counts as passed.
 *
 * @example
 * notEvaluated("fail", "roc_auc is undefined on region=QA (only one class)");
 * // { status: "fail", reason: "roc_auc is undefined on region=QA (only one class): not evaluated, which blocks the gate (if-undefined: pass on the rule accepts it)" }
 * notEvaluated("pass", "roc_auc is undefined on region=QA (only one class)");
 * // { status: "skip", reason: "roc_auc is undefined on region=QA (only one class): not evaluated, accepted by if-undefined: pass" }
 */
export function notEvaluated(
  policy: IfUndefined,
  why: string,
): { status: Extract<GateCheck["status"], "fail" | "skip">; reason: string } {
  return policy === "pass"
    ? { status: "skip", reason: `${why}: not evaluated, accepted by if-undefined: pass` }
    : {
        status: "fail",
        reason: `${why}: not evaluated, which blocks the gate (if-undefined: pass on the rule accepts it)`,
      };
}

/**
 * The `if-undefined` that applies to a rule: its own, else the gate's, else `fail`.
 *
 * @example
 * ifUndefinedOf({ "if-undefined": "pass" }, "fail"); // "pass"
 * ifUndefinedOf({}, undefined); // "fail"
 */
export function ifUndefinedOf(
  rule: { "if-undefined"?: IfUndefined | undefined },
  gate: IfUndefined | undefined,
): IfUndefined {
  return rule["if-undefined"] ?? gate ?? "fail";
}

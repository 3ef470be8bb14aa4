import {
  type CheckStatus,
  type FailOn,
  failsStep,
  isUserError,
  type UserError,
  worstStatus,
} from "@gauntlet/core";
import { githubError } from "./github-error.js";
import { setOutputs } from "./publish.js";
import { reportFailure } from "./run-action.js";

/** What {@link forEachModel} collected over every manifest of a step. */
export interface ModelRun<R> {
  /** What `each` returned, one entry per model that finished, in order. */
  results: R[];
  /** The user mistakes of the models that did not finish, in order. */
  errors: UserError[];
  /** Step outputs that `each` set; a later model's value replaces an earlier one's. */
  outputs: Record<string, string>;
}

/**
 * Runs one model's work for each manifest path, in order. A {@link UserError} stops only its own
 * model — one model's mistake must not hide the others' results — and is collected for
 * {@link finishModelRun} to report after every model ran; so is a failed GitHub call, translated
 * by {@link githubError} (a missing permission, GitHub unavailable). Anything else thrown is a
 * bug and propagates at once. `each` writes its step outputs into `outputs` as it goes, so what it set
 * before a mistake stays set.
 *
 * @example
 * const run = await forEachModel(await resolveManifestPaths(inputs.manifest, cwd), async (path, outputs) => {
 *   const { result } = await validateData(await loadManifest(path, cwd), options);
 *   outputs.status = result.status;
 *   return result.status;
 * });
 * // { results: ["pass", "warn"], errors: [UserError: models/fraud/model.yml: …], outputs: { status: "warn" } }
 */
export async function forEachModel<R>(
  paths: Iterable<string>,
  each: (path: string, outputs: Record<string, string>) => Promise<R>,
): Promise<ModelRun<R>> {
  const run: ModelRun<R> = { results: [], errors: [], outputs: {} };
  for (const path of paths) {
    try {
      run.results.push(await each(path, run.outputs));
    } catch (thrown) {
      const error = githubError(thrown);
      if (!isUserError(error)) throw thrown;
      run.errors.push(error);
    }
  }
  return run;
}

/** How a step ends: its `status` output (when it has one), its `passed` output and its exit code. */
export interface StepVerdict {
  status?: string;
  passed: boolean;
  /** Set exit code 1 (a reported error sets it too). */
  fails: boolean;
}

/**
 * The verdict of a step whose models end `pass`, `warn` or `fail`: the worst status, `fail` when
 * any model hit a user mistake; the step fails as `fail-on` says. `passed` has one meaning in
 * every action: no check failed and no model hit a mistake (with `fail-on: warning`, none warned
 * either). `fail-on: never` changes only the exit code, never `passed`.
 *
 * @example
 * checkVerdict({ results: ["pass", "warn"], errors: [] }, "error"); // { status: "warn", passed: true, fails: false }
 * checkVerdict({ results: ["fail"], errors: [] }, "never"); // { status: "fail", passed: false, fails: false }
 * checkVerdict({ results: ["pass"], errors: [mistake] }, "never"); // { status: "fail", passed: false, fails: false }
 */
export function checkVerdict(
  run: Pick<ModelRun<CheckStatus>, "results" | "errors">,
  failOn: FailOn,
): Required<StepVerdict> {
  const status = run.errors.length > 0 ? "fail" : worstStatus(run.results);
  const fails = failsStep(status, failOn);
  const passed = run.errors.length === 0 && !failsStep(status, failOn === "never" ? "error" : failOn);
  return { status, passed, fails };
}

/**
 * Ends a multi-model step the same way in every action: sets the collected outputs plus `status`
 * and `passed`, reports each user mistake as its own `::error` line (exit code 1), and sets exit
 * code 1 when the verdict fails the step.
 *
 * @example
 * finishModelRun(run, checkVerdict(run, inputs["fail-on"]));
 * // GITHUB_OUTPUT: result=…, report=…, status=warn, passed=true
 */
export function finishModelRun(
  run: { outputs: Record<string, string | undefined>; errors: readonly UserError[] },
  verdict: StepVerdict,
): void {
  setOutputs({
    ...run.outputs,
    ...(verdict.status === undefined ? {} : { status: verdict.status }),
    passed: String(verdict.passed),
  });
  for (const error of run.errors) reportFailure(error);
  if (verdict.fails) process.exitCode = 1;
}

/** A gate's status, worst last. */
const GATE_ORDER = ["pass", "pending", "fail"] as const;

/**
 * The verdict of release-gate, whose models end `pass`, `pending` or `fail`: the worst gate, `fail`
 * when a model hit a user mistake. Only a passed gate passes; a pending one (rules hold, approvals
 * missing) is a warning to the step, so it fails the step only with `fail-on: warning`.
 *
 * @example
 * gateVerdict({ results: ["pass", "pending"], errors: [] }, "error"); // { status: "pending", passed: false, fails: false }
 * gateVerdict({ results: ["pass", "pending"], errors: [] }, "warning"); // { status: "pending", passed: false, fails: true }
 */
export function gateVerdict(
  run: Pick<ModelRun<(typeof GATE_ORDER)[number]>, "results" | "errors">,
  failOn: FailOn,
): Required<StepVerdict> {
  const worst = run.results.reduce((a, b) => Math.max(a, GATE_ORDER.indexOf(b)), 0);
  const status = run.errors.length > 0 ? "fail" : GATE_ORDER[worst]!;
  return {
    status,
    passed: status === "pass",
    fails: failsStep(status === "pending" ? "warn" : status, failOn),
  };
}

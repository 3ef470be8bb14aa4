import { tmpdir } from "node:os";
import {
  type Check,
  failsStep,
  formatNumber,
  isUserError,
  parseShard,
  type Regression,
  sliceText,
  UserError,
  worstStatus,
} from "@gauntlet/core";
import {
  booleanInput,
  commonInputs,
  createGitHubClient,
  publishModelResult,
  readInputs,
  readRunContext,
  registryBaselineResolver,
  reportFailure,
  setOutputs,
} from "@gauntlet/github";
import {
  evaluateModel,
  evaluateShard,
  loadManifest,
  mergeEvaluation,
  resolveManifestPaths,
  writePart,
  writeResult,
} from "@gauntlet/steps";
import * as z from "zod";

/** Mirrors action.yml. */
const inputsSchema = z.object({
  ...commonInputs,
  data: z.string().optional(),
  baseline: z.string().optional(),
  shard: z.string().optional(),
  merge: booleanInput().default(false),
});

/**
 * evaluate-slices: evaluates each manifest's model overall and per slice against its baseline,
 * writes `<results-dir>/<model>/evaluation.json`, and publishes the "Evaluation" section.
 * Evaluation reports and the gate decides: a significant regression is `warn` (failing the step
 * only with `fail-on: warning`); `fail` means a model could not be evaluated at all.
 * With `shard: i/n` it only scores the shard's rows and writes `evaluation.part-<i>-of-<n>.json`
 * (no comment); with `merge: true` it merges those parts and publishes as a single run does.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = readInputs(inputsSchema, env);
  const shard = inputs.shard === undefined ? undefined : parseShard(inputs.shard, { input: "shard" });
  if (shard && inputs.merge) {
    throw new UserError("input 'shard' and input 'merge' cannot be used together", {
      fix: "run the shards with shard: i/n, then one job with merge: true (and no shard)",
    });
  }
  const context = readRunContext(env);
  const cwd = env["GITHUB_WORKSPACE"] ?? process.cwd();
  const client = createGitHubClient(inputs["github-token"], { apiUrl: context.apiUrl });
  const resolveBaseline = registryBaselineResolver(client, context.repo, {
    downloadDir: env["RUNNER_TEMP"] || tmpdir(),
  });
  const statuses: ("pass" | "warn" | "fail")[] = [];
  const errors: UserError[] = [];
  const outputs: Record<string, string> = {};
  let regressions = 0;

  for (const path of await resolveManifestPaths(inputs.manifest, cwd)) {
    try {
      const loaded = await loadManifest(path, cwd);
      const options = { cwd, data: inputs.data, baseline: inputs.baseline, resolveBaseline };
      if (shard) {
        const part = await evaluateShard(loaded, options, shard);
        outputs["result"] = await writePart(
          inputs["results-dir"],
          part.model.name,
          "evaluation",
          shard,
          part,
        );
        statuses.push("pass");
        continue;
      }
      const outcome = inputs.merge
        ? await mergeEvaluation(loaded, inputs["results-dir"])
        : await evaluateModel(loaded, options);
      const { manifest, result, markdown } = outcome;
      const written = await writeResult(inputs["results-dir"], manifest.name, "evaluation", result, markdown);
      const { commentId } = await publishModelResult({
        context,
        token: inputs["github-token"],
        comment: inputs.comment,
        model: manifest.name,
        section: "evaluation",
        markdown,
        checks: outcome.regressions.map(regressionCheck),
        manifestFile: loaded.file,
      });
      statuses.push(result.status);
      regressions += result.regressions;
      const main = result.metrics[0]!;
      const value = result.overall.metrics[main]?.value;
      const delta = result.baseline?.overall.delta[main]?.value;
      Object.assign(outputs, {
        result: written.result,
        report: written.report ?? "",
        metric: main,
        value: String(value ?? ""),
        delta: String(delta ?? ""),
        [main]: String(value ?? ""),
        [`${main}-delta`]: String(delta ?? ""),
      });
      if (commentId !== undefined) outputs["comment-id"] = String(commentId);
    } catch (error) {
      // One model's mistake must not hide the others' results: report it and go on.
      if (!isUserError(error)) throw error;
      errors.push(error);
    }
  }

  const status = errors.length > 0 ? "fail" : worstStatus(statuses);
  setOutputs({
    ...outputs,
    status,
    regressions,
    passed: String(!failsStep(status, inputs["fail-on"]) && errors.length === 0),
  });
  for (const error of errors) reportFailure(error);
  if (failsStep(status, inputs["fail-on"])) process.exitCode = 1;
}

/** A significant regression as a warning annotation on the manifest. */
function regressionCheck(regression: Regression): Check {
  const where = regression.slice ? sliceText(regression.slice) : "overall";
  const [low, high] = regression.ci.map((v) => formatNumber(v, true));
  return {
    id: "significant-regression",
    column: where,
    status: "warn",
    value: regression.delta,
    limit: 0,
    reason:
      `${regression.metric} got worse by ${formatNumber(Math.abs(regression.delta))} ${regression.slice ? `on ${where}` : "overall"} ` +
      `(candidate − baseline interval [${low}, ${high}] excludes 0)`,
  };
}

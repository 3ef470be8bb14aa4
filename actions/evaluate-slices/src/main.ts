import { tmpdir } from "node:os";
import { type Check, type EvaluationResult, formatNumber, type Regression, sliceText } from "@gauntlet/core";
import {
  actionPaths,
  actionsLog,
  checkVerdict,
  commonInputs,
  createGitHubClient,
  finishModelRun,
  forEachModel,
  modelPublisher,
  readInputs,
  readRunContext,
  registryBaselineResolver,
  shardInputs,
  shardMode,
  writeRunRecord,
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
  ...shardInputs,
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
  const { shard } = shardMode(inputs);
  const context = readRunContext(env);
  const { cwd, resultsDir } = actionPaths(inputs, env);
  await writeRunRecord(resultsDir, context);
  const client = createGitHubClient(inputs["github-token"], { apiUrl: context.apiUrl });
  const resolveBaseline = registryBaselineResolver(client, context.repo, {
    downloadDir: env["RUNNER_TEMP"] || tmpdir(),
  });
  const options = { cwd, data: inputs.data, baseline: inputs.baseline, resolveBaseline };
  const publish = modelPublisher({ context, token: inputs["github-token"], comment: inputs.comment });
  let regressions = 0;
  const models = await forEachModel(
    await resolveManifestPaths(inputs.manifest, cwd),
    async (path, outputs) => {
      const loaded = await loadManifest(path, cwd);
      if (shard) {
        const part = await evaluateShard(loaded, options, shard);
        outputs["result"] = await writePart(
          inputs["results-dir"],
          part.model.name,
          "evaluation",
          shard,
          part,
        );
        return "pass";
      }
      const outcome = inputs.merge
        ? await mergeEvaluation(loaded, inputs["results-dir"])
        : await evaluateModel(loaded, options);
      const { manifest, result, markdown } = outcome;
      actionsLog().info(timingLine(manifest.name, result.timings));
      const written = await writeResult(inputs["results-dir"], manifest.name, "evaluation", result, markdown);
      const checks = outcome.regressions.map(regressionCheck);
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
      // Published after the outputs are set: a GitHub failure then still leaves them.
      Object.assign(outputs, await publish(loaded, { section: "evaluation", markdown, checks }));
      return result.status;
    },
  );
  // The step's total, set even when no model finished.
  const outputs = { ...models.outputs, regressions: String(regressions) };
  finishModelRun({ ...models, outputs }, checkVerdict(models, inputs["fail-on"]));
}

/** Where the evaluation's time went, for the log: "churn: read 1.31 s, score 2.15 s, …". */
function timingLine(model: string, t: EvaluationResult["timings"]) {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const metrics = `metrics ${s(t.metricsMs - t.bootstrapMs)}, bootstrap ${s(t.bootstrapMs)}`;
  return `${model}: read ${s(t.readMs)}, score ${s(t.scoreMs)}, ${metrics}`;
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
      `(its simultaneous candidate − baseline interval [${low}, ${high}], controlled across the report's metrics and slices, excludes 0)`,
  };
}

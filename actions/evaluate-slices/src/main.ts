import { tmpdir } from "node:os";
import { evaluationTimingLine, regressionCheck } from "@gauntlet/core";
import {
  actionsLog,
  commonInputs,
  modelAction,
  registryBaselineResolver,
  runModelAction,
  shardInputs,
  shardMode,
} from "@gauntlet/github";
import { evaluateModel, evaluateShard, mergeEvaluation, modelShardStep, modelStep } from "@gauntlet/steps";
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
export function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return runModelAction(env, inputsSchema, async ({ inputs, cwd, client, context }) => {
    const { shard } = shardMode(inputs);
    const resolveBaseline = registryBaselineResolver(client, context.repo, {
      downloadDir: env["RUNNER_TEMP"] || tmpdir(),
    });
    const options = { cwd, data: inputs.data, baseline: inputs.baseline, resolveBaseline };
    const place = { cwd, resultsDir: inputs["results-dir"] };
    // The step's total, set even when no model finished.
    let regressions = 0;
    const totals = () => ({ regressions: String(regressions) });
    if (shard) {
      const step = await modelShardStep(inputs.manifest, "evaluation", place, shard, (loaded) =>
        evaluateShard(loaded, options, shard),
      );
      return modelAction(step, { section: "evaluation", totals });
    }
    const step = await modelStep(inputs.manifest, "evaluation", place, (loaded) =>
      inputs.merge ? mergeEvaluation(loaded, inputs["results-dir"]) : evaluateModel(loaded, options),
    );
    return modelAction(step, {
      section: "evaluation",
      totals,
      outputs: ({ manifest, result }) => {
        actionsLog().info(evaluationTimingLine(manifest.name, result.timings));
        regressions += result.regressions;
        const main = result.metrics[0]!;
        const value = String(result.overall.metrics[main]?.value ?? "");
        const delta = String(result.baseline?.overall.delta[main]?.value ?? "");
        return { metric: main, value, delta, [main]: value, [`${main}-delta`]: delta };
      },
      checks: (outcome) => outcome.regressions.map(regressionCheck),
    });
  });
}

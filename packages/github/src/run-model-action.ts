import type { Check, CommentSection, FailOn } from "@gauntlet/core";
import type * as z from "zod";
import { createGitHubClient, type GitHubClient } from "./client.js";
import { type RunContext, readRunContext } from "./context.js";
import {
  checkVerdict,
  finishModelRun,
  forEachModel,
  type ModelRun,
  type StepVerdict,
} from "./for-each-model.js";
import { type commonInputs, readInputs } from "./inputs.js";
import { modelPublisher } from "./publish-model-result.js";
import { writeRunRecord } from "./trusted/run-record.js";
import { actionPaths } from "./workspace.js";

/** The inputs every model action has (`commonInputs`), as read. */
type CommonInputs = z.output<z.ZodObject<typeof commonInputs>>;

/**
 * One model's run of a step, as `@gauntlet/steps`' `modelStep` returns it (named here by shape:
 * this package does not import the steps).
 */
export interface ModelStepRunOf<O> {
  loaded: { file: string; manifest: { name: string } };
  outcome: O;
  /** The result file and its report; a shard's part has no report, and so publishes nothing. */
  written: { result: string; report: string | undefined };
}

/** The manifests a step runs on and how one of them is run (`@gauntlet/steps`' `ModelStep`). */
export interface ModelStepOf<O> {
  paths: string[];
  run: (path: string) => Promise<ModelStepRunOf<O> | undefined>;
}

/** What {@link runModelAction} hands an action to set its step up with. */
export interface ActionSetup<I> {
  inputs: I;
  context: RunContext;
  /** The step's one GitHub client: publishing, downloads and check runs all use it. */
  client: GitHubClient;
  /** Where manifests, data and models are read (see `actionPaths`). */
  cwd: string;
  /** `results-dir`, absolute (see `actionPaths`): where earlier steps' results are read. */
  resultsDir: string;
  env: NodeJS.ProcessEnv;
}

/** An action's step over its models, and what it does beyond writing and publishing each result. */
export interface ModelAction<O extends { result: { status: S }; markdown: string }, S extends string> {
  /** The sticky comment's section the reports go to. */
  section: CommentSection;
  step: ModelStepOf<O>;
  /** The run context, when the action resolved a richer one (release-gate: the pull request of a workflow_run). */
  context?: RunContext;
  /** The checks annotated on the manifest (default: none). */
  checks?: (outcome: O) => readonly Check[];
  /**
   * The model's own step outputs, set after `result` and `report` and before publishing: a GitHub
   * failure while publishing then still leaves them. A throw here is the model's failure, with
   * its result file and outputs kept.
   */
  outputs?: (outcome: O) => Record<string, string>;
  /** After the model's section is published (release-gate: its check run). */
  published?: (run: ModelStepRunOf<O>, outputs: Record<string, string>) => Promise<void>;
  /** The step's verdict (default: {@link checkVerdict}, for steps whose models end pass, warn or fail). */
  verdict?: (models: ModelRun<S>, failOn: FailOn) => StepVerdict;
  /** Step outputs over every model, set even when no model finished. */
  totals?: () => Record<string, string>;
}

/**
 * A {@link ModelAction} of any outcome: the runner only passes each outcome from the step to the
 * action's own hooks, which {@link modelAction} has typed (an action may choose its step at run
 * time, e.g. a shard's or a whole run's).
 */
// biome-ignore lint/suspicious/noExplicitAny: the outcome type is existential here, checked by modelAction
type AnyModelAction<S extends string> = ModelAction<any, S>;

/**
 * Puts an action's step and what it does with each model's outcome together, so the hooks are
 * typed by the step's outcome.
 *
 * @example
 * modelAction(await modelStep(inputs.manifest, "shadow", place, (loaded) => compareShadow(loaded, options)), {
 *   section: "shadow",
 *   outputs: ({ result }) => ({ recommendation: result.recommendation }),
 * });
 */
export function modelAction<O extends { result: { status: S }; markdown: string }, S extends string>(
  step: ModelStepOf<O>,
  action: Omit<ModelAction<O, S>, "step">,
): ModelAction<O, S> {
  return { step, ...action };
}

/**
 * The one way a model action runs: reads the inputs (`schema` mirrors action.yml), the run
 * context and the paths, makes the step's one GitHub client, lets the action set its step up
 * (`define`), records the run for trusted publishing, then for each model runs the step
 * (load → step → write the result file and report), sets the outputs `result`, `report` and the
 * action's own, publishes the report (job summary, annotations, sticky comment section, on which
 * the `comment-id` output), and ends the step with its verdict — each user mistake its own
 * `::error`, the other models still run.
 *
 * @example
 * // actions/validate-data/src/main.ts
 * export const run = (env = process.env) =>
 *   runModelAction(env, inputsSchema, async ({ inputs, cwd }) =>
 *     modelAction(
 *       await modelStep(inputs.manifest, "validation", { cwd, resultsDir: inputs["results-dir"] },
 *         (loaded) => validateData(loaded, { cwd, data: inputs.data, now: new Date() })),
 *       { section: "data", checks: ({ result }) => result.checks },
 *     ));
 * // GITHUB_OUTPUT: result=.gauntlet/churn/validation.json, report=…, comment-id=…, status=pass, passed=true
 */
export async function runModelAction<Schema extends z.ZodObject, S extends string>(
  env: NodeJS.ProcessEnv,
  schema: Schema,
  define: (setup: ActionSetup<z.output<Schema> & CommonInputs>) => Promise<AnyModelAction<S>>,
): Promise<void> {
  const inputs = readInputs(schema, env) as z.output<Schema> & CommonInputs;
  const event = readRunContext(env);
  const client = createGitHubClient(inputs["github-token"], { apiUrl: event.apiUrl });
  const { cwd, resultsDir } = actionPaths(inputs, env);
  const action = await define({ inputs, context: event, client, cwd, resultsDir, env });
  const context = action.context ?? event;
  await writeRunRecord(resultsDir, context);
  const publish = modelPublisher({ context, client, comment: inputs.comment });
  const models = await forEachModel(action.step.paths, async (path, outputs) => {
    const run = await action.step.run(path);
    // A model the step skipped (a glob run over models without the section it needs) passes.
    if (run === undefined) return "pass" as S;
    const { loaded, outcome, written } = run;
    outputs["result"] = written.result;
    if (written.report !== undefined) outputs["report"] = written.report;
    Object.assign(outputs, action.outputs?.(outcome));
    if (written.report !== undefined) {
      const checks = action.checks?.(outcome);
      const section = { section: action.section, markdown: outcome.markdown };
      Object.assign(outputs, await publish(loaded, checks ? { ...section, checks } : section));
    }
    await action.published?.(run, outputs);
    return outcome.result.status;
  });
  const verdict = action.verdict ?? (checkVerdict as unknown as NonNullable<typeof action.verdict>);
  finishModelRun(
    { ...models, outputs: { ...models.outputs, ...action.totals?.() } },
    verdict(models, inputs["fail-on"]),
  );
}

import { describePlan, type RegistryPlan, UserError, versionTag } from "@gauntlet/core";
import {
  actionPaths,
  booleanInput,
  commonInputs,
  createGitHubClient,
  downloadTrustedResults,
  finishModelRun,
  forEachModel,
  type GitHubClient,
  mergedPullRequest,
  promoteModel,
  type RunContext,
  readInputs,
  readRunContext,
  rollbackModel,
  writeSummary,
} from "@gauntlet/github";
import { loadManifest, preparePromotion, resolveManifestPaths, rolloutRelease } from "@gauntlet/steps";
import * as z from "zod";
import { promotionCandidates } from "./candidates.js";

/** Mirrors action.yml. */
const inputsSchema = z.object({
  manifest: z.string().default("models/*/model.yml"),
  "github-token": z.string(),
  "results-dir": z.string().default(".gauntlet"),
  workspace: commonInputs.workspace,
  // `v<digit>` would collide with the version tags `<name>/v<version>`.
  stage: z
    .string()
    .regex(
      /^(?!v\d)[a-z0-9][a-z0-9-]*$/,
      "expected a lowercase name such as production or staging, not starting with v<digit>",
    )
    .optional(),
  "require-gate": booleanInput().default(true),
  "trusted-results": booleanInput().default(false),
  rollback: booleanInput().default(false),
  to: z.string().optional(),
  "dry-run": booleanInput().default(false),
});

/**
 * promote: releases each merged model version (tag, release with model card and assets, alias,
 * deployment), or with `rollback: true` moves a stage back to an earlier release.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = readInputs(inputsSchema, env);
  const context = readRunContext(env);
  const { cwd, resultsDir } = actionPaths(inputs, env);
  const client = createGitHubClient(inputs["github-token"], { apiUrl: context.apiUrl });
  const options = {
    runUrl: context.runUrl,
    log: (line: string) => console.log(`  ${line}`),
    dryRun: inputs["dry-run"],
  };
  if (inputs.to !== undefined && !inputs.rollback) {
    throw new UserError("`to` only applies to a rollback", {
      field: "to",
      fix: "add `rollback: true`, or remove `to`",
    });
  }

  const rollback = async (): Promise<RegistryPlan> => {
    const paths = await resolveManifestPaths(inputs.manifest, cwd);
    if (paths.length !== 1) {
      throw new UserError(`a rollback is for one model, but '${inputs.manifest}' names ${paths.length}`, {
        field: "manifest",
        fix: "set manifest: to the model's models/<name>/model.yml",
      });
    }
    const { manifest, file } = await loadManifest(paths[0]!, cwd);
    const stage = inputs.stage ?? "production";
    console.log(`Rolling back ${manifest.name} on ${stage}:`);
    const request = {
      ...context.repo,
      model: manifest.name,
      manifestFile: file,
      stage,
      to: inputs.to,
    };
    const actor = env["GITHUB_ACTOR"] ?? "unknown";
    return rollbackModel(client, { ...request, runId: context.runId, actor, now: new Date() }, options);
  };
  const promote = async (path: string): Promise<RegistryPlan> => {
    const prepared = await preparePromotion(await loadManifest(path, cwd), {
      cwd,
      resultsDir,
    });
    // With rollout:, a merge releases to the first stage (unless `stage` names another).
    const staged = inputs.stage === undefined ? await rolloutRelease(prepared.manifest, resultsDir) : null;
    const stage = staged?.stage ?? inputs.stage ?? "production";
    console.log(`Promoting ${prepared.manifest.name} ${prepared.manifest.version} to ${stage}:`);
    const request = {
      ...context.repo,
      ...prepared,
      assets: staged ? [...prepared.assets, staged.asset] : prepared.assets,
      payload: staged?.payload,
      commit: context.sha,
      stage,
      requireGate: inputs["require-gate"],
    };
    return promoteModel(client, request, options);
  };

  const promoteAll = async () => {
    const candidates = await promotionCandidates(client, context, inputs.manifest, cwd);
    if (inputs["trusted-results"] && candidates.length > 0)
      await downloadMergedResults(client, context, resultsDir);
    return forEachModel(candidates, promote);
  };
  // A rollback's mistake ends the step at once; one promoted model's must not block the others.
  const { results: plans, errors } = inputs.rollback
    ? { results: [await rollback()], errors: [] }
    : await promoteAll();

  const report = plans.map((plan) => describePlan(plan)).join("\n\n");
  if (report) {
    console.log(report);
    const title = inputs["dry-run"] ? "gauntlet promote (dry run): would write" : "gauntlet promote";
    await writeSummary(`### ${title}\n\n\`\`\`text\n${report}\n\`\`\``);
  }
  const last = plans.at(-1);
  const outputs = {
    promoted: plans.map((p) => `${p.model}@${p.version}`).join(" "),
    tag: last ? versionTag(last.model, last.version) : undefined,
  };
  // Each failed model has reported its own ::error (and exit code 1): nothing more fails the step.
  finishModelRun({ outputs, errors }, { passed: errors.length === 0, fails: false });
}

/**
 * `trusted-results`: the merged pull request's results, as computed for its head commit by the
 * base repository's workflow (never an artifact of a workflow the pull request controlled), go
 * into `results-dir` so the model card shows the numbers the gate was decided on.
 */
async function downloadMergedResults(client: GitHubClient, context: RunContext, resultsDir: string) {
  const pull = await mergedPullRequest(client, { ...context.repo, commit: context.sha });
  if (!pull) {
    throw new UserError(
      `commit ${context.sha.slice(0, 7)} is not the merge of a pull request, so it has no pull request results to release`,
      {
        field: "trusted-results",
        fix: "release models by merging their pull request, or set `trusted-results: false` to release the model card without evaluation.json and gate.json",
      },
    );
  }
  const found = await downloadTrustedResults(client, {
    ...context.repo,
    headSha: pull.head.sha,
    pullNumber: pull.number,
    resultsDir,
  });
  console.log(
    `Results of #${pull.number} at ${pull.head.sha.slice(0, 7)}: artifact ${found.artifactId} of run ${found.runId} (${found.workflowPath}, ${found.event})`,
  );
}

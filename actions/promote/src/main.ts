import { mkdir } from "node:fs/promises";
import { join } from "node:path";
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
import {
  loadManifest,
  preparePromotion,
  type ReleaseSubject,
  releaseSubjects,
  resolveManifestPaths,
  rolloutRelease,
  writeSubjectChecksums,
} from "@gauntlet/steps";
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
  // Every asset this run released, hashed: the subjects for actions/attest-build-provenance.
  const released: ReleaseSubject[][] = [];
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
    const plan = await promoteModel(client, request, options);
    released.push(await releaseSubjects(versionTag(plan.model, plan.version), request.assets, cwd));
    return plan;
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
    ...(await attestationOutputs(released, resultsDir)),
  };
  // Each failed model has reported its own ::error (and exit code 1): nothing more fails the step.
  finishModelRun({ outputs, errors }, { passed: errors.length === 0, fails: false });
}

/**
 * The outputs an attestation step reads: the last released model's artefact, `evaluation.json`
 * and `gate.json` (path and SHA-256; empty when not attached), every asset file this run released
 * (`subject-paths`, one per line) and a file of their digests in `sha256sum` format
 * (`subject-checksums`, `<results-dir>/release-checksums.txt`).
 */
async function attestationOutputs(released: ReleaseSubject[][], resultsDir: string) {
  const last = released.at(-1);
  if (!last) return {};
  const path = join(resultsDir, "release-checksums.txt");
  await mkdir(resultsDir, { recursive: true });
  await writeSubjectChecksums(path, released.flat());
  const of = (asset: ReleaseSubject | undefined) => ({
    path: asset?.path ?? "",
    sha256: asset?.sha256 ?? "",
  });
  // The artefact is the first asset promote uploads.
  const artefact = of(last[0]);
  const evaluation = of(last.find((s) => s.asset === "evaluation.json"));
  const gate = of(last.find((s) => s.asset === "gate.json"));
  return {
    "artefact-path": artefact.path,
    "artefact-sha256": artefact.sha256,
    "evaluation-path": evaluation.path,
    "evaluation-sha256": evaluation.sha256,
    "gate-path": gate.path,
    "gate-sha256": gate.sha256,
    "subject-paths": released
      .flat()
      .map((s) => s.path)
      .join("\n"),
    "subject-checksums": path,
  };
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

import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import {
  alertingSignals,
  isWindowWidth,
  type Manifest,
  planDriftIssue,
  REFERENCE_SAMPLE_FILE,
  readIssueState,
  releasedMetrics,
} from "@gauntlet/core";
import {
  actionPaths,
  annotate,
  applyDriftPlan,
  checkVerdict,
  commonInputs,
  createGitHubClient,
  downloadReleaseProfile,
  findDriftIssue,
  finishModelRun,
  forEachModel,
  type RunContext,
  readInputs,
  readRunContext,
  shardInputs,
  shardMode,
  writeSummary,
} from "@gauntlet/github";
import {
  type DriftCheckOutcome,
  driftShard,
  isReleaseAlias,
  type LoadedReference,
  loadManifest,
  loadReference,
  mergeDrift,
  parseProfile,
  releaseReference,
  resolveManifestPaths,
  runDriftCheck,
  scanLogsAhead,
  writePart,
  writeResult,
} from "@gauntlet/steps";
import * as z from "zod";

/** Mirrors action.yml. */
const inputsSchema = z.object({
  ...commonInputs,
  predictions: z.string().optional(),
  reference: z.string().optional(),
  window: z.string().refine(isWindowWidth, "expected a duration longer than zero, e.g. 1d or 6h").optional(),
  "close-after": z.coerce.number().int().min(1).optional(),
  ...shardInputs,
});

type Inputs = z.output<typeof inputsSchema>;

/**
 * drift-check: compares each manifest's prediction logs with its reference profile, writes
 * `<results-dir>/<model>/drift.json`, the job summary, and routes alerts to the model's issue.
 * With `shard: i/n` it reads only the shard's log rows and writes `drift.part-<i>-of-<n>.json`
 * (no summary, no issue); with `merge: true` it merges those parts and reports once.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = readInputs(inputsSchema, env);
  const { shard } = shardMode(inputs);
  const context = readRunContext(env);
  const { cwd } = actionPaths(inputs, env);
  const models = await forEachModel(
    await resolveManifestPaths(inputs.manifest, cwd),
    async (path, outputs) => {
      const loaded = await loadManifest(path, cwd);
      // The logs' first pass runs while the reference downloads and loads (a merge reads no logs).
      if (!inputs.merge) scanLogsAhead(loaded, { cwd, predictions: inputs.predictions });
      const { reference, released, release } = await resolveReference(loaded.manifest, inputs, context, cwd);
      const options = { cwd, reference, released, predictions: inputs.predictions, window: inputs.window };
      if (shard) {
        const part = await driftShard(loaded, options, shard);
        outputs["result"] = await writePart(
          inputs["results-dir"],
          loaded.manifest.name,
          "drift",
          shard,
          part,
        );
        return "pass";
      }
      const outcome = inputs.merge
        ? await mergeDrift(loaded, options, inputs["results-dir"])
        : await runDriftCheck(loaded, options);
      const { manifest, result, markdown } = outcome;
      const written = await writeResult(inputs["results-dir"], manifest.name, "drift", result, markdown);
      await writeSummary(markdown, { fullReport: context.runUrl });
      // An estimate whose calibration could not be checked is flagged on the run, not only in the report.
      annotate(
        result.checks.filter((c) => c.id === "calibration"),
        { file: loaded.file },
      );
      Object.assign(outputs, { result: written.result, report: written.report ?? "", level: result.level });
      if (inputs.comment) Object.assign(outputs, await routeToIssue(outcome, release, inputs, context));
      return result.status;
    },
  );
  finishModelRun(models, checkVerdict(models, inputs["fail-on"]));
}

/**
 * Opens, updates or closes the model's drift issue as the outcome calls for, and returns the step
 * outputs that sets: `issue-number` while the issue stays open, `dispatched` when a retrain was.
 */
async function routeToIssue(
  { manifest, result, markdown }: DriftCheckOutcome,
  release: { tag: string; at: string } | undefined,
  inputs: Inputs,
  context: RunContext,
): Promise<Record<string, string>> {
  const client = createGitHubClient(inputs["github-token"], { apiUrl: context.apiUrl });
  const { open: existing, closed } = await findDriftIssue(client, { ...context.repo, model: manifest.name });
  const alerting = alertingSignals(result);
  const monitoring = manifest.monitoring;
  const plan = planDriftIssue({
    model: manifest.name,
    level: result.level,
    alerting,
    verdict: result.verdict,
    report: markdown,
    owner: manifest.owner,
    segmentOwners: (result.segments?.segments ?? []).flatMap((s) =>
      s.level === "alert" && s.owner ? [{ owner: s.owner, segment: `${s.slice}=${s.value}` }] : [],
    ),
    existing,
    closeAfter: inputs["close-after"] ?? monitoring?.["close-after"] ?? 3,
    retrain: monitoring?.retrain,
    windows: result.windows,
    release,
    lastRetrain: readIssueState(closed?.body)?.lastRetrain,
    now: new Date(),
    performanceAlerts: (result.prediction?.checks ?? [])
      .filter((c) => c.status === "fail" && /^(realised|estimated)-/.test(c.id))
      .map((c) => c.id),
    period:
      result.windows.length > 0
        ? {
            window: result.window,
            from: result.windows[0]!.start,
            to: result.windows.at(-1)!.end,
            version: result.model.version,
          }
        : undefined,
    runId: String(context.runId),
    runUrl: context.runUrl,
  });
  const applied = await applyDriftPlan(client, context.repo, plan, existing, context.runUrl);
  const outputs: Record<string, string> = {};
  if (applied.issueNumber !== undefined && !applied.closed)
    outputs["issue-number"] = String(applied.issueNumber);
  if (applied.dispatched) outputs["dispatched"] = applied.dispatched;
  return outputs;
}

/**
 * An alias (`production`) is downloaded from its release — `profile.json`, and the exact reference
 * sample when the release has one (saved to `<results-dir>/<model>/reference-sample.parquet`,
 * inside the workspace, and read from there); anything that names a file is read.
 */
async function resolveReference(
  manifest: Manifest,
  inputs: Inputs,
  context: RunContext,
  cwd: string,
): Promise<{
  reference: LoadedReference;
  released?: { source: string; metrics: Record<string, number> };
  /** The release the alias points at: its tag and publication time. */
  release?: { tag: string; at: string };
}> {
  const location = inputs.reference ?? manifest.monitoring?.reference ?? "production";
  if (!isReleaseAlias(location, cwd)) return { reference: await loadReference(location, { cwd, manifest }) };
  const client = createGitHubClient(inputs["github-token"], { apiUrl: context.apiUrl });
  const { value, tag, published, sample, evaluation } = await downloadReleaseProfile(client, {
    ...context.repo,
    model: manifest.name,
    alias: location,
  });
  const profile = parseProfile(value, `profile.json of release ${tag}`, manifest.name);
  const released = { source: tag, metrics: releasedMetrics(evaluation) };
  const release = { tag, at: published };
  if (!sample) return { reference: await releaseReference(profile, tag, { cwd }), released, release };
  const path = resolve(cwd, inputs["results-dir"], manifest.name, REFERENCE_SAMPLE_FILE);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, sample);
  return {
    reference: await releaseReference(profile, tag, { cwd, sample: relative(cwd, path) }),
    released,
    release,
  };
}

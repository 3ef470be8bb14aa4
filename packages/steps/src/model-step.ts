import type { Shard } from "@gauntlet/core";
import { type LoadedManifest, loadManifest, resolveManifestPaths } from "./load-manifest.js";
import { type ResultKind, writeResult } from "./result-files.js";
import { writePart } from "./shard-parts.js";

/** What every step returns for one model: its result (with a status) and the report of it. */
export interface StepOutcome {
  manifest: { name: string };
  result: { status: string };
  markdown: string;
}

/** One model's run of a step: the manifest it loaded, what the step returned, the files it wrote. */
export interface ModelStepRun<O extends StepOutcome> {
  loaded: LoadedManifest;
  outcome: O;
  written: { result: string; report: string | undefined };
}

/**
 * A step over every manifest `--manifest` / the `manifest` input names: the paths, in order, and
 * how one of them is run. The CLI's commands and the actions both run steps through this, so
 * loading, writing the result file and its report happen one way; what differs is what they do
 * with a {@link ModelStepRun} (print it, or publish it and set outputs).
 */
export interface ModelStep<O extends StepOutcome> {
  paths: string[];
  /** Loads the manifest, runs the step and writes its result; `undefined` when the step skipped it. */
  run: (path: string) => Promise<ModelStepRun<O> | undefined>;
}

/** Where a step reads its files (`cwd`) and writes `<resultsDir>/<model>/<kind>.json`. */
export interface ModelStepPlace {
  cwd: string;
  resultsDir: string;
}

/**
 * Binds a step to the manifests that `manifest` (a path or a glob) names: load → step → write
 * `<resultsDir>/<model>/<kind>.json` and `<kind>.md`. A step returns `undefined` to skip a model
 * (nothing is written), for example one without the manifest section a glob run needs.
 *
 * @example
 * const step = await modelStep("models/*\/model.yml", "validation", { cwd, resultsDir: ".gauntlet" },
 *   (loaded) => validateData(loaded, { cwd, now: new Date() }));
 * step.paths; // ["models/churn/model.yml", "models/fraud/model.yml"]
 * await step.run(step.paths[0]!);
 * // { loaded, outcome: { manifest, result, markdown }, written: { result: ".gauntlet/churn/validation.json", report: ".gauntlet/churn/validation.md" } }
 */
export async function modelStep<O extends StepOutcome>(
  manifest: string,
  kind: ResultKind,
  place: ModelStepPlace,
  step: (loaded: LoadedManifest) => Promise<O | undefined>,
): Promise<ModelStep<O>> {
  return stepOver(manifest, place, async (loaded) => {
    const outcome = await step(loaded);
    if (outcome === undefined) return undefined;
    const { result, markdown } = outcome;
    const written = await writeResult(place.resultsDir, outcome.manifest.name, kind, result, markdown);
    return { outcome, written };
  });
}

/** What a shard's run returns: its part (written to a part file), and nothing to report yet. */
export interface ShardOutcome<P> extends StepOutcome {
  part: P;
  result: { status: "pass" };
}

/**
 * {@link modelStep} for one shard of a split run: the step computes the shard's part, written to
 * `<resultsDir>/<model>/<kind>.part-<i>-of-<n>.json` (`written.report` stays `undefined`: a part
 * has no report until the merge). A shard passes: the merge decides the verdict.
 *
 * @example
 * const step = await modelShardStep("models/churn/model.yml", "evaluation", place, { index: 2, count: 4 },
 *   (loaded) => evaluateShard(loaded, options, shard));
 * (await step.run(step.paths[0]!))?.written; // { result: ".gauntlet/churn/evaluation.part-2-of-4.json", report: undefined }
 */
export async function modelShardStep<P extends { model: { name: string } }>(
  manifest: string,
  kind: ResultKind,
  place: ModelStepPlace,
  shard: Shard,
  step: (loaded: LoadedManifest) => Promise<P>,
): Promise<ModelStep<ShardOutcome<P>>> {
  return stepOver(manifest, place, async (loaded) => {
    const part = await step(loaded);
    const file = await writePart(place.resultsDir, part.model.name, kind, shard, part);
    const outcome = { manifest: part.model, result: { status: "pass" as const }, markdown: "", part };
    return { outcome, written: { result: file, report: undefined } };
  });
}

async function stepOver<O extends StepOutcome>(
  manifest: string,
  place: ModelStepPlace,
  each: (loaded: LoadedManifest) => Promise<Omit<ModelStepRun<O>, "loaded"> | undefined>,
): Promise<ModelStep<O>> {
  return {
    paths: await resolveManifestPaths(manifest, place.cwd),
    async run(path) {
      const loaded = await loadManifest(path, place.cwd);
      const ran = await each(loaded);
      return ran === undefined ? undefined : { loaded, ...ran };
    },
  };
}

import {
  type BaselineResolver,
  type Batch,
  BEHAVIOUR_SCHEMA,
  type BehaviourResult,
  type BehaviourTest,
  behaviourChecks,
  directionalClasses,
  type Manifest,
  renderBehaviourSection,
  UserError,
  worstStatus,
} from "@gauntlet/core";
import { checkSignature, loadModel, scoreBatch, sha256File } from "@gauntlet/model";
import { chooseBaseline } from "../evaluate/choose-baseline.js";
import type { LoadedManifest } from "../load-manifest.js";
import { loadShadowModels, type ShadowModel } from "../shadow/shadow-models.js";
import { type BehaviourRun, predictions } from "./behaviour-run.js";
import { knownCaseTests } from "./known-case-tests.js";
import { sampleTests } from "./sample-tests.js";

/** Options of {@link checkBehaviour}: what the action's inputs and the CLI's flags give. */
export interface BehaviourOptions {
  /** The workspace that manifest, data and model paths are relative to. */
  cwd: string;
  /** Path of the production model's .onnx file: every test runs on it too. */
  productionModel?: string | undefined;
  /**
   * Without `productionModel`, resolves `evaluation.baseline` (a version or alias) to the released
   * model, as evaluate-slices does; without either, the tests run on the candidate only.
   */
  resolveBaseline?: BaselineResolver | undefined;
  /** Rows the probes start from (default `behaviour.data`, else `evaluation.data`). */
  data?: string | undefined;
}

/** One model's behavioural tests: the result file's content and its report section. */
export interface BehaviourOutcome {
  manifest: Manifest;
  result: BehaviourResult;
  markdown: string;
}

/**
 * Runs the manifest's behavioural tests on the candidate and, when given, the production model:
 * known cases, invariance, directional expectations, edge cases from the data contract,
 * robustness to small perturbations and out-of-distribution probes. The probes start from a
 * seeded sample of the evaluation data. This is `gauntlet behaviour` and the `check-behaviour`
 * action, minus publishing.
 *
 * @example
 * const { result } = await checkBehaviour(await loadManifest("models/churn/model.yml", cwd), { cwd, productionModel: "prod.onnx" });
 * result.checks.map((c) => [c.id, c.status]); // [["invariance", "fail"], ["known-cases", "pass"], ...]
 */
export async function checkBehaviour(
  loaded: LoadedManifest,
  options: BehaviourOptions,
): Promise<BehaviourOutcome> {
  const { manifest, file } = loaded;
  const spec = manifest.behaviour;
  if (!spec) {
    throw new UserError("there is no behaviour: section", {
      file,
      field: "behaviour",
      fix: "add behaviour: with cases, invariance, directional, edge-cases or robustness to the manifest",
    });
  }
  const task = manifest.task;
  const classes = (manifest.artefact.classes ?? []).map(String);
  const directionClass = directionalClasses(spec, task, classes, file);
  const notes: string[] = [];
  const released = await releasedProduction(loaded, options, notes);
  const { candidate, champion } = await loadShadowModels(manifest, {
    cwd: options.cwd,
    manifestFile: file,
    championPath: options.productionModel,
    championInput: "production-model",
    championName: "production",
  });
  let production = champion;
  if (released) {
    try {
      const model = await loadModel(released.path, { manifestFile: file });
      production = {
        model,
        mapping: checkSignature(model, manifest.artefact),
        sha256: await sha256File(released.path, { file, field: "evaluation.baseline" }),
        path: released.path,
      };
    } catch (error) {
      await candidate.model.session.release();
      throw error;
    }
  }
  const productionName = options.productionModel ?? released?.reference;
  const models = [candidate, ...(production ? [production] : [])];
  try {
    const columns = [...new Set(candidate.mapping.inputs.flatMap((f) => f.columns))];
    const contract = manifest.data;
    const contractKinds = contract
      ? Object.fromEntries(Object.entries(contract.columns).map(([k, c]) => [k, c.type]))
      : {};
    const threshold = spec.threshold ?? manifest.evaluation?.threshold ?? 0.5;
    const seed = spec.seed ?? manifest.evaluation?.seed ?? 0;
    const score = async (model: ShadowModel, batch: Batch) =>
      predictions(await scoreBatch(model.model, model.mapping, batch), task, classes);
    const both = async (batch: Batch) => ({
      candidate: await score(candidate, batch),
      production: production ? await score(production, batch) : null,
    });
    const tests: BehaviourTest[] = [];
    const positive = String(manifest.artefact.positive ?? classes[classes.length - 1]);

    const run: BehaviourRun = {
      manifest,
      file,
      spec,
      cwd: options.cwd,
      data: options.data,
      task,
      classes,
      positive,
      columns,
      contractKinds,
      threshold,
      seed,
      directionClass,
      candidate,
      production,
      models,
      score,
      both,
    };
    tests.push(...(await knownCaseTests(run)));
    const generated = await sampleTests(run);
    tests.push(...generated.tests);
    const sampleInfo = generated.sample;
    let disagreements = generated.disagreements;
    const sensitive = Object.entries(contract?.columns ?? {})
      .filter(([, c]) => c.sensitive)
      .map(([k]) => k);
    const showValues = spec.examples ?? sensitive.length === 0;
    if (!showValues) {
      disagreements = null;
      for (const t of tests) {
        for (const m of [t.candidate, t.production]) for (const e of m?.examples ?? []) e.inputs = {};
      }
      notes.push(
        sensitive.length > 0 && spec.examples === undefined
          ? `rows' values are not shown: ${sensitive.join(", ")} ${sensitive.length === 1 ? "is" : "are"} marked sensitive (set behaviour.examples: true to show them)`
          : "rows' values are not shown (behaviour.examples: false)",
      );
    }
    if (!production && notes.length === 0)
      notes.push("no production model was given: tests ran on the candidate only");
    const checks = behaviourChecks(tests);
    const result: BehaviourResult = {
      schema: BEHAVIOUR_SCHEMA,
      model: { name: manifest.name, version: manifest.version, sha256: candidate.sha256 },
      production: production ? { path: productionName!, sha256: production.sha256 } : null,
      task,
      status: worstStatus(checks.map((c) => c.status)),
      threshold,
      sample: sampleInfo,
      checks,
      tests,
      disagreements,
      notes,
    };
    return { manifest, result, markdown: renderBehaviourSection(result, showValues) };
  } finally {
    await Promise.all(models.map((m) => m.model.session.release()));
  }
}

/**
 * The released production model named by `evaluation.baseline` when no `productionModel` was
 * given and a resolver can fetch it; otherwise `undefined`, with a note saying why.
 */
async function releasedProduction(
  loaded: LoadedManifest,
  options: BehaviourOptions,
  notes: string[],
): Promise<{ path: string; reference: string } | undefined> {
  if (options.productionModel) return undefined;
  const reference = loaded.manifest.evaluation?.baseline;
  if (!options.resolveBaseline || !reference) {
    notes.push(
      reference
        ? `no production model was given (${reference} cannot be fetched here; pass production-model): tests ran on the candidate only`
        : "no production model was given: tests ran on the candidate only",
    );
    return undefined;
  }
  const found = await chooseBaseline(reference, {
    cwd: options.cwd,
    model: loaded.manifest.name,
    manifestFile: loaded.file,
    resolve: options.resolveBaseline,
  });
  if (!found.found) {
    notes.push(`${found.note}; tests ran on the candidate only`);
    return undefined;
  }
  return { path: found.path, reference };
}

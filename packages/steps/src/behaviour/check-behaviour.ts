import {
  type BaselineResolver,
  type Batch,
  BEHAVIOUR_SCHEMA,
  type BehaviourMeasure,
  type BehaviourResult,
  type BehaviourTest,
  behaviourChecks,
  behaviourTest,
  checkBehaviourSpec,
  classPredictions,
  createRng,
  directionalClasses,
  directionalProbes,
  type EdgeOutcome,
  edgeCaseOptions,
  edgeCases,
  inputRef,
  invarianceProbes,
  isUserError,
  judgeDirectional,
  judgeEdgeCases,
  judgeInvariance,
  judgeKnownCases,
  judgeOod,
  judgeRobustness,
  largestDisagreements,
  type Manifest,
  oodProbes,
  type Predictions,
  readKnownCases,
  renderBehaviourSection,
  robustnessProbes,
  singlePredictions,
  UserError,
  worstStatus,
} from "@gauntlet/core";
import { checkSignature, loadModel, type Scores, scoreBatch, sha256File } from "@gauntlet/model";
import { chooseBaseline } from "../evaluate/choose-baseline.js";
import type { LoadedManifest } from "../load-manifest.js";
import { loadShadowModels, recheckKinds, type ShadowModel } from "../shadow/shadow-models.js";
import { readRows, sampleRows } from "./read-rows.js";

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

/** What a test's value measures the spread or change of, per task. */
const PREDICTION_UNIT: Record<Manifest["task"], string> = {
  binary: "score",
  multiclass: "class probabilities",
  regression: "predicted value",
};

/**
 * The model's outputs as behavioural tests read them: the positive-class score (binary), the class
 * probabilities (multiclass; a model that gives only labels is read as probability 1 for its label)
 * or the predicted value (regression).
 */
function predictions(scores: Scores, task: Manifest["task"], classes: readonly string[]): Predictions {
  if (task === "binary") return singlePredictions("binary", scores.score!);
  if (task === "regression") return singlePredictions("regression", scores.value!);
  if (scores.probabilities) return classPredictions(scores.probabilities, scores.classCount!);
  const width = classes.length;
  const oneHot = new Float64Array(scores.rows * width).fill(0);
  const labels = scores.label!;
  for (let r = 0; r < scores.rows; r++) {
    const k = classes.indexOf(String(labels[r]));
    if (k >= 0) oneHot[r * width + k] = 1;
    else for (let j = 0; j < width; j++) oneHot[r * width + j] = Number.NaN;
  }
  return classPredictions(oneHot, width);
}

/** Rows shown to the approver where candidate and production disagree most. */
const DISAGREEMENTS = 5;

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

    if (spec.cases) {
      const cases = typeof spec.cases === "string" ? { path: spec.cases } : spec.cases;
      const names = {
        expected: "expected" in cases ? cases.expected : "expected",
        minScore: "min-score" in cases ? cases["min-score"] : "min_score",
        maxScore: "max-score" in cases ? cases["max-score"] : "max_score",
        id: "id" in cases ? cases.id : undefined,
      };
      const field = typeof spec.cases === "string" ? "behaviour.cases" : "behaviour.cases.path";
      const batch = await readRows(cases.path, {
        cwd: options.cwd,
        origin: { file, field },
        kinds: contractKinds,
      });
      if (!batch) {
        throw new UserError(`${cases.path} has no rows`, {
          file,
          field,
          fix: "write at least one known case",
        });
      }
      const known = readKnownCases(
        batch,
        names,
        classes,
        columns,
        { manifest: file, path: cases.path },
        task,
      );
      const kinds = new Map([...batch.columns].map(([k, c]) => [k, c.kind]));
      for (const m of models) recheckKinds(m, manifest.artefact, kinds);
      const scored = await both(batch);
      const judge = (s: Predictions) =>
        judgeKnownCases(batch, known, s, { threshold, classes, positive }, columns);
      tests.push(
        behaviourTest(
          { kind: "known-cases", limit: 0, unit: "failing cases" },
          judge(scored.candidate),
          scored.production ? judge(scored.production) : null,
        ),
      );
    }

    const edge = edgeCaseOptions(spec["edge-cases"]);
    const needsSample =
      spec.invariance.length + spec.directional.length > 0 || edge !== null || spec.robustness !== undefined;
    let sampleInfo: BehaviourResult["sample"] = null;
    let disagreements: BehaviourResult["disagreements"] = null;
    if (needsSample) {
      const data = options.data ?? spec.data ?? manifest.evaluation?.data;
      const field = options.data ? inputRef("data") : spec.data ? "behaviour.data" : "evaluation.data";
      if (!data) {
        throw new UserError("the generated tests need rows to start from, and no data is named", {
          file,
          field: "behaviour.data",
          fix: "set behaviour.data (or evaluation.data) to a data file, or pass the data input",
        });
      }
      const all = await readRows(data, {
        cwd: options.cwd,
        origin: { file, field },
        kinds: contractKinds,
        columns,
      });
      if (!all)
        throw new UserError(`${data} has no rows`, { file, field, fix: "point it at the evaluation data" });
      const sample = sampleRows(all, spec.sample, seed);
      sampleInfo = { source: data, rows: sample.length };
      const kinds = new Map([...sample.columns].map(([k, c]) => [k, c.kind]));
      checkBehaviourSpec(spec, { file, modelColumns: columns, kinds, contract });
      for (const m of models) recheckKinds(m, manifest.artefact, kinds);
      const base = await both(sample);
      const pair = async (
        batch: Batch,
        judge: (scores: Predictions, base: Predictions) => BehaviourMeasure,
      ): Promise<[BehaviourMeasure, BehaviourMeasure | null]> => {
        const s = await both(batch);
        return [
          judge(s.candidate, base.candidate),
          s.production && base.production ? judge(s.production, base.production) : null,
        ];
      };
      for (const test of spec.invariance) {
        const [c, p] = await pair(invarianceProbes(sample, test), (s) =>
          judgeInvariance(sample, s, test, columns, classes),
        );
        tests.push(
          behaviourTest(
            {
              kind: "invariance",
              column: test.column,
              limit: test.tolerance,
              unit: `largest spread of the ${PREDICTION_UNIT[task]}`,
            },
            c,
            p,
          ),
        );
      }
      for (const [i, test] of spec.directional.entries()) {
        const probes = directionalProbes(sample, test, contract);
        const [c, p] = await pair(probes.batch, (s, b) =>
          judgeDirectional(sample, b, s, probes.judged, test, columns, directionClass[i]),
        );
        tests.push(
          behaviourTest(
            {
              kind: "directional",
              column: test.column,
              limit: test["max-violations"],
              unit: "share moving the wrong way",
            },
            c,
            p,
          ),
        );
      }
      if (edge) {
        const generated = edgeCases(sample, columns, kinds, contract, edge.rows);
        const outcomes = async (model: ShadowModel): Promise<EdgeOutcome[]> => {
          const out: EdgeOutcome[] = [];
          for (const e of generated) {
            try {
              out.push({ scores: await score(model, e.batch) });
            } catch (error) {
              // A crash is the model's answer to this input: reported, not raised.
              out.push({
                error: isUserError(error) ? error.problem : String((error as Error)?.message ?? error),
              });
            }
          }
          return out;
        };
        const judge = async (model: ShadowModel) =>
          judgeEdgeCases(generated, await outcomes(model), edge.refuse, columns);
        tests.push(
          behaviourTest(
            { kind: "edge-cases", limit: 0, unit: "failing edge values" },
            await judge(candidate),
            production ? await judge(production) : null,
          ),
        );
      }
      if (spec.robustness) {
        const robust = spec.robustness;
        const numeric = columns.filter((c) => kinds.get(c) === "number");
        const probes = robustnessProbes(sample, numeric, robust, contract, createRng(`${seed}/robustness`));
        const s = await both(probes);
        const c = judgeRobustness(sample, base.candidate, s.candidate, robust, threshold, columns, classes);
        const p =
          s.production && base.production
            ? judgeRobustness(sample, base.production, s.production, robust, threshold, columns, classes)
            : null;
        tests.push(
          behaviourTest(
            {
              kind: "robustness-flip-rate",
              limit: robust["max-flip-rate"],
              unit:
                task === "regression" ? "share of values moved past tolerance" : "share of decisions flipped",
            },
            c.flipRate,
            p?.flipRate ?? null,
          ),
          behaviourTest(
            {
              kind: "robustness-score-change",
              limit: robust["max-score-change"] ?? null,
              unit: `largest change of the ${PREDICTION_UNIT[task]}`,
            },
            c.scoreChange,
            p?.scoreChange ?? null,
          ),
        );
        const ood = oodProbes(sample, numeric, robust.far, contract);
        const [oc, op] = await pair(ood.batch, (f, b) => judgeOod(sample, b, f, ood, columns, classes));
        tests.push(
          behaviourTest({ kind: "out-of-distribution", limit: 0, unit: "confidence change far out" }, oc, op),
        );
      }
      if (base.production) {
        disagreements = largestDisagreements(
          sample,
          base.candidate,
          base.production,
          columns,
          DISAGREEMENTS,
          classes,
        );
      }
    }
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

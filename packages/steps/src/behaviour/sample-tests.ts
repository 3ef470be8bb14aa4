import {
  type Batch,
  type BehaviourMeasure,
  type BehaviourResult,
  type BehaviourTest,
  behaviourTest,
  checkBehaviourSpec,
  createRng,
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
  judgeOod,
  judgeRobustness,
  largestDisagreements,
  oodProbes,
  type Predictions,
  robustnessProbes,
  UserError,
} from "@gauntlet/core";
import { recheckKinds, type ShadowModel } from "../shadow/shadow-models.js";
import { type BehaviourRun, PREDICTION_UNIT } from "./behaviour-run.js";
import { readRows, sampleRows } from "./read-rows.js";

/** Rows shown to the approver where candidate and production disagree most. */
const DISAGREEMENTS = 5;

/**
 * The generated tests, run on a seeded sample of the evaluation rows: invariance, directional
 * expectations, edge cases from the data contract, robustness to small perturbations and
 * out-of-distribution probes, and the rows where the two models disagree most. Nothing (no sample)
 * when the manifest asks for none of them.
 */
export async function sampleTests(run: BehaviourRun): Promise<{
  tests: BehaviourTest[];
  sample: BehaviourResult["sample"];
  disagreements: BehaviourResult["disagreements"];
}> {
  const { spec, file, task, classes, columns, models, both, score, threshold, seed, candidate, production } =
    run;
  const contract = run.manifest.data;
  const tests: BehaviourTest[] = [];
  const edge = edgeCaseOptions(spec["edge-cases"]);
  const needsSample =
    spec.invariance.length + spec.directional.length > 0 || edge !== null || spec.robustness !== undefined;
  let sampleInfo: BehaviourResult["sample"] = null;
  let disagreements: BehaviourResult["disagreements"] = null;
  if (needsSample) {
    const data = run.data ?? spec.data ?? run.manifest.evaluation?.data;
    const field = run.data ? inputRef("data") : spec.data ? "behaviour.data" : "evaluation.data";
    if (!data) {
      throw new UserError("the generated tests need rows to start from, and no data is named", {
        file,
        field: "behaviour.data",
        fix: "set behaviour.data (or evaluation.data) to a data file, or pass the data input",
      });
    }
    const all = await readRows(data, {
      cwd: run.cwd,
      origin: { file, field },
      kinds: run.contractKinds,
      columns,
    });
    if (!all)
      throw new UserError(`${data} has no rows`, { file, field, fix: "point it at the evaluation data" });
    const sample = sampleRows(all, spec.sample, seed);
    sampleInfo = { source: data, rows: sample.length };
    const kinds = new Map([...sample.columns].map(([k, c]) => [k, c.kind]));
    checkBehaviourSpec(spec, { file, modelColumns: columns, kinds, contract });
    for (const m of models) recheckKinds(m, run.manifest.artefact, kinds);
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
        judgeDirectional(sample, b, s, probes.judged, test, columns, run.directionClass[i]),
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
  return { tests, sample: sampleInfo, disagreements };
}

import { alertTriggers } from "../drift/retrain-triggers.js";
import { evaluationRules, sliceRules } from "./evaluation-rules.js";
import type { FieldPath } from "./field-path.js";
import { gateRules } from "./gate-rules.js";
import type { Manifest } from "./schema.js";

/** A rule violation found after the schema accepted the manifest's shape. */
export interface RuleProblem {
  path: FieldPath;
  problem: string;
  fix: string;
}

/**
 * The rules that relate one field of a manifest to another, which a per-field schema cannot
 * express: the positive class is one of the classes, metrics suit the task, gate rules name
 * computed metrics and sliced columns, bins ascend, minimums do not exceed maximums.
 *
 * @example
 * manifestRules(manifest); // [] for the DESIGN.md example
 * // a binary model without `positive`:
 * // [{ path: ["artefact", "positive"], problem: "missing: binary models need a positive class", fix: "..." }]
 */
export function manifestRules(m: Manifest): RuleProblem[] {
  return [
    ...artefactRules(m),
    ...dataRules(m),
    ...evaluationRules(m),
    ...gateRules(m),
    ...(m.shadow?.slices ?? []).flatMap((slice, i) => sliceRules(slice, ["shadow", "slices", i])),
    ...shadowRules(m),
    ...monitoringRules(m),
  ];
}

/**
 * `shadow:` fields that belong to one task: the threshold to binary models, the tolerance to
 * regression, lists of per-class probability fields to multiclass (one per class).
 */
function shadowRules(m: Manifest): RuleProblem[] {
  const shadow = m.shadow;
  if (!shadow) return [];
  const out: RuleProblem[] = [];
  if (shadow.threshold !== undefined && m.task !== "binary") {
    out.push({
      path: ["shadow", "threshold"],
      problem: `a decision threshold is for binary models, and this model is ${m.task}`,
      fix: `remove it: a ${m.task} comparison ${m.task === "multiclass" ? "compares the predicted classes" : "uses shadow.tolerance"}`,
    });
  }
  if (shadow.tolerance !== undefined && m.task !== "regression") {
    out.push({
      path: ["shadow", "tolerance"],
      problem: `a tolerance between predicted values is for regression models, and this model is ${m.task}`,
      fix:
        m.task === "binary"
          ? "remove it, or set shadow.threshold"
          : "remove it: predicted classes either agree or not",
    });
  }
  const classes = m.artefact.classes ?? [];
  for (const role of ["champion", "challenger"] as const) {
    const fields = shadow[role];
    if (!Array.isArray(fields)) continue;
    if (m.task !== "multiclass") {
      out.push({
        path: ["shadow", role],
        problem: `lists ${fields.length} fields, but only a multiclass model logs one probability per class`,
        fix: `name the one field holding the ${role}'s ${m.task === "binary" ? "score" : "predicted value"}`,
      });
    } else if (fields.length !== classes.length) {
      out.push({
        path: ["shadow", role],
        problem: `lists ${fields.length} probability fields for the ${classes.length} classes of artefact.classes`,
        fix: "list one probability field per class, in artefact.classes order, or name the one field holding the predicted class",
      });
    }
  }
  return out;
}

function artefactRules(m: Manifest): RuleProblem[] {
  const out: RuleProblem[] = [];
  const a = m.artefact;
  if ((a.path === undefined) === (a.uri === undefined)) {
    out.push({
      path: ["artefact"],
      problem: "expected exactly one of path or uri",
      fix: "give the repo-relative path of the .onnx file, or a uri plus its sha256",
    });
  }
  if (a.uri !== undefined && a.sha256 === undefined) {
    out.push({
      path: ["artefact", "sha256"],
      problem: "missing: a uri artefact needs its sha256",
      fix: "add sha256: with the output of `sha256sum model.onnx`",
    });
  }
  // Supplied scores need no model outputs: nothing is run.
  const supplied = m.evaluation?.predictions !== undefined;
  const classes = a.classes ?? [];
  const repeated = classes.find((c, i) => classes.indexOf(c) !== i);
  if (repeated !== undefined) {
    out.push({
      path: ["artefact", "classes"],
      problem: `class ${repeated} is listed twice`,
      fix: "list each class once",
    });
  }
  if (m.task === "regression") {
    for (const field of ["classes", "positive"] as const) {
      if (a[field] !== undefined) {
        out.push({
          path: ["artefact", field],
          problem: "regression models have no classes",
          fix: `remove ${field}`,
        });
      }
    }
    if (a.outputs.value === undefined && !supplied) {
      out.push({
        path: ["artefact", "outputs", "value"],
        problem: "missing: regression models need the output holding the prediction",
        fix: "add value: <output name> under outputs",
      });
    }
    return out;
  }
  if (a.outputs.probabilities === undefined && a.outputs.label === undefined && !supplied) {
    out.push({
      path: ["artefact", "outputs"],
      problem: "expected probabilities or label for a classifier",
      fix: "name the output holding class probabilities, e.g. probabilities: probabilities",
    });
  }
  if (a.classes === undefined) {
    out.push({
      path: ["artefact", "classes"],
      problem: `missing: ${m.task} models need their classes in output order`,
      fix: "add classes, e.g. classes: [0, 1]",
    });
  }
  if (m.task === "multiclass") {
    if (a.positive !== undefined) {
      out.push({
        path: ["artefact", "positive"],
        problem: "only binary models have a positive class",
        fix: "remove it",
      });
    }
    return out;
  }
  if (a.classes !== undefined && a.classes.length !== 2) {
    out.push({
      path: ["artefact", "classes"],
      problem: `a binary model has exactly 2 classes, found ${a.classes.length}`,
      fix: "list the two classes, or set task: multiclass",
    });
  }
  if (a.positive === undefined) {
    out.push({
      path: ["artefact", "positive"],
      problem: "missing: binary models need a positive class",
      fix: `add positive: with one of the classes${a.classes ? ` (${a.classes.join(", ")})` : ""}`,
    });
  } else if (a.classes !== undefined && !a.classes.includes(a.positive)) {
    const sameText = a.classes.find((c) => String(c) === String(a.positive));
    out.push({
      path: ["artefact", "positive"],
      problem: `${JSON.stringify(a.positive)} is not one of the classes [${a.classes.map((c) => JSON.stringify(c)).join(", ")}]`,
      fix:
        sameText === undefined
          ? "set positive to one of the classes"
          : `write it exactly as in classes: ${JSON.stringify(sameText)}`,
    });
  }
  return out;
}

function dataRules(m: Manifest): RuleProblem[] {
  const out: RuleProblem[] = [];
  const rows = m.data?.rows;
  if (rows?.min !== undefined && rows.max !== undefined && rows.min > rows.max) {
    out.push({
      path: ["data", "rows"],
      problem: `min ${rows.min} is above max ${rows.max}`,
      fix: "swap them",
    });
  }
  for (const [name, column] of Object.entries(m.data?.columns ?? {})) {
    if (
      column.type === "number" &&
      column.min !== undefined &&
      column.max !== undefined &&
      column.min > column.max
    ) {
      out.push({
        path: ["data", "columns", name],
        problem: `min ${column.min} is above max ${column.max}`,
        fix: "swap them",
      });
    }
  }
  return out;
}

function monitoringRules(m: Manifest): RuleProblem[] {
  const out: RuleProblem[] = [];
  const drift = m.monitoring?.drift;
  if (drift?.warn !== undefined && drift.alert !== undefined && drift.warn > drift.alert) {
    out.push({
      path: ["monitoring", "drift"],
      problem: `warn ${drift.warn} is above alert ${drift.alert}`,
      fix: "make warn at most alert",
    });
  }
  // Labelled rows are rows whose outcome has arrived: without an outcome field none ever counts.
  if (m.monitoring?.retrain?.labels !== undefined && m.monitoring.outcome === undefined) {
    out.push({
      path: ["monitoring", "retrain", "labels"],
      problem: "counts labelled rows, but monitoring.outcome names no logged outcome field",
      fix: "set monitoring.outcome to the field the outcome arrives in, or remove retrain.labels",
    });
  }
  // The multiclass estimate reads one probability per class, in the model's class order.
  const probabilities = m.monitoring?.probabilities;
  if (probabilities !== undefined) {
    const classes = m.artefact.classes;
    if (m.task !== "multiclass")
      out.push({
        path: ["monitoring", "probabilities"],
        problem: `lists per-class probability fields, which only a multiclass model logs (task is ${m.task})`,
        fix:
          m.task === "binary"
            ? "remove monitoring.probabilities: a binary model's estimate reads monitoring.score"
            : "remove monitoring.probabilities: there is no label-free estimate for regression",
      });
    else if (classes !== undefined && classes.length !== probabilities.length)
      out.push({
        path: ["monitoring", "probabilities"],
        problem: `lists ${probabilities.length} fields for ${classes.length} classes (artefact.classes)`,
        fix: `list one field per class, in artefact.classes order: ${classes.join(", ")}`,
      });
  }
  const estimated = m.monitoring?.prediction?.estimated;
  if (m.task === "regression" && estimated && Object.keys(estimated).length > 0)
    out.push({
      path: ["monitoring", "prediction", "estimated"],
      problem: "sets limits on a label-free estimate, which drift-check has none of for regression",
      fix: "remove monitoring.prediction.estimated and hold realised mae or rmse (monitoring.prediction.realised) as outcomes arrive",
    });
  const retrain = m.monitoring?.retrain;
  if (retrain && retrain.labels === undefined && retrain.every === undefined) {
    const on = alertTriggers(retrain);
    if (on.driftAfter === null && !on.performance)
      out.push({
        path: ["monitoring", "retrain"],
        problem: "turns every trigger off (after: never, on-performance: false), so it never dispatches",
        fix: "set after to a number of alerting runs, on-performance: true, labels or every, or remove retrain",
      });
  }
  return out;
}

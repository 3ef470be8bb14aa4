import { alertTriggers } from "../drift/retrain-triggers.js";
import { FAIRNESS_CRITERIA, type FairnessCriterion } from "../metrics/fairness-gaps.js";
import { ONE_VS_REST_RATES } from "../metrics/one-vs-rest.js";
import { missingOperatingParameter } from "../metrics/operating-metrics.js";
import type { FieldPath } from "./field-path.js";
import { metricsForTask } from "./metric-names.js";
import type { Manifest, SliceSpec } from "./schema.js";
import { customMetricProblems, operatingSpecOf } from "./schema-operating.js";

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

function evaluationRules(m: Manifest): RuleProblem[] {
  const e = m.evaluation;
  if (!e) return [];
  const out: RuleProblem[] = [];
  const allowed = metricsForTask(m.task);
  e.metrics.forEach((metric, i) => {
    if (!(allowed as readonly string[]).includes(metric)) {
      out.push({
        path: ["evaluation", "metrics", i],
        problem: `${metric} is not a ${m.task} metric`,
        fix: `use ${m.task} metrics: ${allowed.join(", ")}`,
      });
    } else if (e.metrics.indexOf(metric) !== i) {
      out.push({
        path: ["evaluation", "metrics", i],
        problem: `${metric} is listed twice`,
        fix: "list it once",
      });
    } else {
      const missing = missingOperatingParameter([metric], operatingSpecOf(e));
      if (missing) {
        out.push({
          path: ["evaluation", "metrics", i],
          problem: `${metric} needs ${missing.field}`,
          fix: `set it, e.g. ${missing.example}, or remove ${metric}`,
        });
      }
    }
  });
  e.slices.forEach((slice, i) => {
    out.push(...sliceRules(slice, ["evaluation", "slices", i]));
  });
  out.push(...customMetricProblems(e, m.task));
  out.push(...predictionsRules(m));
  out.push(...weightRules(m));
  return out;
}

/** The weight column only weighs rows: it is not the label, a model input, a key or a slice. */
function weightRules(m: Manifest): RuleProblem[] {
  const weight = m.evaluation?.weight;
  if (weight === undefined) return [];
  const inputs = m.artefact.inputs;
  const key = m.data?.key;
  const role =
    weight === m.evaluation!.label
      ? "the label (evaluation.label)"
      : inputs !== "auto" && Object.values(inputs).flat().includes(weight)
        ? "a model input (artefact.inputs)"
        : (typeof key === "string" ? [key] : (key ?? [])).includes(weight)
          ? "the key (data.key)"
          : slicedColumns(m).has(weight)
            ? "a slice column (evaluation.slices)"
            : undefined;
  if (role === undefined) return [];
  return [
    {
      path: ["evaluation", "weight"],
      problem: `${weight} is also ${role}; a weight column only weighs rows`,
      fix: "name a column that holds each row's weight and nothing else",
    },
  ];
}

/** Supplied scores: one column per class, a key to join a file by, a digest to verify the artefact by. */
function predictionsRules(m: Manifest): RuleProblem[] {
  const p = m.evaluation?.predictions;
  if (!p) return [];
  const out: RuleProblem[] = [];
  const classes = m.artefact.classes;
  for (const role of ["candidate", "baseline"] as const) {
    const columns = p[role];
    if (columns === undefined) continue;
    const path: FieldPath = ["evaluation", "predictions", role];
    const count = typeof columns === "string" ? 1 : columns.length;
    if (m.task === "regression" && count !== 1) {
      out.push({
        path,
        problem: `a regression model has one predicted value, found ${count} columns`,
        fix: "name the one column holding the predicted value",
      });
    } else if (m.task === "multiclass" && typeof columns === "string") {
      out.push({
        path,
        problem: "a multiclass model's scores are one probability column per class, found one column",
        fix: `list one column per class in artefact.classes order${classes ? ` (${classes.join(", ")})` : ""}`,
      });
    } else if (
      m.task !== "regression" &&
      typeof columns !== "string" &&
      classes !== undefined &&
      count !== classes.length
    ) {
      out.push({
        path,
        problem: `scores for ${count} classes, but artefact.classes lists ${classes.length} (${classes.join(", ")})`,
        fix: `list one column per class in artefact.classes order, ${classes.length} in all${m.task === "binary" ? ", or the positive class's column alone" : ""}`,
      });
    }
  }
  if (p.file !== undefined && p.key === undefined && m.data?.key === undefined) {
    out.push({
      path: ["evaluation", "predictions", "key"],
      problem:
        "missing: a predictions file is joined to the evaluation data by a key, and neither this nor data.key names one",
      fix: "name the column both files hold, e.g. key: customer_id",
    });
  }
  if (m.evaluation?.baseline !== undefined) {
    out.push({
      path: ["evaluation", "baseline"],
      problem: "a baseline model cannot be run beside supplied scores: no model is run for this manifest",
      fix: "remove evaluation.baseline and supply the baseline's scores in evaluation.predictions.baseline",
    });
  }
  if (m.artefact.sha256 === undefined) {
    out.push({
      path: ["artefact", "sha256"],
      problem: "missing: with supplied predictions the artefact is verified by its SHA-256 alone",
      fix: `add sha256: with the output of \`sha256sum ${m.artefact.path ?? "<file>"}\``,
    });
  }
  return out;
}

function sliceRules(slice: SliceSpec, path: FieldPath): RuleProblem[] {
  if (Array.isArray(slice) && slice[0] === slice[1]) {
    return [{ path, problem: `crosses ${slice[0]} with itself`, fix: `write ${slice[0]} alone` }];
  }
  if (typeof slice === "object" && !Array.isArray(slice)) {
    const ascending = slice.bins.every((edge, i) => i === 0 || edge > slice.bins[i - 1]!);
    if (!ascending) {
      const sorted = [...new Set(slice.bins)].sort((a, b) => a - b);
      return [
        {
          path: [...path, "bins"],
          problem: "expected ascending numbers",
          fix: `sort the bin edges and drop repeats: [${sorted.join(", ")}]`,
        },
      ];
    }
  }
  return [];
}

/** Columns that `evaluation.slices` slices by, alone or in a cross. */
function slicedColumns(m: Manifest): Set<string> {
  const columns = new Set<string>();
  for (const slice of m.evaluation?.slices ?? []) {
    if (typeof slice === "string") columns.add(slice);
    else if (Array.isArray(slice)) for (const c of slice) columns.add(c);
    else columns.add(slice.column);
  }
  return columns;
}

function gateRules(m: Manifest): RuleProblem[] {
  const out: RuleProblem[] = [];
  const computed = m.evaluation?.metrics ?? [];
  const sliced = slicedColumns(m);
  const requireSliced = (column: string, path: FieldPath) => {
    if (!sliced.has(column)) {
      out.push({
        path,
        problem: `${column} is not sliced by evaluation.slices`,
        fix: `add ${column} to evaluation.slices`,
      });
    }
  };
  (m.gate?.rules ?? []).forEach((rule, i) => {
    const path = ["gate", "rules", i];
    if ("behaviour" in rule) {
      if (!m.behaviour) {
        out.push({
          path: [...path, "behaviour"],
          problem: "no behavioural test runs: the behaviour section is missing",
          fix: "add a behaviour: section (cases, invariance, directional, edge-cases, robustness) and run check-behaviour",
        });
      }
      return;
    }
    const [metricKey, metric] = "fairness" in rule ? ["fairness", rule.fairness] : ["metric", rule.metric];
    const criterion = FAIRNESS_CRITERIA[metric as FairnessCriterion] as readonly string[] | undefined;
    if ("fairness" in rule && rule.class !== undefined) {
      // One class against the rest: its rates come from the class counts, not evaluation.metrics.
      const classes = (m.artefact.classes ?? []).map(String);
      const rates = criterion ?? [metric];
      if (m.task !== "multiclass") {
        out.push({
          path: [...path, "class"],
          problem: `class: compares one class against the rest, for multiclass models; this model is ${m.task}`,
          fix: "remove class: from the rule",
        });
      } else if (!classes.includes(String(rule.class))) {
        out.push({
          path: [...path, "class"],
          problem: `${rule.class} is not one of artefact.classes (${classes.join(", ")})`,
          fix: "name one of artefact.classes",
        });
      } else if (!rates.every((r) => (ONE_VS_REST_RATES as readonly string[]).includes(r))) {
        out.push({
          path: [...path, "fairness"],
          problem: `${metric} is not a rate of one class against the rest`,
          fix: `compare demographic_parity, equal_opportunity, equalized_odds or one of ${ONE_VS_REST_RATES.join(", ")}`,
        });
      }
      if ((rule["max-gap"] === undefined) === (rule["min-ratio"] === undefined)) {
        out.push({ path, problem: "expected exactly one of max-gap or min-ratio", fix: "keep one of them" });
      }
      requireSliced(rule.across, [...path, "across"]);
      return;
    }
    if (criterion && m.evaluation) {
      const missing = criterion.filter((c) => !computed.includes(c));
      if (m.task !== "binary") {
        // The criteria's rates are of a yes/no decision; other tasks compare their own metrics.
        const example =
          m.task === "multiclass"
            ? `accuracy, across: region, max-gap: 0.05 }, or one class against the rest: { fairness: ${metric}, class: ${m.artefact.classes?.[0] ?? "<class>"}, across: region, max-gap: 0.1`
            : "mae, across: region, max-gap: 2";
        out.push({
          path: [...path, metricKey],
          problem: `${metric} compares the rates of a binary decision (${criterion.join(" and ")}), and this model is ${m.task}; a ${m.task} model's fairness rule compares a ${m.task} metric between groups`,
          fix: `compare one of ${metricsForTask(m.task).join(", ")} between groups, e.g. { fairness: ${example} }`,
        });
      } else if (missing.length > 0) {
        out.push({
          path: [...path, metricKey],
          problem: `${metric} compares ${criterion.join(" and ")}, not computed by evaluation.metrics`,
          fix: `add ${missing.join(", ")} to evaluation.metrics`,
        });
      }
    } else if (!m.evaluation) {
      out.push({
        path: [...path, metricKey],
        problem: "no metric is computed: the evaluation section is missing",
        fix: `add an evaluation section whose metrics include ${metric}`,
      });
    } else if (Object.hasOwn(m.evaluation["custom-metrics"] ?? {}, metric)) {
      // A custom metric is computed whenever it is defined.
    } else if (!(metricsForTask(m.task) as readonly string[]).includes(metric)) {
      // Adding it to evaluation.metrics would only move the error there.
      out.push({
        path: [...path, metricKey],
        problem: `${metric} is not a ${m.task} metric`,
        fix: `use a ${m.task} metric: ${metricsForTask(m.task).join(", ")}${m.evaluation["custom-metrics"] ? `, or a custom metric: ${Object.keys(m.evaluation["custom-metrics"]).join(", ")}` : ""}`,
      });
    } else if (!computed.includes(metric)) {
      out.push({
        path: [...path, metricKey],
        problem: `${metric} is not computed by evaluation.metrics`,
        fix: `add ${metric} to evaluation.metrics, or use one of ${computed.join(", ")}`,
      });
    }
    if ("fairness" in rule) {
      if ((rule["max-gap"] === undefined) === (rule["min-ratio"] === undefined)) {
        out.push({ path, problem: "expected exactly one of max-gap or min-ratio", fix: "keep one of them" });
      }
      requireSliced(rule.across, [...path, "across"]);
      return;
    }
    if (Array.isArray(rule.slices)) {
      rule.slices.forEach((column, j) => {
        requireSliced(column, [...path, "slices", j]);
      });
    }
    if ("vs" in rule) {
      if ((rule["max-drop"] === undefined) === (rule["max-drop-relative"] === undefined)) {
        out.push({
          path,
          problem: "expected exactly one of max-drop or max-drop-relative",
          fix: "keep one of them",
        });
      }
      const supplied = m.evaluation?.predictions;
      if (supplied && supplied.baseline === undefined) {
        out.push({
          path: [...path, "vs"],
          problem:
            "nothing to compare against: the scores are supplied and evaluation.predictions.baseline is not set",
          fix: "supply the baseline's scores in evaluation.predictions.baseline",
        });
      } else if (!supplied && m.evaluation && m.evaluation.baseline === undefined) {
        out.push({
          path: [...path, "vs"],
          problem: "nothing to compare against: evaluation.baseline is not set",
          fix: "set evaluation.baseline, e.g. baseline: production",
        });
      }
      return;
    }
    if (rule.min === undefined && rule.max === undefined) {
      out.push({ path, problem: "expected min or max", fix: `add min: or max: for ${rule.metric}` });
    } else if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) {
      out.push({ path, problem: `min ${rule.min} is above max ${rule.max}`, fix: "swap them" });
    }
  });
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

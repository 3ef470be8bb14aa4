import { missingOperatingParameter } from "../metrics/operating-metrics.js";
import type { FieldPath } from "./field-path.js";
import type { RuleProblem } from "./manifest-rules.js";
import { metricsForTask } from "./metric-names.js";
import type { Manifest, SliceSpec } from "./schema.js";
import { customMetricProblems, operatingSpecOf } from "./schema-operating.js";

/**
 * The `evaluation:` rules: metrics suit the task and have their operating parameters, slices are
 * well formed, custom metrics parse, supplied predictions and the weight column are consistent.
 *
 * @example
 * evaluationRules(manifest); // [] when every evaluation field agrees with the others
 */
export function evaluationRules(m: Manifest): RuleProblem[] {
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

/**
 * One slice spec's rules (bins ascend, a cross names distinct columns), wherever it appears.
 *
 * @example
 * sliceRules({ column: "age", bins: [30, 18] }, ["evaluation", "slices", 0]);
 * // [{ path: ["evaluation", "slices", 0, "bins"], problem: "expected ascending numbers", fix: "sort the bin edges and drop repeats: [18, 30]" }]
 */
export function sliceRules(slice: SliceSpec, path: FieldPath): RuleProblem[] {
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

/**
 * Columns that `evaluation.slices` slices by, alone or in a cross.
 *
 * @example
 * slicedColumns(manifest); // Set { "region", "tenure" }
 */
export function slicedColumns(m: Manifest): Set<string> {
  const columns = new Set<string>();
  for (const slice of m.evaluation?.slices ?? []) {
    if (typeof slice === "string") columns.add(slice);
    else if (Array.isArray(slice)) for (const c of slice) columns.add(c);
    else columns.add(slice.column);
  }
  return columns;
}

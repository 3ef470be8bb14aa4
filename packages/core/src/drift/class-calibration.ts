import type { Profile } from "../profile/profile.js";
import type { IsotonicFit } from "../stats/isotonic-regression.js";
import type { CalibrationCheck } from "./drift-result.js";
import { fitBins, MIN_CALIBRATION_ROWS } from "./reference-calibration.js";

/** One class's reference rows on the score grid: bin centre, rows not of the class, rows of it. */
interface ClassBins {
  centre: Float64Array;
  negatives: Float64Array;
  positives: Float64Array;
}

/** What the reference says about a multiclass model's class probabilities, and the recalibration fitted on it. */
export type ClassCalibration =
  | {
      status: "recalibrated";
      classes: string[];
      /** Labelled reference rows. */
      rows: number;
      /** Rows of the rarest class among them. */
      fewest: number;
      /** Per class: its reference bins (what a bootstrap resamples) and isotonic map, one-vs-rest. */
      bins: ClassBins[];
      maps: IsotonicFit[];
    }
  | { status: "not established"; classes: string[]; rows: number; fewest: number; reason: string };

/**
 * Measures a multiclass model's calibration on its reference and fits the recalibration the
 * multiclass estimate needs, one-vs-rest as NannyML does: per class, an isotonic regression of
 * "the label is this class" on that class's probability, over the reference's labelled
 * probabilities on the score grid (`profile.classCalibration`, written by promote).
 *
 * `not established` — the estimate then takes the raw probabilities at their word, with no
 * interval — when the reference has no labelled probabilities (a data file, a profile built
 * without the model or label, or an older one), they are of other classes than `classes`, there
 * are fewer than {@link MIN_CALIBRATION_ROWS} labelled rows, or a class has fewer than its
 * `perClass` rows (or all but that many).
 *
 * https://nannyml.readthedocs.io/en/stable/how_it_works/performance_estimation.html
 *
 * @example
 * classCalibration(profile, ["basic", "plus", "postpaid"]).status; // "recalibrated"
 */
export function classCalibration(profile: Profile, classes: readonly string[]): ClassCalibration {
  const stored = profile.classCalibration;
  const names = [...classes];
  const notEstablished = (reason: string, rows = 0, fewest = 0): ClassCalibration => ({
    status: "not established",
    classes: names,
    rows,
    fewest,
    reason,
  });
  if (!stored)
    return notEstablished(
      "the reference has no labelled class probabilities to check calibration on (a profile.json written by promote for a multiclass model with evaluation.label has them; a data file or an older profile does not)",
    );
  if (stored.classes.join("\u0000") !== names.join("\u0000") || stored.labelledScores.length !== names.length)
    return notEstablished(
      `the reference's labelled probabilities are of classes [${stored.classes.join(", ")}], not artefact.classes [${names.join(", ")}]`,
    );
  const bins = stored.labelledScores.map((labelled): ClassBins => {
    const n = labelled.counts.length / 3;
    const b = { centre: new Float64Array(n), negatives: new Float64Array(n), positives: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      b.centre[i] = (labelled.counts[3 * i]! + 0.5) / labelled.bins;
      b.negatives[i] = labelled.counts[3 * i + 1]!;
      b.positives[i] = labelled.counts[3 * i + 2]!;
    }
    return b;
  });
  const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
  const rows = bins.length > 0 ? sum(bins[0]!.negatives) + sum(bins[0]!.positives) : 0;
  const perClass = bins.map((b) => sum(b.positives));
  const fewest = Math.min(...perClass.map((p) => Math.min(p, rows - p)));
  if (rows < MIN_CALIBRATION_ROWS.total)
    return notEstablished(
      `the reference has ${rows} labelled rows; at least ${MIN_CALIBRATION_ROWS.total} are needed to fit a calibration`,
      rows,
      fewest,
    );
  if (fewest < MIN_CALIBRATION_ROWS.perClass) {
    const k = perClass.findIndex((p) => Math.min(p, rows - p) === fewest);
    return notEstablished(
      `class ${names[k]} has ${perClass[k]} of the reference's ${rows} labelled rows; at least ${MIN_CALIBRATION_ROWS.perClass} of it and of the other classes are needed to fit its calibration`,
      rows,
      fewest,
    );
  }
  return { status: "recalibrated", classes: names, rows, fewest, bins, maps: bins.map((b) => fitBins(b)) };
}

/**
 * A class calibration as `drift.json` reports it (`prediction.calibration`): `positives` holds the
 * rarest class's labelled rows.
 *
 * @example
 * classCalibrationCheck(classCalibration(profile, classes)).reason;
 * // "class probabilities recalibrated one-vs-rest by isotonic regression on 4,000 labelled reference rows"
 */
export function classCalibrationCheck(calibration: ClassCalibration): CalibrationCheck {
  const { status, rows, fewest } = calibration;
  if (status === "recalibrated")
    return {
      status,
      method: "isotonic regression",
      rows,
      positives: fewest,
      ece: null,
      reason: `class probabilities recalibrated one-vs-rest by isotonic regression on ${rows.toLocaleString("en-US")} labelled reference rows`,
    };
  return {
    status,
    method: null,
    rows,
    positives: fewest,
    ece: null,
    reason: `calibration not established, so the performance estimate assumes calibrated class probabilities unchecked: ${calibration.reason}`,
  };
}

import { kllRank } from "../profile/kll-sketch.js";
import type { Profile } from "../profile/profile.js";
import type { Check } from "../results/check.js";
import type { WindowBreach } from "./operational-health.js";
import type { PredictionAlerts, PredictionWindow } from "./prediction-alerts.js";
import type { PredictionSettings } from "./prediction-settings.js";
import { signalNumber, signalPercent } from "./signal-format.js";

/**
 * The per-window share limits: the low-confidence share fails when its whole Wilson interval is
 * above `max-share`, the predicted-class mix when its total variation distance from the
 * reference's exceeds `max-shift`; only windows with at least `min-rows` predictions are judged.
 */
export function windowShareChecks(
  breaches: WindowBreach[],
  windows: PredictionWindow[],
  referenceMix: PredictionAlerts["referenceMix"],
  settings: PredictionSettings,
): Check[] {
  const { limits } = settings;
  const checks: Check[] = [];
  const big = windows.filter((w) => w.scored >= limits["min-rows"]);
  const low = limits["low-confidence"];
  if (low) {
    const measured = big.filter((w) => w.lowConfidence !== null);
    checks.push(
      windowCheck(breaches, "low-confidence", low["max-share"], measured, (w) => w.lowConfidence!.share, {
        breach: (w) => w.lowConfidence!.ci[0] > low["max-share"],
        describe: (w) =>
          `${signalPercent(w.lowConfidence!.share)} of ${w.scored} scores below confidence ${low.below} (95% CI ${signalPercent(w.lowConfidence!.ci[0])}–${signalPercent(w.lowConfidence!.ci[1])})`,
        unavailable: settings.threshold === undefined ? "needs a binary classifier's scores" : null,
      }),
    );
  }
  const mix = limits["class-mix"];
  if (mix) {
    const measured = big.filter((w) => w.classShift !== null);
    checks.push(
      windowCheck(breaches, "class-mix", mix["max-shift"], measured, (w) => w.classShift!, {
        breach: (w) => w.classShift! > mix["max-shift"],
        describe: (w) =>
          `predicted-class shift ${signalNumber(w.classShift!)} (${sharesText(w.classShares)} vs reference ${sharesText(referenceMix!.shares)})`,
        unavailable: referenceMix ? null : `the reference has no predicted-class column "${settings.score}"`,
      }),
    );
  }
  return checks;
}

/**
 * The reference's predicted-class shares: of a logged class column (a multiclass model's numeric
 * classes from a reference read from data, by their text as the tally counts them), or of binary
 * scores at the threshold.
 */
export function mixOf(
  reference: Profile,
  score: string,
  threshold: number | undefined,
  task: PredictionSettings["task"],
): PredictionAlerts["referenceMix"] {
  const column = reference.columns[score];
  if (!column || column.count === 0) return null;
  if (column.kind === "category" || column.kind === "boolean") {
    const shares: Record<string, number> = {};
    for (const [c, n] of Object.entries(column.counts)) shares[c] = n / column.count;
    return { shares, from: "counts" };
  }
  if (column.kind === "number" && task === "multiclass") {
    if (!column.values || column.values.length === 0) return null;
    const counts: Record<string, number> = {};
    for (const v of column.values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
    const n = column.values.length;
    return { shares: Object.fromEntries(Object.entries(counts).map(([c, k]) => [c, k / n])), from: "values" };
  }
  if (column.kind !== "number" || threshold === undefined) return null;
  let below: number;
  let from: "values" | "sketch";
  if (column.values) {
    below = 0;
    for (const v of column.values) if (v < threshold) below++;
    from = "values";
  } else {
    // The sketch counts values ≤ x: the largest double below the threshold stands for "< threshold".
    below = kllRank(column.sketch, threshold - Number.EPSILON * Math.max(1, Math.abs(threshold)));
    from = "sketch";
  }
  const n = column.values ? column.values.length : column.sketch.n;
  return { shares: { negative: below / n, positive: 1 - below / n }, from };
}

/** Half the summed absolute differences of two share maps (classes missing from one count as 0). */
export function totalVariation(a: Record<string, number>, b: Record<string, number>): number {
  let sum = 0;
  for (const c of new Set([...Object.keys(a), ...Object.keys(b)])) sum += Math.abs((a[c] ?? 0) - (b[c] ?? 0));
  return sum / 2;
}

function windowCheck(
  breaches: WindowBreach[],
  id: string,
  limit: number,
  windows: PredictionWindow[],
  value: (w: PredictionWindow) => number,
  rule: {
    breach: (w: PredictionWindow) => boolean;
    describe: (w: PredictionWindow) => string;
    unavailable: string | null;
  },
): Check {
  if (rule.unavailable)
    return { id, status: "skip", value: null, limit, reason: `${id}: unavailable (${rule.unavailable})` };
  if (windows.length === 0)
    return {
      id,
      status: "skip",
      value: null,
      limit,
      reason: `${id}: no window with enough predictions to judge`,
    };
  const breaching = windows.filter(rule.breach);
  for (const w of breaching) breaches.push({ start: w.start, check: id });
  const pool = breaching.length > 0 ? breaching : windows;
  const worst = pool.reduce((a, b) => (value(b) > value(a) ? b : a));
  const reason =
    breaching.length > 0
      ? `${id}: ${rule.describe(worst)} in the window from ${worst.start}, limit ${signalNumber(limit)} (${breaching.length} of ${windows.length} windows breach; first from ${breaching[0]!.start})`
      : `${id}: worst ${rule.describe(worst)} in the window from ${worst.start}, within ${signalNumber(limit)}`;
  return { id, status: breaching.length > 0 ? "fail" : "pass", value: value(worst), limit, reason };
}

function sharesText(shares: Record<string, number>): string {
  return Object.entries(shares)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([c, s]) => `${c} ${signalPercent(s)}`)
    .join(", ");
}

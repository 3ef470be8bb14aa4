import { escapeMarkdown, inlineCode } from "../report/escape.js";
import { formatNumber } from "../report/evaluation-format.js";
import { markdownTable } from "../report/markdown-table.js";
import type { RequestDifference, ShadowResult } from "./shadow-result.js";

type DifferenceTable = (title: string, rows: readonly RequestDifference[], a: string, b: string) => string[];
const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`;

/**
 * The training-serving skew part of the Shadow section: replayed champion scores against served
 * ones, and served features against offline ones per column, with the request ids that differ most.
 *
 * @example
 * renderShadowSkew(result, differences);
 * // ["#### Training-serving skew", "", "Champion replayed on the logged features: 3979 of 4000 …", …]
 */
export function renderShadowSkew(r: ShadowResult, differences: DifferenceTable): string[] {
  const out: string[] = [];
  const replay = r.skew.replay;
  if (replay) {
    out.push(
      "#### Training-serving skew",
      "",
      `Champion replayed on the logged features: ${replay.mismatched} of ${replay.n} served scores not reproduced (${pct(replay.share)}, largest difference ${formatNumber(replay.maxAbsDiff)}).`,
      "",
      ...differences("Served scores not reproduced", replay.largest, "served", "replayed"),
    );
  }
  const f = r.skew.features;
  if (f) {
    if (!replay) out.push("#### Training-serving skew", "");
    out.push(
      `Offline features from ${inlineCode(f.source)}: ${f.matched} requests matched by id (${f.unmatched} logged requests not found), ${f.mismatchedRows} with a differing feature (${pct(f.share)}).`,
      "",
      markdownTable(
        ["Feature", "Rows differing", "Share", "Largest difference", "Requests"],
        f.columns
          .filter((c) => c.mismatched > 0)
          .map((c) => [
            { text: c.column },
            c.mismatched,
            pct(c.share),
            formatNumber(c.maxAbsDiff),
            c.largest.map((d) => escapeMarkdown(d.id, 40)).join(", "),
          ]),
      ),
      "",
    );
  }
  return out;
}

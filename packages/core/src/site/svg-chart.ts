import { formatNumber } from "../report/evaluation-format.js";
import { escapeHtml } from "./escape-html.js";

/** One point of a chart: an x label (a version, a window), a value and its interval. */
export interface ChartPoint {
  label: string;
  value: number | null;
  ci?: [number, number] | null;
}

const WIDTH = 640;
const HEIGHT = 200;
const LEFT = 56;
const RIGHT = 16;
const TOP = 16;
const BOTTOM = 44;

/** Nice y range over every value and interval end, padded so points never touch the frame. */
function yRange(points: ChartPoint[], include: number[], floor?: number): [number, number] {
  const values = points.flatMap((p) => [p.value, ...(p.ci ?? [])]).filter((v): v is number => v !== null);
  const all = [...values, ...include].filter((v) => Number.isFinite(v));
  if (all.length === 0) return [0, 1];
  let low = Math.min(...all);
  let high = Math.max(...all);
  if (high - low < 1e-9) {
    low -= 0.5 * Math.max(Math.abs(low), 1e-3);
    high += 0.5 * Math.max(Math.abs(high), 1e-3);
  }
  const pad = (high - low) * 0.08;
  // Bars start at their floor (0): padding below it would draw an axis value no bar can reach.
  return [floor !== undefined && low >= floor ? floor : low - pad, high + pad];
}

function frame(title: string, points: ChartPoint[], range: [number, number], body: string): string {
  const [low, high] = range;
  const y = (v: number) => TOP + ((high - v) / (high - low)) * (HEIGHT - TOP - BOTTOM);
  const ticks = [low, (low + high) / 2, high]
    .map(
      (v) =>
        `<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>` +
        `<text class="tick" x="${LEFT - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(formatNumber(v))}</text>`,
    )
    .join("");
  const step = (WIDTH - LEFT - RIGHT) / Math.max(points.length, 1);
  const labels = points
    .map(
      (p, i) =>
        `<text class="tick" x="${(LEFT + step * (i + 0.5)).toFixed(1)}" y="${HEIGHT - BOTTOM + 18}" text-anchor="middle">${escapeHtml(p.label)}</text>`,
    )
    .join("");
  return (
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeHtml(title)}</title>${ticks}${labels}${body}</svg>`
  );
}

/**
 * A metric across versions as an inline SVG: a dot per version and its interval as a whisker,
 * drawn by hand so the page needs no script or image host. Versions without a value leave a gap.
 *
 * @example
 * intervalChart("roc_auc by version", [{ label: "1.1.0", value: 0.81, ci: [0.79, 0.83] }, { label: "1.2.0", value: 0.84, ci: [0.82, 0.86] }]);
 * // '<svg class="chart" viewBox="0 0 640 200" role="img" aria-label="roc_auc by version" …><circle class="point" …/>…</svg>'
 */
export function intervalChart(title: string, points: ChartPoint[]): string {
  const range = yRange(points, []);
  const [low, high] = range;
  const y = (v: number) => TOP + ((high - v) / (high - low)) * (HEIGHT - TOP - BOTTOM);
  const step = (WIDTH - LEFT - RIGHT) / Math.max(points.length, 1);
  const body = points
    .map((p, i) => {
      if (p.value === null) return "";
      const x = (LEFT + step * (i + 0.5)).toFixed(1);
      const text = `${p.label}: ${formatNumber(p.value)}${p.ci ? ` [${formatNumber(p.ci[0])}, ${formatNumber(p.ci[1])}]` : ""}`;
      const whisker = p.ci
        ? `<line class="ci" x1="${x}" x2="${x}" y1="${y(p.ci[0]).toFixed(1)}" y2="${y(p.ci[1]).toFixed(1)}"/>`
        : "";
      return `<g>${whisker}<circle class="point" cx="${x}" cy="${y(p.value).toFixed(1)}" r="5"><title>${escapeHtml(text)}</title></circle></g>`;
    })
    .join("");
  return frame(title, points, range, body);
}

/**
 * Values per window as an inline SVG bar chart, with a dashed line at `limit` (e.g. the alert
 * limit of a drift index at 1) when given.
 *
 * @example
 * barChart("drift index by day", [{ label: "05-30", value: 0.4 }, { label: "05-31", value: 1.7 }], 1);
 * // '<svg class="chart" …><rect class="bar" …/>…<line class="limit" …/></svg>'
 */
export function barChart(title: string, points: ChartPoint[], limit?: number): string {
  const range = yRange(points, [0, ...(limit === undefined ? [] : [limit])], 0);
  const [low, high] = range;
  const y = (v: number) => TOP + ((high - v) / (high - low)) * (HEIGHT - TOP - BOTTOM);
  const step = (WIDTH - LEFT - RIGHT) / Math.max(points.length, 1);
  const bars = points
    .map((p, i) => {
      if (p.value === null) return "";
      const top = Math.min(y(p.value), y(0));
      const height = Math.abs(y(p.value) - y(0));
      const over = limit !== undefined && p.value >= limit ? " over" : "";
      return (
        `<rect class="bar${over}" x="${(LEFT + step * i + step * 0.15).toFixed(1)}" y="${top.toFixed(1)}" ` +
        `width="${(step * 0.7).toFixed(1)}" height="${height.toFixed(1)}"><title>${escapeHtml(`${p.label}: ${formatNumber(p.value)}`)}</title></rect>`
      );
    })
    .join("");
  const line =
    limit === undefined
      ? ""
      : `<line class="limit" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(limit).toFixed(1)}" y2="${y(limit).toFixed(1)}"/>`;
  return frame(title, points, range, bars + line);
}

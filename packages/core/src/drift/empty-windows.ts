/** The windows without logs: how many, and the starts of the first `listed`. */
export interface EmptyWindows {
  count: number;
  /** ISO starts of the first empty windows, in time order. */
  starts: string[];
}

/**
 * The windows with no logged rows between the first and the last window that has some: the days
 * (or hours) a log shipment is missing. Windows are `{ start, end }` ISO strings in time order,
 * all of one width, as a drift result lists them. At most `listed` starts are returned; `count`
 * counts them all (a year-long gap in hourly windows is one number, not 8,760 strings).
 *
 * @example
 * emptyWindows([
 *   { start: "2025-06-01T00:00:00.000Z", end: "2025-06-02T00:00:00.000Z" },
 *   { start: "2025-06-04T00:00:00.000Z", end: "2025-06-05T00:00:00.000Z" },
 * ]);
 * // { count: 2, starts: ["2025-06-02T00:00:00.000Z", "2025-06-03T00:00:00.000Z"] }
 */
export function emptyWindows(windows: readonly { start: string; end: string }[], listed = 10): EmptyWindows {
  const out: EmptyWindows = { count: 0, starts: [] };
  const first = windows[0];
  if (!first) return out;
  const width = Date.parse(first.end) - Date.parse(first.start);
  if (!(width > 0)) return out;
  for (let i = 1; i < windows.length; i++) {
    const from = Date.parse(windows[i - 1]!.end);
    const to = Date.parse(windows[i]!.start);
    const gap = Math.max(0, Math.ceil((to - from) / width));
    for (let k = 0; k < gap && out.starts.length < listed; k++)
      out.starts.push(new Date(from + k * width).toISOString());
    out.count += gap;
  }
  return out;
}

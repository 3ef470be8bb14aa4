import { describe, expect, it } from "vitest";
import { emptyWindows } from "./empty-windows.js";

const day = (d: string) => ({ start: `2025-06-${d}T00:00:00.000Z`, end: next(d) });
const next = (d: string) => `2025-06-${String(Number(d) + 1).padStart(2, "0")}T00:00:00.000Z`;

describe("emptyWindows", () => {
  it("lists each missing window between the first and the last, by its start", () => {
    expect(emptyWindows([day("01"), day("02"), day("05"), day("07")])).toEqual({
      count: 3,
      starts: ["2025-06-03T00:00:00.000Z", "2025-06-04T00:00:00.000Z", "2025-06-06T00:00:00.000Z"],
    });
    expect(emptyWindows([day("01"), day("05")], 2)).toEqual({
      count: 3,
      starts: ["2025-06-02T00:00:00.000Z", "2025-06-03T00:00:00.000Z"],
    });
  });

  it("finds none in consecutive windows, one window or none", () => {
    const none = { count: 0, starts: [] };
    expect(emptyWindows([day("01"), day("02"), day("03")])).toEqual(none);
    expect(emptyWindows([day("01")])).toEqual(none);
    expect(emptyWindows([])).toEqual(none);
  });

  it("steps by the windows' width, e.g. 6 hours", () => {
    const six = (h: number) => ({
      start: new Date(Date.UTC(2025, 5, 1, h)).toISOString(),
      end: new Date(Date.UTC(2025, 5, 1, h + 6)).toISOString(),
    });
    expect(emptyWindows([six(0), six(18)]).starts).toEqual([
      "2025-06-01T06:00:00.000Z",
      "2025-06-01T12:00:00.000Z",
    ]);
    // A year-long gap in hourly windows is counted, not listed.
    const hour = (t: number) => ({
      start: new Date(t).toISOString(),
      end: new Date(t + 3_600_000).toISOString(),
    });
    const t0 = Date.UTC(2024, 0, 1);
    const gap = emptyWindows([hour(t0), hour(t0 + 366 * 86_400_000)]);
    expect(gap.count).toBe(366 * 24 - 1);
    expect(gap.starts).toHaveLength(10);
  });
});

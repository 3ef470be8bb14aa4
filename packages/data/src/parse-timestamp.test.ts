import { describe, expect, it } from "vitest";
import { parseTimestamp, timestampInRange } from "./parse-timestamp.js";

const march1 = Date.UTC(2024, 2, 1);

describe("parseTimestamp", () => {
  it.each([
    ["2024-03-01", march1],
    ["2024-03-01T00:00:00Z", march1],
    ["2024-03-01t00:00z", march1],
    ["2024-03-01 00:00:00", march1],
    ["2024-03-01T02:00:00+02:00", march1],
    ["2024-03-01T02:00:00+0200", march1],
    ["2024-03-01T02:00:00+02", march1],
    ["2024-02-29T19:00:00-05:00", march1],
    ["2024-02-29T18:30:00.000 -05:30", march1],
    ["2024-03-01T00:00:00.250Z", march1 + 250],
    ["2024-03-01T00:00:00.123456789Z", march1 + 123],
    ["2024-03-01T00:00:00,5", march1 + 500],
    [" 2024-03-01 ", march1],
    ["1969-12-31T23:59:59Z", -1000],
    ["0001-01-01", Date.UTC(2000, 0, 1) - 730_119 * 86_400_000],
  ])("reads %j as UTC milliseconds", (text, ms) => {
    expect(parseTimestamp(text)).toBe(ms);
  });

  it("agrees with Date.parse on a spread of dates with offsets", () => {
    for (let day = 0; day < 800; day += 7) {
      const date = new Date(Date.UTC(1999, 11, 1) + day * 86_400_000 + day * 3_600_123);
      const iso = date.toISOString();
      expect(parseTimestamp(iso)).toBe(date.getTime());
      const shifted = `${iso.slice(0, 19)}-03:30`;
      expect(parseTimestamp(shifted)).toBe(Date.parse(shifted));
    }
  });

  it.each([
    "2023-02-29",
    "2024-13-01",
    "2024-04-31",
    "2024-03-01T24:00:00",
    "2024-03-01T12:60",
    "2024-03-01T12",
    "2024-03-01T12:00:00+25:00",
    "2024-03-01T12:00:00+05:",
    "2024-03-01T12:00:00.Z",
    "2024-03-01Z",
    "01/03/2024",
    "20240301",
    "2024-3-1",
    "yesterday",
    "",
  ])("rejects %j", (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });

  it("parses a range of a longer text", () => {
    expect(timestampInRange("id,2024-03-01,x", 3, 13)).toBe(march1);
  });
});

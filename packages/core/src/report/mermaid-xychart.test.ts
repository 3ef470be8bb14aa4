import { describe, expect, it } from "vitest";
import { mermaidLabel, mermaidXyChart } from "./mermaid-xychart.js";

describe("mermaidLabel", () => {
  it("replaces what would end the quoted label or open a list, and clips", () => {
    expect(mermaidLabel("[6, 12)")).toBe("［6, 12)");
    expect(mermaidLabel('say "hi" <b>&\n`x`')).toBe("say 'hi' ‹b›＆ _x_");
    expect(mermaidLabel("abcdefghij", 5)).toBe("abcd…");
  });
});

describe("mermaidXyChart", () => {
  it("writes a fenced xychart-beta with bars and a line over the same categories", () => {
    const chart = mermaidXyChart({
      title: "roc_auc by slice",
      xTitle: "slice",
      yTitle: "roc_auc",
      labels: ["AE", 'M"A'],
      bar: [0.85123456, Number.NaN],
      line: [0.8, 0.79],
    });
    expect(chart.split("\n")).toEqual([
      "```mermaid",
      "xychart-beta",
      '  title "roc_auc by slice"',
      '  x-axis "slice" ["AE", "M\'A"]',
      '  y-axis "roc_auc"',
      "  bar [0.8512, 0]",
      "  line [0.8, 0.79]",
      "```",
    ]);
  });
});

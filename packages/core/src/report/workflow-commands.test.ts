import { describe, expect, it } from "vitest";
import { neutralizeWorkflowCommands } from "./workflow-commands.js";

/** A line the runner would run as a command: after trimming whitespace it starts with `::` or `##[`. */
const commandLines = (text: string) =>
  text.split("\n").filter((line) => /^(::|##\[)/.test(line.replace(/^[\s\uFEFF\u00A0]+/, "")));

describe("neutralizeWorkflowCommands", () => {
  it.each([
    "data/x\n::set-output name=passed::true\n.csv",
    "::add-mask::secret",
    "a\n   ::stop-commands::tok",
    "a\r\n::error::forged",
    "a\n\r::warning::forged",
    "a\n##[set-output name=passed;]true",
    "\t::group::x",
  ])("leaves no line the runner would read as a command in %j", (text) => {
    expect(commandLines(text)).not.toEqual([]);
    const safe = neutralizeWorkflowCommands(text);
    expect(commandLines(safe)).toEqual([]);
    // The same characters, plus the invisible joiners.
    expect(safe.replace(/\u2060/g, "")).toBe(text);
  });

  it("leaves ordinary output alone, including :: inside a line", () => {
    const text = "validate churn: pass (report: .gauntlet/churn/validation.md)\nsee a::b\n";
    expect(neutralizeWorkflowCommands(text)).toBe(text);
  });
});

import { escapeMarkdown } from "../report/escape.js";
import { formatNumber } from "../report/evaluation-format.js";
import { markdownTable, type TableCell } from "../report/markdown-table.js";
import type { CheckStatus } from "../results/check.js";
import type { BehaviourExample, BehaviourResult, BehaviourTest, CellValue } from "./behaviour-result.js";

const ICON: Record<CheckStatus, string> = { pass: "✅", warn: "⚠️", fail: "❌", skip: "⏭️" };

const cell = (v: CellValue): TableCell => (v === null ? "∅" : { text: String(v), max: 40 });
// Counts (failing cases, edge values) read as whole numbers; shares and spreads with decimals.
const value = (v: number | null) => (v === null ? "—" : Number.isInteger(v) ? String(v) : formatNumber(v));

// A multiclass side is its decided class and that class's probability.
const side = (score: number, label: string | undefined) =>
  label === undefined ? score.toFixed(3) : `${escapeMarkdown(label, 40)} (${score.toFixed(3)})`;

function examplesTable(examples: readonly BehaviourExample[], showValues: boolean): string[] {
  if (examples.length === 0) return [];
  if (!showValues) return examples.map((e) => `  - ${escapeMarkdown(e.note, 300)}`);
  const columns = Object.keys(examples[0]!.inputs);
  return [
    "",
    markdownTable(
      [...columns.map((c) => escapeMarkdown(c, 40)), "what happened"],
      examples.map((e) => [...columns.map((c) => cell(e.inputs[c] ?? null)), { text: e.note, max: 300 }]),
    ),
    "",
  ];
}

function testRow(t: BehaviourTest): TableCell[] {
  const production = t.production ? `${ICON[t.production.status]} ${value(t.production.value)}` : "—";
  const name = t.newlyFailing ? `**${escapeMarkdown(t.name)}** (new)` : escapeMarkdown(t.name);
  return [
    `${ICON[t.candidate.status]} ${name}`,
    value(t.candidate.value),
    value(t.limit),
    production,
    { text: t.candidate.reason, max: 400 },
  ];
}

/**
 * The "Behaviour" section of the sticky comment and the job summary: the verdict, tests the
 * candidate newly fails first, a table of every test on both models, the offending inputs of each
 * failing test and, for the approver's sanity check, the rows where candidate and production
 * disagree most. Data-derived text is escaped; rows' values appear only when `examples` is on.
 *
 * @example
 * renderBehaviourSection(result);
 * // "### Behaviour\n\n❌ **1 of 6 tests fail** (1 newly: invariance:region) …"
 */
export function renderBehaviourSection(
  result: BehaviourResult,
  showValues = result.disagreements !== null,
): string {
  const failing = result.tests.filter((t) => t.candidate.status === "fail");
  const newly = result.tests.filter((t) => t.newlyFailing);
  const headline =
    failing.length === 0
      ? `${result.status === "warn" ? "⚠️" : "✅"} **All ${result.tests.length} behavioural tests pass**${result.status === "warn" ? " (with warnings)" : ""}`
      : `❌ **${failing.length} of ${result.tests.length} behavioural tests fail**` +
        (newly.length > 0 ? ` (newly failing: ${newly.map((t) => escapeMarkdown(t.name)).join(", ")})` : "");
  const against = result.production
    ? "candidate and production"
    : "the candidate (no production model given)";
  const sample = result.sample
    ? `; probes from ${result.sample.rows} rows of ${escapeMarkdown(result.sample.source)}`
    : "";
  const ordered = [...newly, ...result.tests.filter((t) => !t.newlyFailing)];
  const lines = [
    "### Behaviour",
    "",
    `${headline} · ${against} · threshold ${result.threshold}${sample}`,
    "",
    markdownTable(["test", "candidate", "limit", "production", "reason"], ordered.map(testRow)),
  ];
  for (const t of ordered.filter((t) => t.candidate.status === "fail" || t.candidate.status === "warn")) {
    if (t.candidate.examples.length === 0) continue;
    lines.push(
      "",
      `<details><summary>${escapeMarkdown(t.name)}: ${t.candidate.failures} of ${t.candidate.judged} offending; worst ${t.candidate.examples.length}</summary>`,
      "",
    );
    lines.push(...examplesTable(t.candidate.examples, showValues), "</details>");
  }
  if (result.disagreements && result.disagreements.length > 0) {
    const columns = Object.keys(result.disagreements[0]!.inputs);
    lines.push(
      "",
      "<details><summary>Rows where candidate and production disagree most (for a sanity check)</summary>",
      "",
      markdownTable(
        [...columns.map((c) => escapeMarkdown(c, 40)), "candidate", "production"],
        result.disagreements.map((d) => [
          ...columns.map((c) => cell(d.inputs[c] ?? null)),
          side(d.candidate, d.candidateClass),
          side(d.production, d.productionClass),
        ]),
      ),
      "",
      "</details>",
    );
  }
  for (const note of result.notes) lines.push("", `> ${escapeMarkdown(note, 500)}`);
  return `${lines.join("\n")}\n`;
}

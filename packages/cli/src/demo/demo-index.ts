import { relative } from "node:path";
import { escapeMarkdown, markdownTable } from "@gauntlet/core";
import type { DemoRun, DemoStep } from "./demo-types.js";

const STEP_ACTION: Record<string, string> = {
  validate: "validate-data",
  evaluate: "evaluate-slices",
  shadow: "shadow-compare",
  behaviour: "check-behaviour",
  gate: "release-gate",
  promote: "promote",
  drift: "drift-check",
};

/**
 * `index.md` of a demo run: what ran, each step's verdict with links to its report and result,
 * the sticky comment, and the generated inputs with their digests. Links are relative to the
 * output folder, so the folder can be moved or zipped.
 *
 * @example
 * renderDemoIndex(run);
 * // "# gauntlet demo · churn v1.3.0\n\n..."
 */
export function renderDemoIndex(run: DemoRun): string {
  const link = (path: string) => relative(run.outDir, path).split("\\").join("/");
  const e = (text: string) => escapeMarkdown(text, 600);
  const { name, version } = run.model;
  const stepTable = (steps: readonly DemoStep[]) =>
    markdownTable(
      ["when", "step (action)", "verdict", "why", "report", "result", "time"],
      steps.map((s) => [
        s.when,
        `\`${s.name}\` (${STEP_ACTION[s.name]})`,
        `**${e(s.verdict)}**`,
        e(s.detail),
        `[${link(s.report)}](${link(s.report)})`,
        `[${link(s.result)}](${link(s.result)})`,
        `${s.seconds.toFixed(1)} s`,
      ]),
      // index.md is a file, not a comment: never cut.
      { maxLength: Number.POSITIVE_INFINITY },
    );
  const companion = run.companion;
  const companionSection = companion
    ? [
        `## ${e(companion.model.name)} v${e(companion.model.version)}: the example's multiclass model`,
        "",
        `The same pull request and merge for the example's second model, a three-class classifier, against ` +
          `${e(companion.model.name)} v${e(companion.production.version)} (release \`${companion.production.tag}\`, in the same registry). ` +
          "Its shadow comparison reads the class production served from the log; it has no `behaviour:`, so check-behaviour skips it.",
        "",
        stepTable(companion.steps),
        "",
        `Its sticky comment: [${link(companion.comment)}](${link(companion.comment)}); its release body: [${link(companion.card)}](${link(companion.card)}).`,
        "",
      ]
    : [];
  const production = run.production;
  const fileLink = (path: string) => `[${link(path)}](${link(path)})`;
  const inputs = [...run.inputs, ...(companion?.inputs ?? [])].map((i) => [
    fileLink(i.path),
    e(i.about),
    `\`${i.fixture}\``,
    i.bytes.toLocaleString("en-US"),
    `\`${i.sha256.slice(0, 12)}…\``,
  ]);
  const generated = [
    ...inputs,
    [
      fileLink(production.profileFile),
      "the reference profile of the production release, built as promote builds it",
      "",
      "",
      "",
    ],
    ...(companion
      ? [
          [
            fileLink(companion.production.profileFile),
            `the reference profile of the ${e(companion.model.name)} production release`,
            "",
            "",
            "",
          ],
        ]
      : []),
    [
      fileLink(production.registryFile),
      `the registry: \`${production.tag}\` released, alias \`${e(name)}/production\` on it${companion ? `; \`${companion.production.tag}\` and alias \`${e(companion.model.name)}/production\` too` : ""}`,
      "",
      "",
      "",
    ],
  ];
  return [
    `# gauntlet demo · ${e(name)} v${e(version)}`,
    "",
    `The pull-request-to-release flow of [the example](${link(run.exampleDir)}), run offline by ` +
      `\`gauntlet demo\` with the same step functions as the actions, in ${run.seconds.toFixed(1)} s. ` +
      `The candidate is the example's ${e(name)} v${e(version)}; production is ${e(name)} v${e(production.version)} ` +
      `(release \`${production.tag}\`).`,
    "",
    stepTable(run.steps),
    "",
    `The sticky pull request comment the four pull request actions would leave: [comment.md](${link(run.comment)}).`,
    `The release body promote would publish: [${link(run.card)}](${link(run.card)}).`,
    "",
    ...companionSection,
    "## What the demo generated",
    "",
    "Seeded by the fixture generator with the options `examples/churn/generate.mjs` uses, so these files",
    "belong to the same synthetic population as the example's data and model.",
    "",
    markdownTable(["file", "what", "fixture file", "bytes", "sha256"], generated, {
      maxLength: Number.POSITIVE_INFINITY,
    }),
    "",
    "## What runs only on GitHub",
    "",
    "- Approvals: the gate counts pull request reviews; locally it reports them as pending.",
    "- Publishing: the comment is written to comment.md instead of the pull request; no check run, no job summary, no annotations.",
    "- The registry: promote only plans here (a dry run against registry.json); on merge it tags, releases, moves the alias and records the deployment.",
    "- Drift issues: drift-check opens or updates an issue assigned to the model's owner; here the report is only written.",
    "",
  ].join("\n");
}

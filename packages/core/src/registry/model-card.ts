import type { Manifest } from "../manifest/schema.js";
import { escapeMarkdown, inlineCode } from "../report/escape.js";
import { type EvaluationProvenance, provenanceLines } from "../report/evaluation-provenance.js";
import { markdownTable } from "../report/markdown-table.js";
import { renderCardEvaluation } from "./card-evaluation.js";
import type { CardEvaluation, CardGate, GateVerdict } from "./card-results.js";
import { releaseName } from "./registry-names.js";
import { type ReleaseRecord, releaseRecordComment } from "./release-record.js";

/** What the model card is made from. Data-derived text is escaped here. */
export interface ModelCardInput {
  manifest: Manifest;
  commit: string;
  artefact: { name: string; sha256: string; size: number };
  evaluation?: CardEvaluation | undefined;
  gate?: CardGate | undefined;
  /** The gate as GitHub recorded it; `null` when `require-gate: false` skipped the check. */
  verdict: GateVerdict | null;
  /**
   * A local dry run without GitHub: the gate was required but checked on `gate.json` alone, with
   * no pull request, check run or reviews read. Only read when `verdict` is `null`.
   */
  gateCheckedLocally?: boolean;
  /** Whether `profile.json` is attached (it needs `evaluation.data`). */
  profile: boolean;
  /** `owner/name` of the repository releasing it, for the verification command. */
  repository?: string | undefined;
}

const e = (text: string): string => escapeMarkdown(text, 500);

/**
 * The release body: purpose, owner, task, inputs and outputs, provenance with hashes, the
 * evaluation headline and worst slices, the gate verdict and approvers, and known limitations.
 *
 * @example
 * renderModelCard({ manifest, commit, artefact: { name: "model.onnx", sha256, size: 1234 }, verdict, profile: true });
 * // "# churn v1.3.0\n\nMonthly churn propensity ...\n\n| | |\n| --- | --- |\n| Owner | @⁠acme/risk-ml |..."
 */
export function renderModelCard(input: ModelCardInput): string {
  const { manifest: m } = input;
  const out = [`# ${e(releaseName(m.name, m.version))}`, ""];
  if (m.description) out.push(e(m.description), "");
  out.push(
    markdownTable(
      ["", ""],
      [
        ["Owner", e(m.owner)],
        ["Task", m.task],
        ["Commit", inlineCode(input.commit)],
        ["Artefact", `${inlineCode(input.artefact.name)} (${input.artefact.size} bytes)`],
        ["SHA-256", inlineCode(input.artefact.sha256)],
      ],
    ),
    "",
    "## Inputs and outputs",
    "",
    ...signature(m),
    "",
    "## Provenance",
    "",
    ...provenance(m, input.evaluation?.provenance?.trainingData ?? null),
    ...(input.evaluation?.provenance ? provenanceLines(input.evaluation.provenance) : []),
    "",
    "## Evaluation",
    "",
    input.evaluation
      ? renderCardEvaluation(input.evaluation, m.evaluation?.metrics[0])
      : "Evaluation results were not provided to this release (no `evaluation.json` in `results-dir`).",
    "",
    "## Release gate",
    "",
    ...gate(input),
    "",
    "## Known limitations",
    "",
    ...(m.limitations.length > 0
      ? m.limitations.map((l) => `- ${e(l)}`)
      : ["None recorded in the manifest."]),
    "",
    "## Assets",
    "",
    ...assets(input),
    "",
    "## Verifying a download",
    "",
    `Compare a downloaded asset's \`sha256sum\` with the SHA-256 above. When the release workflow attests the assets with \`actions/attest-build-provenance\` (promote's \`subject-paths\` output; see the promote action's README), GitHub holds a signed build provenance for each: check one with`,
    "",
    "```sh",
    `gh attestation verify ${input.artefact.name.replace(/[^\w.-]/g, "_")} --repo ${input.repository?.replace(/[^\w./-]/g, "_") ?? "<owner>/<repo>"}`,
    "```",
    "",
    "gauntlet signs nothing itself.",
  );
  const text = out
    .filter((line, i, all) => line !== "" || all[i - 1] !== "")
    .join("\n")
    .trim();
  return `${text}\n\n${releaseRecordComment(releaseRecord(input))}\n`;
}

function releaseRecord(input: ModelCardInput): ReleaseRecord {
  const { manifest: m, verdict: v } = input;
  const data = m.provenance?.["training-data"];
  const p = m.provenance;
  return {
    model: m.name,
    version: m.version,
    commit: input.commit,
    artefact: { name: input.artefact.name, sha256: input.artefact.sha256 },
    pull: v ? { number: v.pullNumber, headSha: v.headSha, approvers: [...v.approvers] } : null,
    gate: v ? v.conclusion : (input.gate?.status ?? null),
    trainingData: data
      ? {
          location: data.path ?? data.uri ?? "unnamed",
          sha256: data.sha256 ?? null,
          verified: input.evaluation?.provenance?.trainingData?.verified ?? "not verified",
        }
      : null,
    code: p && (p.code || p.commit) ? { path: p.code ?? null, commit: p.commit ?? null } : null,
  };
}

function assets(input: ModelCardInput): string[] {
  const what = input.manifest.evaluation?.predictions
    ? "the artefact (verified by SHA-256; its scores were supplied)"
    : "the model";
  const lines = [`- ${inlineCode(input.artefact.name)}: ${what}`];
  if (input.evaluation) lines.push("- `evaluation.json`: the evaluation above");
  if (input.gate) lines.push("- `gate.json`: the gate verdict");
  lines.push(
    input.profile
      ? "- `profile.json`: the reference profile of the evaluation data that `drift-check` compares against"
      : "- no `profile.json`: the manifest has no `evaluation.data` to profile",
  );
  return lines;
}

function signature(m: Manifest): string[] {
  const a = m.artefact;
  const lines: string[] = [];
  const supplied = m.evaluation?.predictions;
  if (supplied) {
    const columns = (c: string | string[]) =>
      (Array.isArray(c) ? c : [c]).map((n) => inlineCode(n)).join(", ");
    const where = supplied.file
      ? inlineCode(supplied.file)
      : `the evaluation data ${inlineCode(m.evaluation!.data)}`;
    lines.push(
      `Scores were supplied, not computed by gauntlet: the candidate's in ${columns(supplied.candidate)}` +
        `${supplied.baseline ? `, the baseline's in ${columns(supplied.baseline)}` : ""} of ${where}` +
        " (`evaluation.predictions`; `evaluation.json` records their SHA-256). The artefact was verified by its SHA-256 and never run.",
    );
    if (a.classes)
      lines.push(
        "",
        `Classes: ${a.classes.map((c) => e(String(c))).join(", ")}${a.positive === undefined ? "" : ` (positive: ${e(String(a.positive))})`}.`,
      );
    return lines;
  }
  if (a.inputs === "auto") lines.push("Inputs: every model input is fed by the column of the same name.");
  else {
    lines.push(
      markdownTable(
        ["model input", "column(s)"],
        Object.entries(a.inputs).map(([name, cols]) => [
          e(name),
          (Array.isArray(cols) ? cols : [cols]).map(e).join(", "),
        ]),
      ),
    );
  }
  const outputs = Object.entries(a.outputs).map(([role, name]) => `${role}: ${inlineCode(String(name))}`);
  lines.push("", `Outputs: ${outputs.join(", ") || "none declared"}.`);
  if (a.classes)
    lines.push(
      `Classes: ${a.classes.map((c) => e(String(c))).join(", ")}${a.positive === undefined ? "" : ` (positive: ${e(String(a.positive))})`}.`,
    );
  return lines;
}

function provenance(m: Manifest, checked: EvaluationProvenance["trainingData"]): string[] {
  const p = m.provenance;
  if (!p) return ["Not recorded in the manifest (`provenance:`)."];
  const lines: string[] = [];
  const data = p["training-data"];
  if (data) {
    const where = data.path ?? data.uri ?? "unnamed";
    const verified =
      checked?.verified === "verified"
        ? " (**verified**: the file was hashed when evaluated)"
        : ` (**not verified**${checked ? `: ${e(checked.reason)}` : ""})`;
    lines.push(
      `- Training data: ${inlineCode(where)}${data.sha256 ? `, SHA-256 ${inlineCode(data.sha256)}${verified}` : ", no hash recorded"}`,
    );
  }
  if (p.code) lines.push(`- Code: ${inlineCode(p.code)}${p.commit ? ` at ${inlineCode(p.commit)}` : ""}`);
  else if (p.commit) lines.push(`- Code commit: ${inlineCode(p.commit)}`);
  if (p.params && Object.keys(p.params).length > 0) {
    lines.push(
      `- Parameters: ${Object.entries(p.params)
        .map(([k, v]) => `${e(k)} = ${e(String(v))}`)
        .join(", ")}`,
    );
  }
  return lines.length > 0 ? lines : ["Not recorded in the manifest (`provenance:`)."];
}

function gate(input: ModelCardInput): string[] {
  const lines: string[] = [];
  const v = input.verdict;
  if (v) {
    lines.push(
      `Check run \`gauntlet/${input.manifest.name}\` concluded **${e(v.conclusion)}** on ${inlineCode(v.headSha)}, the head of pull request #${v.pullNumber}.`,
    );
    lines.push(
      v.approvers.length > 0
        ? `Approved by: ${v.approvers.map(e).join(", ")}.`
        : "No approving review was recorded.",
    );
  } else if (input.gateCheckedLocally) {
    lines.push(
      "A local dry run checked the gate on `gate.json` only; on merge, promote checks that the check run " +
        `\`gauntlet/${input.manifest.name}\` passed on the pull request and records its approvers.`,
    );
  } else lines.push("The gate was not required for this promotion (`require-gate: false`).");
  if (input.gate) {
    lines.push("", `\`gate.json\` verdict: **${e(input.gate.status)}**`);
    for (const reason of input.gate.reasons.slice(0, 10)) lines.push(`- ${e(reason)}`);
    const counted = input.gate.approvals?.counted ?? [];
    if (counted.length > 0) lines.push(`- Approvals counted: ${counted.map((c) => e(c.user)).join(", ")}`);
  } else lines.push("", "Gate results were not provided to this release (no `gate.json` in `results-dir`).");
  return lines;
}

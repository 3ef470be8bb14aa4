import type { CardEvaluation, CardGate } from "../registry/card-results.js";
import type { ReleaseRecord } from "../registry/release-record.js";

/** Everything an audit of one logged prediction found, ready to print. */
export interface AuditReport {
  request: {
    id: string;
    source: string;
    row: number;
    timestamp: string | undefined;
    version: string;
    score: number;
    inputs: Record<string, number | string | boolean | null>;
  };
  release: {
    tag: string;
    name: string;
    /** The commit the version tag points at; `null` when the registry does not say. */
    commit: string | null;
    /** The released artefact: asset name and the SHA-256 of the bytes that were scored. */
    artefact: { name: string; sha256: string };
  };
  replay: { replayed: number; diff: number; tolerance: number; reproduces: boolean };
  /** The machine-readable record hidden in the release's model card, when it has one. */
  record: ReleaseRecord | undefined;
  /** The release's `gate.json` and `evaluation.json` assets, when attached. */
  gate: CardGate | undefined;
  evaluation: CardEvaluation | undefined;
  /** The evaluation metric to headline (the manifest's first); default the file's first. */
  headline?: string | undefined;
}

/**
 * What is wrong in an audit, one line each: a logged score the released model does not
 * reproduce from the logged inputs (skew or non-reproducible serving), a released artefact
 * that is not the one the release recorded, a tag that moved away from the recorded commit.
 * An empty list means the prediction and its chain check out.
 *
 * @example
 * auditFindings(report);
 * // ["the logged score 0.13544 does not reproduce: the released model gives 0.23544 from the logged inputs (|Δ| 0.1 > 1.9e-6): skew between serving and the released model, or serving that cannot be reproduced"]
 */
export function auditFindings(report: AuditReport): string[] {
  const findings: string[] = [];
  const { replay, record, release } = report;
  if (!replay.reproduces) {
    findings.push(
      `the logged score ${report.request.score} does not reproduce: the released model gives ${replay.replayed} from the logged inputs ` +
        `(|Δ| ${replay.diff.toPrecision(3)} > ${replay.tolerance.toPrecision(2)}): skew between serving and the released model, or serving that cannot be reproduced`,
    );
  }
  if (record && record.artefact.sha256 !== release.artefact.sha256) {
    findings.push(
      `the released ${release.artefact.name} has SHA-256 ${release.artefact.sha256}, but the release recorded ${record.artefact.sha256}: the asset was replaced after the release`,
    );
  }
  if (record && release.commit !== null && record.commit !== release.commit) {
    findings.push(
      `the tag ${release.tag} points at ${release.commit}, but the release was made from ${record.commit}: the tag moved`,
    );
  }
  return findings;
}

/**
 * The audit as plain text: the request, the replay, then the chain behind the version that
 * served it (release, commit, pull request, approvers, gate verdict, evaluation headline,
 * training data digest) and the findings. What the release does not record is said so, never
 * left out.
 *
 * @example
 * renderAuditReport(report);
 * // "Request req-00000042 (logs/predictions/day.jsonl row 42, 2025-05-31T01:00:00.000Z)\n  served by churn 1.2.0 with score 0.13544\n..."
 */
export function renderAuditReport(report: AuditReport): string {
  const { request, release, replay, record, gate, evaluation } = report;
  const none = "not recorded in the release";
  const lines = [
    `Request ${request.id} (${request.source} row ${request.row}${request.timestamp ? `, ${request.timestamp}` : ""})`,
    `  served by version ${request.version} with score ${request.score}`,
    "  inputs:",
    ...Object.entries(request.inputs).map(([name, value]) => `    ${name} = ${JSON.stringify(value)}`),
    "",
    `Replay with ${release.name} (${release.artefact.name}, SHA-256 ${release.artefact.sha256})`,
    `  score ${replay.replayed} (|Δ| ${replay.diff.toPrecision(3)}, tolerance ${replay.tolerance.toPrecision(2)}): ${replay.reproduces ? "reproduces the logged score" : "DOES NOT reproduce the logged score"}`,
    "",
    "Chain",
    `  release:       ${release.name} (tag ${release.tag})`,
    `  commit:        ${release.commit ?? record?.commit ?? none}`,
    `  pull request:  ${record?.pull ? `#${record.pull.number} (head ${record.pull.headSha})` : none}`,
    `  approvers:     ${approvers(record, gate) ?? none}`,
    `  gate verdict:  ${gateLine(record, gate) ?? none}`,
    `  evaluation:    ${evaluation ? headline(evaluation, report.headline) : none}`,
    `  training data: ${record?.trainingData ? trainingLine(record.trainingData) : none}`,
    `  training code: ${record?.code ? `${record.code.path ?? "(path not recorded)"}${record.code.commit ? ` at ${record.code.commit}` : ""}` : none}`,
    "",
  ];
  const findings = auditFindings(report);
  if (findings.length === 0)
    lines.push("No findings: the logged prediction reproduces and its chain is consistent.");
  else lines.push(`Findings (${findings.length}):`, ...findings.map((f) => `  - ${f}`));
  return `${lines.join("\n")}\n`;
}

function approvers(record: ReleaseRecord | undefined, gate: CardGate | undefined): string | undefined {
  if (record?.pull) return record.pull.approvers.length > 0 ? record.pull.approvers.join(", ") : "none";
  const counted = gate?.approvals?.counted ?? [];
  return counted.length > 0 ? `${counted.map((c) => c.user).join(", ")} (counted by gate.json)` : undefined;
}

function gateLine(record: ReleaseRecord | undefined, gate: CardGate | undefined): string | undefined {
  const parts: string[] = [];
  if (record?.pull && record.gate) parts.push(`check run concluded ${record.gate}`);
  if (gate) parts.push(`gate.json ${gate.status}${gate.reasons[0] ? `: ${gate.reasons[0]}` : ""}`);
  else if (record && !record.pull && record.gate === null) parts.push("not required for this release");
  return parts.length > 0 ? parts.join("; ") : undefined;
}

function headline(evaluation: CardEvaluation, preferred: string | undefined): string {
  const names = Object.keys(evaluation.overall.metrics);
  const metric = preferred && names.includes(preferred) ? preferred : names[0];
  if (metric === undefined) return `no metrics (n = ${evaluation.overall.n})`;
  const m = evaluation.overall.metrics[metric]!;
  const value = m.value === null ? "—" : m.value.toFixed(4);
  const ci = m.ci ? ` [${m.ci[0].toFixed(4)}, ${m.ci[1].toFixed(4)}]` : "";
  return `${metric} ${value}${ci} on ${evaluation.overall.n} rows`;
}

function trainingLine(data: NonNullable<ReleaseRecord["trainingData"]>): string {
  return `${data.location}, SHA-256 ${data.sha256 ?? "not recorded"} (${data.verified})`;
}

/**
 * The release of the version that served a request, wherever it is kept (an offline registry on
 * disk, or GitHub releases): its tag, title, commit and body (the model card), the model asset
 * already on disk, and a reader for its other assets (`gate.json`, `evaluation.json`).
 */
export interface AuditRelease {
  tag: string;
  name: string;
  commit: string | null;
  body: string;
  model: { asset: string; path: string };
  /** The text of an asset, or `undefined` when the release has no asset of that name. */
  readAsset(name: string): Promise<string | undefined>;
}

/**
 * Finds the release of a version; a version that was never released is a `UserError` naming
 * the registry.
 */
export type AuditReleaseLookup = (version: string) => Promise<AuditRelease>;

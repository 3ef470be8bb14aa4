import type { DriftLevel } from "../profile/compare-column.js";
import { escapeMarkdown } from "../report/escape.js";
import {
  DRIFT_LABEL,
  type DriftIssueState,
  driftIssueMarker,
  encodeIssueState,
  readIssueState,
} from "./issue-state.js";

/** What {@link planDriftIssue} decides from. */
export interface DriftIssueInput {
  model: string;
  level: DriftLevel;
  /** Columns alerting in this run (including `score` when the score drifted). */
  alerting: readonly string[];
  verdict: string;
  /** The Markdown report (already escaped); it becomes the issue body. */
  report: string;
  /** The manifest's `owner`: a user (`octocat`, `@octocat`) is assigned, a team (`@org/team`) mentioned. */
  owner: string;
  /**
   * Owners of the alerting segments (`monitoring.owners`), with their segment: users are assigned
   * on a new issue and teams mentioned; on an open issue they are mentioned in the comment.
   */
  segmentOwners?: readonly { owner: string; segment: string }[] | undefined;
  /** The model's open drift issue, when there is one. */
  existing?: { number: number; body: string | null } | undefined;
  /** Consecutive runs without an alert after which the issue is closed. */
  closeAfter: number;
  retrain?: { workflow: string; after: number; "on-performance"?: boolean } | undefined;
  /** Failing performance limits of this run (`realised-roc_auc`, ...): with `on-performance`, they dispatch at once. */
  performanceAlerts?: readonly string[] | undefined;
  /** What the dispatch carries besides the reason: the window width and the logged period. */
  period?: { window: string; from: string; to: string; version: string } | undefined;
  /** Identifies this run: becomes the episode id of a new issue. */
  runId: string;
  /** Link to this run, for comments. */
  runUrl: string;
}

/** What to do on GitHub. Every field is optional; an empty plan means "nothing changed". */
export interface DriftIssuePlan {
  open?: { title: string; body: string; labels: string[]; assignees: string[] };
  /** New body of the existing issue (the latest report and state). */
  update?: { body: string };
  comment?: string;
  close?: boolean;
  /** The workflow to dispatch and its inputs: the model, why, the window and the logged period. */
  dispatch?: { workflow: string; inputs: Record<string, string> };
  state: DriftIssueState | null;
}

/**
 * Decides how one run changes a model's drift issue. Pure: the GitHub side only carries it out.
 *
 * - No open issue: an `alert` opens one (labelled, assigned to a user owner, a team owner
 *   mentioned in the body); anything else does nothing.
 * - An open issue: its body always gets the latest report and state. A short comment is added
 *   only when the picture changed: the level changed, new columns alert, retraining was
 *   dispatched, or the issue is being closed.
 * - After `closeAfter` consecutive runs without an alert (`no data` runs do not count either
 *   way) the issue is closed with a comment.
 * - With `retrain`, after `retrain.after` consecutive alerting runs the workflow is dispatched,
 *   once per episode.
 *
 * @example
 * planDriftIssue({ model: "churn", level: "alert", alerting: ["age"], verdict, report, owner: "octocat",
 *   closeAfter: 3, runId: "42", runUrl });
 * // { open: { title: "Drift alert: churn", labels: ["gauntlet:drift"], assignees: ["octocat"], body }, state: { alerts: 1, ... } }
 */
export function planDriftIssue(input: DriftIssueInput): DriftIssuePlan {
  const alerting = [...input.alerting];
  if (!input.existing) {
    if (input.level !== "alert") return { state: null };
    const why = retrainReason(input, 1);
    const dispatch = why !== null;
    const state: DriftIssueState = {
      v: 1,
      level: "alert",
      alerting,
      alerts: 1,
      healthy: 0,
      episode: input.runId,
      retrained: dispatch,
    };
    const team = input.owner.includes("/");
    const plan: DriftIssuePlan = {
      open: {
        title: `Drift alert: ${input.model}`,
        body: body(input, state),
        labels: [DRIFT_LABEL],
        assignees: [
          ...new Set([
            ...(team ? [] : [input.owner.replace(/^@/, "")]),
            ...(input.segmentOwners ?? [])
              .filter((o) => !o.owner.includes("/"))
              .map((o) => o.owner.replace(/^@/, "")),
          ]),
        ],
      },
      state,
    };
    if (why && input.retrain)
      plan.dispatch = { workflow: input.retrain.workflow, inputs: dispatchInputs(input, why) };
    return plan;
  }

  const previous = readIssueState(input.existing.body) ?? {
    v: 1 as const,
    level: "alert" as const,
    alerting: [],
    alerts: 0,
    healthy: 0,
    episode: `issue-${input.existing.number}`,
    retrained: false,
  };
  const state: DriftIssueState = { ...previous, level: input.level, alerting };
  const notes: string[] = [];
  const plan: DriftIssuePlan = { state };
  if (input.level === "alert") {
    state.alerts = previous.alerts + 1;
    state.healthy = 0;
    const added = alerting.filter((c) => !previous.alerting.includes(c));
    if (previous.level !== "alert") notes.push(`Alerting again (was ${previous.level}).`);
    else if (added.length > 0)
      notes.push(`Newly alerting: ${added.map((c) => escapeMarkdown(c)).join(", ")}.`);
    const owners = segmentOwnerLine(input);
    if (owners && (previous.level !== "alert" || added.length > 0)) notes.push(owners);
    const why = previous.retrained ? null : retrainReason(input, state.alerts);
    if (why && input.retrain) {
      state.retrained = true;
      plan.dispatch = { workflow: input.retrain.workflow, inputs: dispatchInputs(input, why) };
      notes.push(
        `Dispatched the retraining workflow \`${escapeMarkdown(input.retrain.workflow)}\`: ${escapeMarkdown(why, 300)}.`,
      );
    }
  } else if (input.level === "no data") {
    if (previous.level !== "no data")
      notes.push("No usable prediction logs in this run: nothing was compared.");
  } else {
    state.alerts = 0;
    state.healthy = previous.healthy + 1;
    if (state.healthy >= input.closeAfter) {
      plan.close = true;
      notes.push(`Closing: ${state.healthy} consecutive runs without an alert.`);
    } else if (previous.level !== input.level) {
      notes.push(
        `Now ${input.level} (was ${previous.level}); the issue closes after ${input.closeAfter - state.healthy} more runs without an alert.`,
      );
    }
  }
  plan.update = { body: body(input, state) };
  if (notes.length > 0) {
    plan.comment = `${notes.join(" ")}\n\n**Verdict:** ${escapeMarkdown(input.verdict, 1000)}\n\n[Run](${input.runUrl})`;
  }
  return plan;
}

function body(input: DriftIssueInput, state: DriftIssueState): string {
  const owner = input.owner.includes("/")
    ? `Owner: ${input.owner.startsWith("@") ? input.owner : `@${input.owner}`} (a team: mentioned, since teams cannot be assignees)`
    : `Owner: @${input.owner.replace(/^@/, "")}`;
  const segmentOwners = segmentOwnerLine(input);
  return [
    driftIssueMarker(input.model),
    encodeIssueState(state),
    "",
    owner,
    ...(segmentOwners ? ["", segmentOwners] : []),
    "",
    input.report,
    "",
    `Latest run: ${input.runUrl}`,
  ].join("\n");
}

/** "Segment owners: @acme/uae-ml (region=AE)": mentions the owners of alerting segments. */
function segmentOwnerLine(input: DriftIssueInput): string | null {
  const owners = input.segmentOwners ?? [];
  if (owners.length === 0) return null;
  const mention = (o: string) => (o.startsWith("@") ? o : `@${o}`);
  return `Segment owners: ${owners.map((o) => `${mention(o.owner)} (${escapeMarkdown(o.segment)})`).join(", ")}`;
}

/** Why this alerting run retrains, or `null`: a failed performance limit, else `after` consecutive alerts. */
function retrainReason(input: DriftIssueInput, alerts: number): string | null {
  const retrain = input.retrain;
  if (!retrain || input.level !== "alert") return null;
  const performance = input.performanceAlerts ?? [];
  if ((retrain["on-performance"] ?? true) && performance.length > 0)
    return `performance limit failed (${performance.join(", ")})`;
  if (alerts >= retrain.after)
    return `${alerts} consecutive alerting ${alerts === 1 ? "run" : "runs"} (${input.alerting.slice(0, 5).join(", ")})`;
  return null;
}

/** The retraining workflow's inputs: strings, as workflow_dispatch takes them. */
function dispatchInputs(input: DriftIssueInput, reason: string): Record<string, string> {
  return {
    model: input.model,
    reason: reason.slice(0, 1000),
    ...(input.period
      ? {
          version: input.period.version,
          window: input.period.window,
          from: input.period.from,
          to: input.period.to,
        }
      : {}),
  };
}

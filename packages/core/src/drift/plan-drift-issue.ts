import type { DriftLevel } from "../profile/compare-column.js";
import { escapeMarkdown } from "../report/escape.js";
import {
  DRIFT_LABEL,
  type DriftIssueState,
  driftIssueMarker,
  encodeIssueState,
  readIssueState,
} from "./issue-state.js";
import { type FiredRetrainTrigger, type RetrainSettings, retrainTriggers } from "./retrain-triggers.js";

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
  retrain?: RetrainSettings | undefined;
  /** Failing performance limits of this run (`realised-roc_auc`, ...): when the performance trigger is on, they dispatch at once. */
  performanceAlerts?: readonly string[] | undefined;
  /** The run's windows (start, labelled rows), which the labelled-rows trigger counts. */
  windows?: readonly { start: string; labelled: number }[] | undefined;
  /** The production release the reference came from: its tag and publication time. */
  release?: { tag: string; at: string } | undefined;
  /**
   * The last retraining dispatch recorded by the model's latest drift issue, open or closed: the
   * schedule and labelled-rows triggers count from it.
   */
  lastRetrain?: { at: string; triggers: string[] } | undefined;
  /** The clock: the schedule trigger reads it, and a dispatch is recorded at it. */
  now: Date;
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
 *   mentioned in the body); anything else does nothing, unless it retrains (below).
 * - An open issue: its body always gets the latest report and state. A short comment is added
 *   only when the picture changed: the level changed, new columns alert, retraining was
 *   dispatched, or the issue is being closed.
 * - After `closeAfter` consecutive runs without an alert (`no data` runs do not count either
 *   way) the issue is closed with a comment.
 * - With `retrain`, the workflow is dispatched once per run in which any trigger fires (see
 *   {@link retrainTriggers}): after `retrain.after` consecutive alerting runs or on a failed
 *   performance limit (once per episode), on enough new labelled rows, or on the schedule. The
 *   dispatch is recorded in the state (`lastRetrain`); a run without an open issue that
 *   dispatches opens one and closes it at once, so the record survives and the owner hears of it.
 *
 * @example
 * planDriftIssue({ model: "churn", level: "alert", alerting: ["age"], verdict, report, owner: "octocat",
 *   closeAfter: 3, runId: "42", runUrl, now: new Date() });
 * // { open: { title: "Drift alert: churn", labels: ["gauntlet:drift"], assignees: ["octocat"], body }, state: { alerts: 1, ... } }
 */
export function planDriftIssue(input: DriftIssueInput): DriftIssuePlan {
  const alerting = [...input.alerting];
  if (!input.existing) {
    const fired = firedTriggers(input, { alerts: input.level === "alert" ? 1 : 0, retrained: false });
    const lastRetrain = fired.length > 0 ? retrainRecord(input, fired) : input.lastRetrain;
    const alert = input.level === "alert";
    // A healthy run that retrains (new labels, the schedule) records it in an issue closed at once:
    // the owner hears of it, and the next run reads when it happened.
    if (!alert && fired.length === 0) return { state: null };
    const state: DriftIssueState = {
      v: 1,
      level: input.level,
      alerting,
      alerts: alert ? 1 : 0,
      healthy: alert ? 0 : 1,
      episode: input.runId,
      retrained: fired.length > 0,
      ...(lastRetrain ? { lastRetrain } : {}),
    };
    const team = input.owner.includes("/");
    const plan: DriftIssuePlan = {
      open: {
        title: alert ? `Drift alert: ${input.model}` : `Retraining: ${input.model}`,
        body: body(input, state, fired),
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
    if (fired.length > 0 && input.retrain)
      plan.dispatch = { workflow: input.retrain.workflow, inputs: dispatchInputs(input, fired) };
    if (!alert) plan.close = true;
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
  } else if (input.level === "no data") {
    if (previous.level !== "no data")
      notes.push("No usable prediction logs in this run: nothing was compared.");
  } else {
    state.alerts = 0;
    state.healthy = previous.healthy + 1;
  }
  const lastRetrain = later(previous.lastRetrain, input.lastRetrain);
  if (lastRetrain) state.lastRetrain = lastRetrain;
  const fired = firedTriggers(
    { ...input, lastRetrain },
    { alerts: state.alerts, retrained: previous.retrained },
  );
  if (fired.length > 0 && input.retrain) {
    // Any dispatch retrains on the latest data: drift and performance do not dispatch again this episode.
    state.retrained = true;
    state.lastRetrain = retrainRecord(input, fired);
    plan.dispatch = { workflow: input.retrain.workflow, inputs: dispatchInputs(input, fired) };
    notes.push(dispatchNote(input.retrain.workflow, fired));
  }
  if (input.level !== "alert" && input.level !== "no data") {
    if (state.healthy >= input.closeAfter) {
      plan.close = true;
      notes.push(`Closing: ${state.healthy} consecutive runs without an alert.`);
    } else if (previous.level !== input.level) {
      notes.push(
        `Now ${input.level} (was ${previous.level}); the issue closes after ${input.closeAfter - state.healthy} more runs without an alert.`,
      );
    }
  }
  plan.update = { body: body(input, state, []) };
  if (notes.length > 0) {
    plan.comment = `${notes.join(" ")}\n\n**Verdict:** ${escapeMarkdown(input.verdict, 1000)}\n\n[Run](${input.runUrl})`;
  }
  return plan;
}

/** The triggers that fire in this run, given the alert count and whether this episode retrained. */
function firedTriggers(
  input: DriftIssueInput,
  episode: { alerts: number; retrained: boolean },
): FiredRetrainTrigger[] {
  if (!input.retrain) return [];
  return retrainTriggers({
    retrain: input.retrain,
    level: input.level,
    alerting: input.alerting,
    alerts: episode.alerts,
    episodeRetrained: episode.retrained,
    performanceAlerts: input.performanceAlerts ?? [],
    windows: input.windows ?? [],
    release: input.release,
    lastDispatch: input.lastRetrain?.at,
    now: input.now,
  });
}

/** The later of two recorded dispatches. */
function later<T extends { at: string }>(a: T | undefined, b: T | undefined): T | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(b.at) > Date.parse(a.at) ? b : a;
}

/** What the issue state remembers of this dispatch. */
function retrainRecord(
  input: DriftIssueInput,
  fired: readonly FiredRetrainTrigger[],
): { at: string; triggers: string[] } {
  return { at: input.now.toISOString(), triggers: fired.map((f) => f.trigger) };
}

/** "Dispatched the retraining workflow `retrain.yml` (labelled-rows, schedule): …." */
function dispatchNote(workflow: string, fired: readonly FiredRetrainTrigger[]): string {
  return `Dispatched the retraining workflow \`${escapeMarkdown(workflow)}\` (${fired.map((f) => f.trigger).join(", ")}): ${escapeMarkdown(fired.map((f) => f.reason).join("; "), 600)}.`;
}

function body(input: DriftIssueInput, state: DriftIssueState, fired: readonly FiredRetrainTrigger[]): string {
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
    ...(fired.length > 0 && input.retrain ? ["", dispatchNote(input.retrain.workflow, fired)] : []),
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

/** The retraining workflow's inputs: strings, as workflow_dispatch takes them. */
function dispatchInputs(
  input: DriftIssueInput,
  fired: readonly FiredRetrainTrigger[],
): Record<string, string> {
  return {
    model: input.model,
    trigger: fired.map((f) => f.trigger).join(","),
    reason: fired
      .map((f) => f.reason)
      .join("; ")
      .slice(0, 1000),
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

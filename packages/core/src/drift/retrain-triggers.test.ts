import { describe, expect, it } from "vitest";
import { EXAMPLE_MANIFEST_YAML } from "../manifest/example.js";
import { parseManifest } from "../manifest/parse-manifest.js";
import { type DriftIssueInput, planDriftIssue } from "./plan-drift-issue.js";
import {
  alertTriggers,
  type RetrainSettings,
  type RetrainTriggerInput,
  retrainTriggers,
} from "./retrain-triggers.js";

const DAY = 86_400_000;
const NOW = new Date("2025-07-01T00:00:00Z");
const release = { tag: "churn/v1.2.0", at: "2025-05-31T13:00:00Z" };
/** Four 6-hour windows of 2025-05-31 with 100, 200, 300 and 400 labelled rows. */
const windows = [0, 6, 12, 18].map((h, i) => ({
  start: new Date(Date.parse("2025-05-31T00:00:00Z") + h * 3_600_000).toISOString(),
  labelled: 100 * (i + 1),
}));

const healthy: RetrainTriggerInput = {
  retrain: { workflow: "retrain.yml", after: 2 },
  level: "ok",
  alerting: [],
  alerts: 0,
  episodeRetrained: false,
  performanceAlerts: [],
  windows,
  release,
  now: NOW,
};

describe("retraining triggers", () => {
  it("takes labels and every in the manifest, and refuses labels without an outcome field", () => {
    const text = EXAMPLE_MANIFEST_YAML.replace(
      "retrain: { workflow: retrain.yml, after: 3 }",
      "retrain: { workflow: retrain.yml, after: 3, labels: 500, every: 30d }",
    );
    expect(parseManifest(text, "models/churn/model.yml").monitoring!.retrain).toMatchObject({
      labels: 500,
      every: "30d",
    });
    expect(() => parseManifest(text.replace("  outcome: churned\n", ""), "models/churn/model.yml")).toThrow(
      "monitoring.retrain.labels: counts labelled rows, but monitoring.outcome names no logged outcome field. Fix: set monitoring.outcome",
    );
    expect(() => parseManifest(text.replace("every: 30d", "every: 0d"), "models/churn/model.yml")).toThrow(
      "a schedule must be longer than zero",
    );
  });

  it("counts labelled rows in the whole windows that start after the release, never the window it falls in", () => {
    // The release at 13:00 falls in the 12:00 window: only the 18:00 window's 400 rows are new.
    const at = (labels: number) => retrainTriggers({ ...healthy, retrain: { ...healthy.retrain, labels } });
    expect(at(400)).toEqual([
      {
        trigger: "labelled-rows",
        reason:
          "400 labelled rows logged since release churn/v1.2.0 (2025-05-31T13:00:00Z); the limit is 400",
      },
    ]);
    expect(at(401)).toEqual([]);
    // Counted from the later of the release and the last dispatch.
    const early = { ...healthy, release: { ...release, at: "2025-05-30T00:00:00Z" } };
    expect(
      retrainTriggers({ ...early, retrain: { ...healthy.retrain, labels: 1000 } }).map((f) => f.trigger),
    ).toEqual(["labelled-rows"]);
    expect(
      retrainTriggers({
        ...early,
        retrain: { ...healthy.retrain, labels: 1000 },
        lastDispatch: "2025-05-31T06:00:00Z",
      }),
    ).toEqual([]);
    // Without a release date or an earlier dispatch, every labelled row read counts.
    const unknown = retrainTriggers({
      ...healthy,
      release: undefined,
      retrain: { ...healthy.retrain, labels: 1000 },
    });
    expect(unknown[0]!.reason).toBe("1000 labelled rows logged in the logs read; the limit is 1000");
  });

  it("fires the schedule when `every` has passed since the later of the release and the last dispatch", () => {
    const every = (now: Date, lastDispatch?: string) =>
      retrainTriggers({ ...healthy, retrain: { ...healthy.retrain, every: "30d" }, now, lastDispatch });
    const releasedAt = Date.parse(release.at);
    expect(every(new Date(releasedAt + 30 * DAY - 1))).toEqual([]);
    expect(every(new Date(releasedAt + 30 * DAY))).toEqual([
      {
        trigger: "schedule",
        reason: "30.0 days since release churn/v1.2.0 (2025-05-31T13:00:00Z); the schedule is every 30d",
      },
    ]);
    const dispatched = "2025-06-20T00:00:00.000Z";
    expect(every(new Date(releasedAt + 31 * DAY), dispatched)).toEqual([]);
    expect(every(new Date(Date.parse(dispatched) + 30 * DAY), dispatched)[0]!.reason).toBe(
      "30.0 days since the last retraining dispatch (2025-06-20T00:00:00.000Z); the schedule is every 30d",
    );
    // Neither date known (a reference file): due at once, and counted from that dispatch afterwards.
    expect(
      retrainTriggers({ ...healthy, release: undefined, retrain: { ...healthy.retrain, every: "30d" } }),
    ).toMatchObject([{ trigger: "schedule" }]);
  });

  it("fires drift after `after` alerting runs and performance at once, once per episode", () => {
    const alert = { ...healthy, level: "alert" as const, alerting: ["age"] };
    expect(retrainTriggers({ ...alert, alerts: 1 })).toEqual([]);
    expect(retrainTriggers({ ...alert, alerts: 2 }).map((f) => f.trigger)).toEqual(["drift"]);
    expect(
      retrainTriggers({ ...alert, alerts: 1, performanceAlerts: ["realised-roc_auc"] }).map((f) => f.trigger),
    ).toEqual(["performance"]);
    expect(retrainTriggers({ ...alert, alerts: 5, episodeRetrained: true })).toEqual([]);
    // The schedule does not wait for the episode: it counts from the last dispatch.
    expect(
      retrainTriggers({
        ...alert,
        alerts: 5,
        episodeRetrained: true,
        retrain: { ...healthy.retrain, every: "1d" },
      }).map((f) => f.trigger),
    ).toEqual(["schedule"]);
  });
});

describe("retraining from the drift issue", () => {
  const base: DriftIssueInput = {
    model: "churn",
    level: "ok",
    alerting: [],
    verdict: "ok",
    report: "report",
    owner: "octocat",
    closeAfter: 2,
    retrain: { workflow: "retrain.yml", after: 3, labels: 400, every: "30d" },
    windows,
    release,
    period: { window: "6h", from: windows[0]!.start, to: "2025-06-01T00:00:00.000Z", version: "1.2.0" },
    now: new Date(Date.parse(release.at) + 10 * DAY),
    runId: "7",
    runUrl: "https://github.com/acme/models/actions/runs/7",
  };

  it("records a healthy run's dispatch in an issue closed at once, and a re-run does not dispatch again", () => {
    const first = planDriftIssue(base);
    expect(first.dispatch).toEqual({
      workflow: "retrain.yml",
      inputs: {
        model: "churn",
        trigger: "labelled-rows",
        reason:
          "400 labelled rows logged since release churn/v1.2.0 (2025-05-31T13:00:00Z); the limit is 400",
        version: "1.2.0",
        window: "6h",
        from: "2025-05-31T00:00:00.000Z",
        to: "2025-06-01T00:00:00.000Z",
      },
    });
    expect(first.open).toMatchObject({ title: "Retraining: churn", assignees: ["octocat"] });
    expect(first.open!.body).toContain("Dispatched the retraining workflow `retrain.yml` (labelled-rows)");
    expect(first.close).toBe(true);
    expect(first.state!.lastRetrain).toEqual({ at: base.now.toISOString(), triggers: ["labelled-rows"] });
    // The re-run finds no open issue; the closed one's state says when the last dispatch was.
    const rerun = planDriftIssue({ ...base, lastRetrain: first.state!.lastRetrain });
    expect(rerun).toEqual({ state: null });
  });

  it("does not dispatch on the schedule before it is due, and dispatches once when it is", () => {
    const noLabels = { ...base, retrain: { workflow: "retrain.yml", after: 3, every: "30d" } };
    expect(planDriftIssue(noLabels)).toEqual({ state: null });
    const due = planDriftIssue({ ...noLabels, now: new Date(Date.parse(release.at) + 30 * DAY) });
    expect(due.dispatch!.inputs["trigger"]).toBe("schedule");
    const again = planDriftIssue({
      ...noLabels,
      now: new Date(Date.parse(release.at) + 31 * DAY),
      lastRetrain: due.state!.lastRetrain,
    });
    expect(again.dispatch).toBeUndefined();
  });

  it("dispatches once naming both triggers when both fire, and an open issue remembers it", () => {
    const both = { ...base, now: new Date(Date.parse(release.at) + 40 * DAY) };
    const alerting = planDriftIssue({ ...both, level: "alert", alerting: ["age"] });
    expect(alerting.open!.title).toBe("Drift alert: churn");
    expect(alerting.close).toBeUndefined();
    expect(alerting.dispatch!.inputs["trigger"]).toBe("labelled-rows,schedule");
    expect(alerting.dispatch!.inputs["reason"]).toMatch(
      /^400 labelled rows logged since release .*; the limit is 400; 40\.0 days since release .*; the schedule is every 30d$/,
    );
    // The next run updates the open issue: the dispatch it recorded stops both triggers, and the
    // episode's drift trigger (after: 3) does not dispatch again either.
    const body = alerting.open!.body;
    const next = planDriftIssue({
      ...both,
      level: "alert",
      alerting: ["age"],
      existing: { number: 3, body },
    });
    expect(next.dispatch).toBeUndefined();
    const third = planDriftIssue({
      ...both,
      level: "alert",
      alerting: ["age"],
      existing: { number: 3, body: next.update!.body },
    });
    expect(third.state!.alerts).toBe(3);
    expect(third.dispatch).toBeUndefined();
  });

  it("plans no dispatch for a drift alert with only labels, and the default section's dispatch is unchanged", () => {
    const drifting = { ...base, level: "alert" as const, alerting: ["age"], verdict: "alert" };
    const labelsOnly = planDriftIssue({ ...drifting, retrain: { workflow: "retrain.yml", labels: 5000 } });
    expect(labelsOnly.open!.title).toBe("Drift alert: churn");
    expect(labelsOnly.dispatch).toBeUndefined();
    expect(labelsOnly.state!.retrained).toBe(false);
    const byDefault = planDriftIssue({ ...drifting, retrain: { workflow: "retrain.yml" } });
    expect(byDefault.dispatch!.inputs["trigger"]).toBe("drift");
    expect(byDefault.dispatch!.inputs["reason"]).toBe("1 consecutive alerting run (age)");
  });

  it("takes the later dispatch of the open issue and the latest closed one", () => {
    const opened = planDriftIssue({
      ...base,
      retrain: { workflow: "retrain.yml", after: 3 },
      level: "alert",
      alerting: ["age"],
    });
    const later = { at: new Date(Date.parse(release.at) + 9 * DAY).toISOString(), triggers: ["schedule"] };
    const plan = planDriftIssue({
      ...base,
      existing: { number: 4, body: opened.open!.body },
      lastRetrain: later,
    });
    expect(plan.state!.lastRetrain).toEqual(later);
    expect(plan.dispatch).toBeUndefined();
  });
});

describe("which triggers a retrain section turns on", () => {
  const workflow = "retrain.yml";

  it("keeps drift (after 1) and performance on by default, and only what is named next to labels or every", () => {
    const cases: [RetrainSettings, ReturnType<typeof alertTriggers>][] = [
      [{ workflow }, { driftAfter: 1, performance: true }],
      [
        { workflow, after: 3 },
        { driftAfter: 3, performance: true },
      ],
      [
        { workflow, "on-performance": false },
        { driftAfter: 1, performance: false },
      ],
      [
        { workflow, after: "never" },
        { driftAfter: null, performance: true },
      ],
      [
        { workflow, labels: 500 },
        { driftAfter: null, performance: false },
      ],
      [
        { workflow, every: "30d" },
        { driftAfter: null, performance: false },
      ],
      [
        { workflow, labels: 500, after: 2 },
        { driftAfter: 2, performance: false },
      ],
      [
        { workflow, every: "30d", "on-performance": true },
        { driftAfter: null, performance: true },
      ],
      [
        { workflow, labels: 500, after: "never", "on-performance": true },
        { driftAfter: null, performance: true },
      ],
    ];
    for (const [retrain, on] of cases) expect(alertTriggers(retrain), JSON.stringify(retrain)).toEqual(on);
  });

  // An alerting run with a failed performance limit, far from the labels limit and the schedule.
  const alerting: RetrainTriggerInput = {
    ...healthy,
    level: "alert",
    alerting: ["age"],
    alerts: 1,
    performanceAlerts: ["realised-roc_auc"],
    now: new Date(Date.parse(release.at) + DAY),
  };
  const fired = (retrain: RetrainSettings) => retrainTriggers({ ...alerting, retrain }).map((f) => f.trigger);

  it("does not retrain on a drift or performance alert when only labels or every is configured", () => {
    expect(fired({ workflow, labels: 5000 })).toEqual([]);
    expect(fired({ workflow, every: "30d" })).toEqual([]);
    expect(fired({ workflow, labels: 5000, every: "30d" })).toEqual([]);
    // Named next to them, they fire as before.
    expect(fired({ workflow, labels: 5000, after: 1 })).toEqual(["drift"]);
    expect(fired({ workflow, every: "30d", "on-performance": true })).toEqual(["performance"]);
  });

  it("retrains on the first alert and on performance with only a workflow, as before, and after: never stops drift", () => {
    expect(fired({ workflow })).toEqual(["performance", "drift"]);
    expect(fired({ workflow, after: 3 })).toEqual(["performance"]);
    expect(fired({ workflow, after: "never" })).toEqual(["performance"]);
    expect(fired({ workflow, "on-performance": false })).toEqual(["drift"]);
  });

  it("reads after: never from the manifest, and refuses a section that turns every trigger off", () => {
    const manifest = (retrain: string) =>
      EXAMPLE_MANIFEST_YAML.replace("retrain: { workflow: retrain.yml, after: 3 }", `retrain: ${retrain}`);
    const parsed = (retrain: string) =>
      parseManifest(manifest(retrain), "models/churn/model.yml").monitoring!.retrain!;
    expect(alertTriggers(parsed("{ workflow: retrain.yml }"))).toEqual({ driftAfter: 1, performance: true });
    expect(alertTriggers(parsed("{ workflow: retrain.yml, labels: 500 }"))).toEqual({
      driftAfter: null,
      performance: false,
    });
    expect(parsed("{ workflow: retrain.yml, after: never }").after).toBe("never");
    expect(() =>
      parseManifest(manifest("{ workflow: retrain.yml, after: 0 }"), "models/churn/model.yml"),
    ).toThrow("monitoring.retrain.after");
    expect(() =>
      parseManifest(
        manifest('{ workflow: retrain.yml, after: never, "on-performance": false }'),
        "models/churn/model.yml",
      ),
    ).toThrow(
      "monitoring.retrain: turns every trigger off (after: never, on-performance: false), so it never dispatches. Fix: set after",
    );
  });
});

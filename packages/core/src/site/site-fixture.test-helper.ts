import type { SiteModel, SiteSnapshot, SiteVersion } from "./site-snapshot.js";

const version = (v: string, auc: number, extra: Partial<SiteVersion> = {}): SiteVersion => ({
  version: v,
  released: true,
  date: "2026-05-01T10:00:00Z",
  card: `# churn v${v}\n\nA model.`,
  gate: { status: "pass", reasons: ["All 3 rule checks passed"], approvedBy: ["octocat"] },
  metrics: [
    { name: "roc_auc", value: auc, ci: [auc - 0.02, auc + 0.02] },
    { name: "log_loss", value: 0.4, ci: null },
  ],
  slices: [
    {
      slice: "region=AE",
      n: 120,
      metric: "roc_auc",
      value: auc - 0.1,
      ci: [auc - 0.15, auc - 0.05],
      delta: -0.01,
    },
  ],
  links: [{ label: `release churn v${v}`, url: `https://github.com/acme/models/releases/tag/churn%2Fv${v}` }],
  ...extra,
});

/** A model with three versions, a rollback, monitoring and an open alert. */
export function churnModel(): SiteModel {
  return {
    name: "churn",
    owner: "@acme/risk",
    task: "binary",
    stages: [{ stage: "production", version: "1.1.0" }],
    versions: [version("1.0.0", 0.8), version("1.1.0", 0.82), version("1.2.0", 0.79)],
    events: [
      { kind: "released", version: "1.0.0", stage: null, at: "2026-05-01T10:00:00Z", by: [], url: null },
      {
        kind: "promoted",
        version: "1.2.0",
        stage: "production",
        at: "2026-05-03T10:00:00Z",
        by: ["octocat"],
        url: "https://github.com/acme/models/pull/3",
      },
      {
        kind: "rolled back",
        version: "1.1.0",
        stage: "production",
        at: "2026-05-04T10:00:00Z",
        by: [],
        url: null,
      },
    ],
    alerts: [{ label: "Drift alert: churn", url: "https://github.com/acme/models/issues/9" }],
    monitoring: {
      version: "1.1.0",
      level: "alert",
      verdict: "alert: 1 of 3 columns drifted",
      url: null,
      windows: ["2026-05-05", "2026-05-06"].map((day, i) => ({
        start: `${day}T00:00:00.000Z`,
        end: `${day}T23:59:59.999Z`,
        rows: 500,
        level: i === 0 ? "ok" : "alert",
        driftIndex: i === 0 ? 0.4 : 1.8,
        worstColumn: "tenure",
        meanScore: 0.3,
        lowConfidenceShare: 0.1,
        positiveShare: 0.2,
        estimatedAccuracy: 0.8,
      })),
    },
  };
}

export function snapshotOf(models: SiteModel[]): SiteSnapshot {
  return {
    repository: "acme/models",
    repositoryUrl: "https://github.com/acme/models",
    generatedAt: "2026-05-06T12:00:00Z",
    models,
  };
}

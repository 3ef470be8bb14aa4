/** A link the site shows: to a release, a pull request, an issue, a workflow run. */
export interface SiteLink {
  label: string;
  /** `null` where there is nothing to link to (an offline registry): the label shows as text. */
  url: string | null;
}

/** A headline metric of one version with its interval, as `evaluation.json` reports it. */
export interface SiteMetric {
  name: string;
  value: number | null;
  ci: [number, number] | null;
}

/** One of the worst slices of a version on its main metric. */
export interface SiteSlice {
  /** The slice as `column=value, …`, from data: rendered escaped. */
  slice: string;
  n: number;
  metric: string;
  value: number | null;
  ci: [number, number] | null;
  /** Change against the baseline the evaluation compared with, when it had one. */
  delta: number | null;
}

/** One released (or candidate) version of a model. */
export interface SiteVersion {
  version: string;
  /** `false` for a candidate that has results but no release yet. */
  released: boolean;
  /** ISO time of the release, when known. */
  date: string | null;
  /** The model card (Markdown: the release body), when there is one. */
  card: string | null;
  gate: { status: string; reasons: string[]; approvedBy: string[] } | null;
  /** Headline metrics, the main metric first; empty when no `evaluation.json` was found. */
  metrics: SiteMetric[];
  /** Worst slices on the main metric, worst first. */
  slices: SiteSlice[];
  links: SiteLink[];
}

/** A registry event on a model's timeline. */
export interface SiteEvent {
  kind: "released" | "promoted" | "rolled back";
  version: string;
  /** The stage an alias moved on, for promotions and rollbacks. */
  stage: string | null;
  /** ISO time, when known. */
  at: string | null;
  /** Who approved (pull request reviewers) or who acted, when known. */
  by: string[];
  url: string | null;
}

/** One monitoring window of the latest `drift.json`. */
export interface SiteWindow {
  start: string;
  end: string;
  rows: number;
  level: string;
  driftIndex: number | null;
  worstColumn: string | null;
  meanScore: number | null;
  lowConfidenceShare: number | null;
  positiveShare: number | null;
  estimatedAccuracy: number | null;
}

/** The latest monitoring result of a model. */
export interface SiteMonitoring {
  version: string;
  level: string;
  verdict: string;
  windows: SiteWindow[];
  url: string | null;
}

/** One model of the registry. */
export interface SiteModel {
  name: string;
  owner: string | null;
  task: string | null;
  /** Each stage and the version its alias points at (`null`: no alias yet). */
  stages: { stage: string; version: string | null }[];
  /** Oldest first. */
  versions: SiteVersion[];
  /** Oldest first. */
  events: SiteEvent[];
  /** Open monitoring issues (drift alerts). */
  alerts: SiteLink[];
  monitoring: SiteMonitoring | null;
}

/**
 * Everything the registry site shows, gathered once (from the GitHub API in a workflow, or from
 * the demo's offline registry) and rendered by {@link renderSite} with no further reads.
 *
 * @example
 * const snapshot: SiteSnapshot = { repository: "acme/models", repositoryUrl: null, generatedAt: "2026-05-30T00:00:00Z", models: [] };
 */
export interface SiteSnapshot {
  /** `owner/name`, or a title for an offline registry. */
  repository: string;
  /** `https://github.com/owner/name`, or `null` offline. */
  repositoryUrl: string | null;
  generatedAt: string;
  models: SiteModel[];
}

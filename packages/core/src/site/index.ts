export { escapeHtml, safeHref } from "./escape-html.js";
export { markdownToHtml } from "./markdown-html.js";
export { currentVersion, modelPath, renderSite, sitePathPart, versionPath } from "./render-site.js";
export { siteMonitoring } from "./site-monitoring.js";
export { siteResult } from "./site-result.js";
export type {
  SiteEvent,
  SiteLink,
  SiteMetric,
  SiteModel,
  SiteMonitoring,
  SiteSlice,
  SiteSnapshot,
  SiteVersion,
  SiteWindow,
} from "./site-snapshot.js";
export { siteVersion, WORST_SLICES } from "./site-version.js";
export { type StageMove, stageEvents } from "./stage-events.js";
export { barChart, type ChartPoint, intervalChart } from "./svg-chart.js";

import { compareVersions, isVersion } from "../registry/compare-versions.js";
import { formatNumber } from "../report/evaluation-format.js";
import { escapeHtml, safeHref } from "./escape-html.js";
import { markdownToHtml } from "./markdown-html.js";
import { sitePage } from "./site-page.js";
import type { SiteLink, SiteModel, SiteSnapshot, SiteVersion } from "./site-snapshot.js";
import { barChart, intervalChart } from "./svg-chart.js";

/**
 * A file name for a data-derived name (model, version): letters, digits, `.`, `-` and `_` kept,
 * anything else hex-encoded, so two names never share a file and none leaves its folder.
 *
 * @example
 * sitePathPart("churn"); // "churn"
 * sitePathPart("../<x>"); // "..~2f~3cx~3e" (one file name, no folder)
 * sitePathPart(".."); // "~2e~2e"
 */
export function sitePathPart(name: string): string {
  if (/^\.+$/.test(name)) return [...name].map(() => "~2e").join("");
  return [...name]
    .map((c) =>
      /[A-Za-z0-9._-]/.test(c)
        ? c
        : `~${[...new TextEncoder().encode(c)].map((b) => b.toString(16).padStart(2, "0")).join("~")}`,
    )
    .join("");
}

/** Where a model's pages and a version's page live, relative to the site root. */
export const modelPath = (model: string) => `models/${sitePathPart(model)}/index.html`;
export const versionPath = (model: string, version: string) =>
  `models/${sitePathPart(model)}/v${sitePathPart(version)}.html`;

const e = escapeHtml;

function link(item: SiteLink): string {
  const href = item.url === null ? undefined : safeHref(item.url);
  return href ? `<a href="${href}">${e(item.label)}</a>` : e(item.label);
}

function verdict(status: string | null | undefined): string {
  if (!status) return `<span class="muted">—</span>`;
  return `<span class="verdict ${e(status.replace(/\s+/g, "-"))}">${e(status)}</span>`;
}

function num(value: number | null, signed = false): string {
  return `<td class="num">${e(formatNumber(value, signed))}</td>`;
}

function interval(ci: [number, number] | null): string {
  return `<td class="num">${ci ? e(`[${formatNumber(ci[0])}, ${formatNumber(ci[1])}]`) : "—"}</td>`;
}

function table(head: string[], rows: string[]): string {
  return `<div class="scroll"><table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

/** Versions newest first: semantic order where both are versions, else as listed. */
function newestFirst(versions: SiteVersion[]): SiteVersion[] {
  return versions
    .map((v, index) => ({ v, index }))
    .sort((a, b) =>
      isVersion(a.v.version) && isVersion(b.v.version)
        ? compareVersions(b.v.version, a.v.version)
        : b.index - a.index,
    )
    .map(({ v }) => v);
}

/**
 * The version the model page calls current: the one the `production` alias points at, else the
 * first stage that has one, else the newest released version, else the newest.
 */
export function currentVersion(model: SiteModel): SiteVersion | undefined {
  const staged =
    model.stages.find((s) => s.stage === "production" && s.version !== null) ??
    model.stages.find((s) => s.version !== null);
  const ordered = newestFirst(model.versions);
  return (
    (staged ? model.versions.find((v) => v.version === staged.version) : undefined) ??
    ordered.find((v) => v.released) ??
    ordered[0]
  );
}

function stagesText(model: SiteModel, up: string): string {
  if (model.stages.length === 0) return `<span class="muted">no stage yet</span>`;
  return model.stages
    .map((s) => {
      const version =
        s.version === null
          ? `<span class="muted">none</span>`
          : model.versions.some((v) => v.version === s.version)
            ? `<a href="${e(up + versionPath(model.name, s.version))}">v${e(s.version)}</a>`
            : `v${e(s.version)}`;
      return `${e(s.stage)}: ${version}`;
    })
    .join("<br>");
}

function indexPage(snapshot: SiteSnapshot, footer: string): string {
  const rows = snapshot.models.map((model) => {
    const latest = newestFirst(model.versions)[0];
    const alerts =
      model.alerts.length === 0
        ? `<span class="muted">none</span>`
        : `<span class="verdict alert">${model.alerts.length}</span> ${model.alerts.map(link).join(", ")}`;
    return (
      `<tr><td><a href="${e(modelPath(model.name))}">${e(model.name)}</a></td>` +
      `<td>${model.owner === null ? "—" : e(model.owner)}</td><td>${model.task === null ? "—" : e(model.task)}</td>` +
      `<td>${stagesText(model, "")}</td>` +
      `<td>${latest ? `${verdict(latest.gate?.status)} <span class="muted">v${e(latest.version)}</span>` : "—"}</td>` +
      `<td>${alerts}</td></tr>`
    );
  });
  const body =
    `<h1>Model registry of ${e(snapshot.repository)}</h1>` +
    `<p class="muted">${snapshot.models.length} model${snapshot.models.length === 1 ? "" : "s"}; every version, stage and verdict as the repository records them.</p>` +
    (snapshot.models.length === 0
      ? "<p>No model has been released yet.</p>"
      : `<section aria-labelledby="models"><h2 id="models">Models</h2>${table(
          ["model", "owner", "task", "current version per stage", "last gate verdict", "open alerts"],
          rows,
        )}</section>`);
  return sitePage({
    title: `Models — ${snapshot.repository}`,
    crumbs: [{ label: "Models", href: "index.html" }],
    body,
    footer,
  });
}

function metricsSection(model: SiteModel): string {
  const ordered = [...newestFirst(model.versions)].reverse();
  const names = [...new Set(ordered.flatMap((v) => v.metrics.map((m) => m.name)))];
  if (names.length === 0) return `<p class="muted">No evaluation results found for any version.</p>`;
  const figures = names
    .map((name) => {
      const points = ordered.map((v) => {
        const m = v.metrics.find((x) => x.name === name);
        return { label: `v${v.version}`, value: m?.value ?? null, ci: m?.ci ?? null };
      });
      const rows = points.map((p) => `<tr><td>${e(p.label)}</td>${num(p.value)}${interval(p.ci)}</tr>`);
      return `<figure><figcaption><h3>${e(name)}</h3></figcaption>${intervalChart(`${name} by version, with intervals`, points)}${table(["version", name, "interval"], rows)}</figure>`;
    })
    .join("");
  return `<div class="charts">${figures}</div>`;
}

function slicesTable(version: SiteVersion): string {
  if (version.slices.length === 0) return `<p class="muted">No slice results for v${e(version.version)}.</p>`;
  return table(
    ["slice", "rows", "metric", "value", "interval", "change vs baseline"],
    version.slices.map(
      (s) =>
        `<tr><td>${e(s.slice)}</td><td class="num">${s.n}</td><td>${e(s.metric)}</td>${num(s.value)}${interval(s.ci)}${num(s.delta, true)}</tr>`,
    ),
  );
}

function monitoringSection(model: SiteModel): string {
  const m = model.monitoring;
  if (!m) return `<p class="muted">No monitoring results yet.</p>`;
  const head = `<p>Latest run on v${e(m.version)}: ${verdict(m.level)} — ${m.url ? link({ label: m.verdict, url: m.url }) : e(m.verdict)}</p>`;
  if (m.windows.length === 0) return head;
  const chart = barChart(
    "drift index per window (1 = alert limit)",
    m.windows.map((w) => ({ label: w.start.slice(5, 10), value: w.driftIndex })),
    1,
  );
  const rows = m.windows.map(
    (w) =>
      `<tr><td>${e(w.start.slice(0, 16).replace("T", " "))}</td><td class="num">${w.rows}</td><td>${verdict(w.level)}</td>${num(w.driftIndex)}<td>${w.worstColumn === null ? "—" : e(w.worstColumn)}</td>${num(w.meanScore)}${num(w.lowConfidenceShare)}${num(w.positiveShare)}${num(w.estimatedAccuracy)}</tr>`,
  );
  return (
    head +
    chart +
    table(
      [
        "window",
        "rows",
        "level",
        "drift index",
        "worst column",
        "mean score",
        "low confidence",
        "positive share",
        "estimated accuracy",
      ],
      rows,
    )
  );
}

function timeline(model: SiteModel): string {
  if (model.events.length === 0) return `<p class="muted">No registry events recorded.</p>`;
  const items = model.events.map((ev) => {
    const when = ev.at
      ? `<time datetime="${e(ev.at)}">${e(ev.at.slice(0, 16).replace("T", " "))}</time> `
      : "";
    const version = model.versions.some((v) => v.version === ev.version)
      ? `<a href="${e(`v${sitePathPart(ev.version)}.html`)}">v${e(ev.version)}</a>`
      : `v${e(ev.version)}`;
    const stage = ev.stage ? ` to ${e(ev.stage)}` : "";
    const by = ev.by.length > 0 ? `; approved by ${ev.by.map(e).join(", ")}` : "";
    const source = ev.url ? ` (${link({ label: "details", url: ev.url })})` : "";
    return `<li>${when}<span class="verdict ${e(ev.kind.replace(" ", "-"))}">${e(ev.kind)}</span> ${version}${stage}${by}${source}</li>`;
  });
  return `<ol class="timeline">${items.reverse().join("")}</ol>`;
}

function modelPage(model: SiteModel, snapshot: SiteSnapshot, footer: string): string {
  const current = currentVersion(model);
  const versions = newestFirst(model.versions).map(
    (v) =>
      `<tr><td><a href="${e(`v${sitePathPart(v.version)}.html`)}">v${e(v.version)}</a></td><td>${v.released ? "released" : "candidate"}</td><td>${v.date ? e(v.date.slice(0, 10)) : "—"}</td><td>${verdict(v.gate?.status)}</td><td>${v.links.map(link).join(", ") || "—"}</td></tr>`,
  );
  const links = [
    ...model.versions.flatMap((v) => v.links),
    ...model.events.flatMap((ev) => (ev.url ? [{ label: `${ev.kind} v${ev.version}`, url: ev.url }] : [])),
    ...model.alerts,
    ...(model.monitoring?.url ? [{ label: "latest monitoring run", url: model.monitoring.url }] : []),
  ].filter((l, i, all) => l.url !== null && all.findIndex((x) => x.url === l.url) === i);
  const body =
    `<h1>${e(model.name)}</h1>` +
    `<div class="scroll"><table><tbody><tr><th>owner</th><td>${model.owner === null ? "—" : e(model.owner)}</td></tr>` +
    `<tr><th>task</th><td>${model.task === null ? "—" : e(model.task)}</td></tr>` +
    `<tr><th>stages</th><td>${stagesText(model, "../../")}</td></tr>` +
    `<tr><th>open alerts</th><td>${model.alerts.length === 0 ? "none" : model.alerts.map(link).join("<br>")}</td></tr></tbody></table></div>` +
    `<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>${timeline(model)}</section>` +
    `<section aria-labelledby="metrics"><h2 id="metrics">Headline metrics across versions</h2>${metricsSection(model)}</section>` +
    `<section aria-labelledby="slices"><h2 id="slices">Worst slices of ${current ? `v${e(current.version)}` : "the current version"}</h2>${current ? slicesTable(current) : `<p class="muted">No version yet.</p>`}</section>` +
    `<section aria-labelledby="monitoring"><h2 id="monitoring">Drift and health per window</h2>${monitoringSection(model)}</section>` +
    `<section aria-labelledby="versions"><h2 id="versions">Versions</h2>${table(["version", "state", "released", "gate", "links"], versions)}</section>` +
    `<section aria-labelledby="links"><h2 id="links">Releases, pull requests and issues</h2>${links.length === 0 ? `<p class="muted">None recorded.</p>` : `<ul>${links.map((l) => `<li>${link(l)}</li>`).join("")}</ul>`}</section>`;
  return sitePage({
    title: `${model.name} — ${snapshot.repository}`,
    crumbs: [
      { label: "Models", href: "../../index.html" },
      { label: model.name, href: "index.html" },
    ],
    body,
    footer,
  });
}

function versionPage(model: SiteModel, version: SiteVersion, snapshot: SiteSnapshot, footer: string): string {
  const gate = version.gate
    ? `<p>Gate: ${verdict(version.gate.status)}${version.gate.approvedBy.length > 0 ? `; approved by ${version.gate.approvedBy.map(e).join(", ")}` : ""}</p><ul>${version.gate.reasons.map((r) => `<li>${e(r)}</li>`).join("")}</ul>`
    : `<p class="muted">No gate result recorded.</p>`;
  const metrics =
    version.metrics.length === 0
      ? `<p class="muted">No evaluation results recorded.</p>`
      : table(
          ["metric", "value", "interval"],
          version.metrics.map((m) => `<tr><td>${e(m.name)}</td>${num(m.value)}${interval(m.ci)}</tr>`),
        );
  const body =
    `<h1>${e(model.name)} v${e(version.version)}</h1>` +
    `<p>${version.released ? "Released" : "Candidate, not released"}${version.date ? ` ${e(version.date.slice(0, 10))}` : ""}${version.links.length > 0 ? ` · ${version.links.map(link).join(" · ")}` : ""}</p>` +
    `<section aria-labelledby="gate"><h2 id="gate">Release gate</h2>${gate}</section>` +
    `<section aria-labelledby="metrics"><h2 id="metrics">Headline metrics</h2>${metrics}</section>` +
    `<section aria-labelledby="slices"><h2 id="slices">Worst slices</h2>${slicesTable(version)}</section>` +
    `<section aria-labelledby="card"><h2 id="card">Model card</h2>${version.card ? `<article class="card">${markdownToHtml(version.card)}</article>` : `<p class="muted">No model card recorded.</p>`}</section>`;
  return sitePage({
    title: `${model.name} v${version.version} — ${snapshot.repository}`,
    crumbs: [
      { label: "Models", href: "../../index.html" },
      { label: model.name, href: "index.html" },
      { label: `v${version.version}`, href: `v${sitePathPart(version.version)}.html` },
    ],
    body,
    footer,
  });
}

/**
 * The registry site: pure, from a snapshot to every file's path (relative to the site root) and
 * HTML. `index.html` lists the models; `models/<model>/index.html` has a model's timeline, metric
 * charts, worst slices, monitoring and links; `models/<model>/v<version>.html` a version's gate,
 * metrics and model card. Pages are self-contained (inline CSS and SVG, no script, a
 * Content-Security-Policy that blocks every fetch), so they work from a file viewer or Pages.
 *
 * @example
 * const files = renderSite(snapshot);
 * Object.keys(files); // ["index.html", "models/churn/index.html", "models/churn/v1.2.0.html", …]
 */
export function renderSite(snapshot: SiteSnapshot): Record<string, string> {
  const footer = `Built by gauntlet site from the registry of ${snapshot.repository} at ${snapshot.generatedAt}.`;
  const files: Record<string, string> = { "index.html": indexPage(snapshot, footer) };
  for (const model of snapshot.models) {
    files[modelPath(model.name)] = modelPage(model, snapshot, footer);
    for (const version of model.versions) {
      files[versionPath(model.name, version.version)] = versionPage(model, version, snapshot, footer);
    }
  }
  return files;
}

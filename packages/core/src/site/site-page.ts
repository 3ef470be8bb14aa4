import { escapeHtml } from "./escape-html.js";

/** Inline, so the site needs no stylesheet request; one column on a phone, tables scroll sideways. */
const CSS = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--line:#d1d9e0;--pass:#1a7f37;--warn:#9a6700;--fail:#cf222e;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--line:#3d444d;--pass:#3fb950;--warn:#d29922;--fail:#f85149;--accent:#4493f8}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1040px;margin:0 auto;padding:0 16px}
header{border-bottom:1px solid var(--line);padding-top:12px;padding-bottom:8px}
header nav a{color:var(--muted)}
h1{font-size:1.6em;margin:.4em 0;overflow-wrap:anywhere}
h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1.05em}
a{color:var(--accent)}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5em 0;font-size:.95em}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.verdict{font-weight:600;white-space:nowrap}
.pass,.ok,.promoted,.released{color:var(--pass)}
.warn,.pending,.watch{color:var(--warn)}
.fail,.alert,.blocked,.rolled-back{color:var(--fail)}
.muted,footer{color:var(--muted)}
ol.timeline{list-style:none;padding-left:0;border-left:2px solid var(--line)}
ol.timeline li{margin:0 0 .6em;padding-left:12px}
svg.chart{width:100%;max-width:640px;height:auto;display:block}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:8px 24px}
.charts figure{margin:0;min-width:0}
.charts h3{margin:.6em 0 .2em}
svg.chart .grid{stroke:var(--line);stroke-width:1}
svg.chart .tick{fill:var(--muted);font-size:12px}
svg.chart .ci{stroke:var(--accent);stroke-width:3}
svg.chart .point{fill:var(--accent)}
svg.chart .bar{fill:var(--accent)}
svg.chart .bar.over{fill:var(--fail)}
svg.chart .limit{stroke:var(--fail);stroke-dasharray:6 4}
code{font-size:.9em;overflow-wrap:anywhere}
pre{overflow-x:auto;max-width:100%}
footer{border-top:1px solid var(--line);margin-top:2em;padding-top:8px;padding-bottom:16px;font-size:.9em}
@media (max-width:600px){body{font-size:15px}th,td{padding:3px 5px}}
`;

/**
 * A whole page of the site: the inline stylesheet, a header with the breadcrumb, the main content
 * and a footer naming the snapshot. `crumbs` and `title` are text (escaped here); `body` is HTML
 * the caller built from escaped parts.
 *
 * @example
 * sitePage({ title: "churn", crumbs: [{ label: "Models", href: "../../index.html" }], body: "<h1>churn</h1>", footer: "acme/models, 2026-05-30" });
 * // "<!doctype html><html lang=\"en\">…<main id=\"content\"><h1>churn</h1></main>…"
 */
export function sitePage(page: {
  title: string;
  crumbs: { label: string; href: string }[];
  body: string;
  footer: string;
}): string {
  const crumbs = page.crumbs
    .map((c) => `<a href="${escapeHtml(c.href)}">${escapeHtml(c.label)}</a>`)
    .join(" / ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(page.title)}</title>
<style>${CSS}</style></head>
<body><header><nav aria-label="breadcrumb">${crumbs}</nav></header>
<main id="content">${page.body}</main>
<footer>${escapeHtml(page.footer)}</footer></body></html>
`;
}

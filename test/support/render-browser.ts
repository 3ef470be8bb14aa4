import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Marked } from "marked";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's Chromium, installed by scripts/setup-chromium.sh. */
export const CHROMIUM = "/usr/bin/chromium";

export const hasChromium = (): boolean => existsSync(CHROMIUM);

/** Headless Debian Chromium with nothing that would reach the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

const MERMAID_JS = join(import.meta.dirname, "..", "..", "node_modules", "mermaid", "dist", "mermaid.min.js");

/**
 * Markdown to HTML the way GitHub renders a comment: GFM (tables, strikethrough, autolinks) with
 * single newlines kept as line breaks off, and raw HTML passed through, so anything escaping
 * missed shows up as real elements in the page.
 */
export function markdownToHtml(markdown: string): string {
  return new Marked({ gfm: true, breaks: false }).parse(markdown, { async: false });
}

/** What the page reports about each Mermaid block it rendered. */
export interface ChartOutcome {
  source: string;
  error: string | null;
  svg: string;
  /** Texts of the x-axis tick labels, in order. */
  xLabels: string[];
  /** Bars drawn, and their distinct x positions. */
  bars: number;
  barPositions: number;
}

/** What the page reports about each table. */
export interface TableOutcome {
  headers: number;
  rowCells: number[];
}

export interface RenderedReport {
  charts: ChartOutcome[];
  tables: TableOutcome[];
  /** `<script>` elements inside the rendered report (none may come from data). */
  scripts: number;
  /** The report's visible text. */
  text: string;
  /** Its text outside code and charts: where GitHub links mentions and references. */
  prose: string;
  /** Requests the page tried that were not to the local server. */
  external: string[];
}

const PAGE = (body: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>gauntlet report</title>
<style>body{font-family:sans-serif;max-width:1000px;margin:1em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}</style>
<script src="/mermaid.min.js"></script></head>
<body><article id="report">${body}</article></body></html>`;

/** Serves the report page and mermaid's bundled script from 127.0.0.1 (nothing else: the test runs offline). */
async function serve(html: string): Promise<{ server: Server; url: string }> {
  const mermaid = readFileSync(MERMAID_JS);
  const server = createServer((request, response) => {
    if (request.url === "/mermaid.min.js") {
      response.writeHead(200, { "content-type": "text/javascript" }).end(mermaid);
    } else if (request.url === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE(html));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/**
 * Runs in the page: renders every `language-mermaid` code block with mermaid.render (as GitHub's
 * viewer does, with strict security) and measures the charts and tables. Plain JavaScript, since
 * it is sent to the browser as text.
 */
const INSPECT = `(async () => {
  const mermaid = globalThis.mermaid;
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
  const report = document.getElementById("report");
  const charts = [];
  const blocks = Array.from(report.querySelectorAll("pre > code.language-mermaid"));
  for (const [index, code] of blocks.entries()) {
    const source = code.textContent ?? "";
    const holder = document.createElement("div");
    code.parentElement.replaceWith(holder);
    let error = null;
    let svg = "";
    try {
      await mermaid.parse(source);
      svg = (await mermaid.render("chart" + index, source)).svg;
      holder.innerHTML = svg;
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const xLabels = Array.from(holder.querySelectorAll(".bottom-axis .label text")).map((t) => t.textContent ?? "");
    const rects = Array.from(holder.querySelectorAll(".bar-plot-0 rect"));
    const positions = new Set(rects.map((r) => r.getAttribute("x")));
    if (svg.includes("Syntax error")) error = error ?? "mermaid drew its syntax-error diagram";
    charts.push({ source, error, svg, xLabels, bars: rects.length, barPositions: positions.size });
  }
  const tables = Array.from(report.querySelectorAll("table")).map((table) => ({
    headers: table.querySelectorAll("thead tr th").length,
    rowCells: Array.from(table.querySelectorAll("tbody tr")).map((tr) => tr.querySelectorAll("td").length),
  }));
  const prose = report.cloneNode(true);
  for (const node of Array.from(prose.querySelectorAll("pre, code, svg"))) node.remove();
  return {
    charts,
    tables,
    scripts: report.querySelectorAll("script").length,
    text: report.innerText,
    prose: prose.textContent ?? "",
  };
})()`;

async function inspect(page: Page): Promise<Omit<RenderedReport, "external">> {
  return (await page.evaluate(INSPECT)) as Omit<RenderedReport, "external">;
}

/**
 * Loads the report's HTML in headless Chromium, renders its Mermaid charts with the bundled
 * mermaid script, saves a full-page screenshot, and returns what it found.
 */
export async function renderInBrowser(html: string, screenshot: string): Promise<RenderedReport> {
  const { server, url } = await serve(html);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const external: string[] = [];
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith(url)) return route.continue();
      external.push(route.request().url());
      return route.abort();
    });
    await page.goto(url, { waitUntil: "load" });
    const outcome = await inspect(page);
    await page.screenshot({ path: screenshot, fullPage: true });
    return { ...outcome, external };
  } finally {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

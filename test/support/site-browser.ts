import { readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "./render-browser.js";

/** What a page of the site showed in the browser. */
export interface SitePageOutcome {
  /** Path relative to the site root. */
  path: string;
  status: number;
  title: string;
  /** DOM landmarks and element counts: what the structure comparison reads. */
  counts: Record<
    | "header"
    | "nav"
    | "main"
    | "footer"
    | "h1"
    | "section"
    | "table"
    | "chart"
    | "point"
    | "bar"
    | "script"
    | "link",
    number
  >;
  /** The page's width beyond the viewport's (0: nothing scrolls sideways but the tables' own boxes). */
  overflow: number;
  h1: string;
  /** Internal links, resolved to site paths. */
  links: string[];
  /** Links out of the site (to the repository on GitHub); never requested. */
  outbound: string[];
}

/** What crawling the whole site from `index.html` found. */
export interface SiteCrawl {
  pages: SitePageOutcome[];
  consoleErrors: string[];
  /** Requests to anything but the site's own server: intercepted, failed and listed. */
  external: string[];
  /** Internal links that did not resolve to a page (404). */
  broken: string[];
}

/**
 * Runs in the page: its structure and links. Plain JavaScript, since it is sent to the browser as
 * text (the test's TypeScript has no DOM types).
 */
const MEASURE = `(() => {
  const all = (selector) => document.querySelectorAll(selector).length;
  return {
    title: document.title,
    h1: document.querySelector("h1")?.textContent ?? "",
    counts: {
      header: all("header"),
      nav: all("nav"),
      main: all("main"),
      footer: all("footer"),
      h1: all("h1"),
      section: all("main section"),
      table: all("main table"),
      chart: all("svg.chart"),
      point: all("svg.chart circle.point"),
      bar: all("svg.chart rect.bar"),
      script: all("script"),
      link: all("a[href]"),
    },
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    hrefs: [...document.querySelectorAll("a[href]")].map((a) => a.href),
  };
})()`;

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".png": "image/png" };

/** Serves `dir` read-only from 127.0.0.1, as GitHub Pages serves the folder. */
async function serveFolder(dir: string): Promise<{ server: Server; url: string }> {
  const root = resolve(dir);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    const file = resolve(root, `.${path.endsWith("/") ? `${path}index.html` : path}`);
    try {
      if (!file.startsWith(root + sep) || !statSync(file).isFile()) throw new Error("not a file");
      response
        .writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" })
        .end(readFileSync(file));
    } catch {
      response.writeHead(404).end("not found");
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/**
 * Opens `index.html` of the site in `dir` in headless Chromium at `viewport`, follows every link
 * inside the site (each page once), and records per page its structure, console errors, requests
 * that left the site (all intercepted and failed), links that did not resolve, and a full-page
 * screenshot into `screenshots/<prefix>-<page>.png`.
 */
export async function crawlSite(
  dir: string,
  options: { viewport: { width: number; height: number }; screenshots: string; prefix: string },
): Promise<SiteCrawl> {
  const { server, url } = await serveFolder(dir);
  let browser: Browser | undefined;
  const crawl: SiteCrawl = { pages: [], consoleErrors: [], external: [], broken: [] };
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: options.viewport });
    page.on("console", (message) => {
      if (message.type() === "error") crawl.consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => crawl.consoleErrors.push(`${page.url()}: ${error.message}`));
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith(url)) return route.continue();
      crawl.external.push(route.request().url());
      return route.abort();
    });
    const queue = ["index.html"];
    const seen = new Set(queue);
    while (queue.length > 0) {
      const path = queue.shift() as string;
      const response = await page.goto(url + path, { waitUntil: "load" });
      const status = response?.status() ?? 0;
      if (status !== 200) {
        crawl.broken.push(path);
        continue;
      }
      const found = (await page.evaluate(MEASURE)) as {
        title: string;
        h1: string;
        counts: SitePageOutcome["counts"];
        overflow: number;
        hrefs: string[];
      };
      const links: string[] = [];
      const outbound: string[] = [];
      for (const href of found.hrefs) {
        if (href.startsWith(url))
          links.push(decodeURIComponent(href.slice(url.length).split("#")[0] as string));
        else outbound.push(href);
      }
      crawl.pages.push({
        path,
        status,
        title: found.title,
        h1: found.h1,
        counts: found.counts,
        overflow: found.overflow,
        links,
        outbound,
      });
      await page.screenshot({
        path: join(
          options.screenshots,
          `${options.prefix}-${path.replace(/[/\\]/g, "_").replace(/\.html$/, "")}.png`,
        ),
        fullPage: true,
      });
      for (const link of links) {
        if (!seen.has(link)) {
          seen.add(link);
          queue.push(link);
        }
      }
    }
    return crawl;
  } finally {
    await browser?.close();
    await new Promise((done) => server.close(done));
  }
}

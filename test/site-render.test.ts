import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { renderSite } from "@gauntlet/core";
import { writeSite } from "@gauntlet/steps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDemo } from "../packages/cli/src/demo/run-demo.js";
import { churnModel, snapshotOf } from "../packages/core/src/site/site-fixture.test-helper.js";
import { hasChromium } from "./support/render-browser.js";
import { crawlSite, type SiteCrawl } from "./support/site-browser.js";

// The demo's registry site, opened in a real browser as a visitor of GitHub Pages would: it needs
// /usr/bin/chromium (scripts/setup-chromium.sh); skipped without it on a developer's machine,
// never in CI.
const skip = !hasChromium() && !process.env["CI"];
const ROOT = join(import.meta.dirname, "..");
const OUT = join(ROOT, "test-output");

const files = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".html"))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();

describe.skipIf(skip)("the registry site of the demo in a browser", () => {
  let work: string;
  let site: string;
  let desktop: SiteCrawl;
  let phone: SiteCrawl;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "gauntlet-site-browser-"));
    const run = await runDemo({ cwd: ROOT, example: "examples/churn", out: join(work, "demo-out") });
    site = join(run.outDir, "site");
    mkdirSync(OUT, { recursive: true });
    desktop = await crawlSite(site, {
      viewport: { width: 1100, height: 900 },
      screenshots: OUT,
      prefix: "site-desktop",
    });
    phone = await crawlSite(site, {
      viewport: { width: 390, height: 844 },
      screenshots: OUT,
      prefix: "site-phone",
    });
  }, 240_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("reaches every page from the index, with no broken link, console error or request off the site", () => {
    for (const crawl of [desktop, phone]) {
      expect(crawl.broken).toEqual([]);
      expect(crawl.consoleErrors).toEqual([]);
      expect(crawl.external).toEqual([]);
      expect(crawl.pages.map((p) => p.path).sort()).toEqual(files(site));
    }
    expect(files(site)).toEqual([
      "index.html",
      "models/churn/index.html",
      "models/churn/v1.2.0.html",
      "models/churn/v1.3.0.html",
      // The example's multiclass model, released and proposed beside churn.
      "models/plan/index.html",
      "models/plan/v1.2.0.html",
      "models/plan/v1.3.0.html",
    ]);
  });

  it("gives every page the same landmarks and no script", () => {
    for (const page of desktop.pages) {
      expect(page.counts, page.path).toMatchObject({
        header: 1,
        nav: 1,
        main: 1,
        footer: 1,
        h1: 1,
        script: 0,
      });
    }
  });

  it("has the structure each page promises", () => {
    const byPath = new Map(desktop.pages.map((p) => [p.path, p]));
    const index = byPath.get("index.html");
    const model = byPath.get("models/churn/index.html");
    const candidate = byPath.get("models/churn/v1.3.0.html");
    expect(index?.h1).toBe("Model registry of examples/churn");
    expect(index?.counts).toMatchObject({ section: 1, table: 1, chart: 0 });
    // Timeline, metrics, worst slices, monitoring, versions, links; a chart per headline metric and one of drift.
    expect(model?.counts.section).toBe(6);
    expect(model?.counts.chart).toBeGreaterThanOrEqual(2);
    expect(model?.counts.point).toBe(2 * ((model?.counts.chart ?? 0) - 1));
    expect(model?.counts.bar).toBeGreaterThan(0);
    expect(candidate?.h1).toBe("churn v1.3.0");
    expect(candidate?.counts.section).toBe(4);
    expect(candidate?.counts.table).toBeGreaterThanOrEqual(3);
  });

  it("fits a phone: nothing but the tables' own boxes scrolls sideways, and the structure is the same", () => {
    for (const page of phone.pages) {
      expect(page.overflow, page.path).toBeLessThanOrEqual(0);
      const same = desktop.pages.find((p) => p.path === page.path);
      expect(page.counts, page.path).toEqual(same?.counts);
    }
  });
});

describe.skipIf(skip)("a registry site built from hostile names in a browser", () => {
  it("shows them as text: no element, script or request comes from data", async () => {
    const work = mkdtempSync(join(tmpdir(), "gauntlet-site-hostile-"));
    try {
      const model = churnModel();
      model.name = `<script>alert(1)</script>`;
      model.owner = `"onload=alert(1) @everyone`;
      model.alerts = [
        { label: `<img src=x onerror=alert(1)>`, url: "https://github.com/acme/models/issues/9" },
      ];
      for (const v of model.versions) {
        v.card = `# <img src=//evil.example/x.png>\n\n| a | b |\n| --- | --- |\n| <script>alert(1)</script> | \\| |`;
        v.slices = [
          {
            slice: `region="><svg onload=alert(1)>`,
            n: 9,
            metric: "roc_auc",
            value: 0.5,
            ci: null,
            delta: null,
          },
        ];
      }
      const site = join(work, "site");
      await writeSite(site, renderSite(snapshotOf([model])));
      const crawl = await crawlSite(site, {
        viewport: { width: 1100, height: 900 },
        screenshots: OUT,
        prefix: "site-hostile",
      });
      expect(crawl.broken).toEqual([]);
      expect(crawl.consoleErrors).toEqual([]);
      expect(crawl.external).toEqual([]);
      expect(crawl.pages).toHaveLength(1 + 1 + model.versions.length);
      for (const page of crawl.pages) expect(page.counts.script, page.path).toBe(0);
      const modelPage = crawl.pages.find((p) => p.path.endsWith("/index.html") && p.path !== "index.html");
      expect(modelPage?.h1).toBe(`<script>alert(1)</script>`);
      expect(modelPage?.outbound).toContain("https://github.com/acme/models/issues/9");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});

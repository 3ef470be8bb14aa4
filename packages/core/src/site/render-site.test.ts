import { describe, expect, it } from "vitest";
import { markdownToHtml } from "./markdown-html.js";
import { currentVersion, renderSite, sitePathPart } from "./render-site.js";
import { churnModel, snapshotOf } from "./site-fixture.test-helper.js";

const count = (html: string, pattern: RegExp) => (html.match(pattern) ?? []).length;

describe("renderSite", () => {
  it("writes an index, a page per model and a page per version", () => {
    const files = renderSite(snapshotOf([churnModel()]));
    expect(Object.keys(files).sort()).toEqual([
      "index.html",
      "models/churn/index.html",
      "models/churn/v1.0.0.html",
      "models/churn/v1.1.0.html",
      "models/churn/v1.2.0.html",
    ]);
  });

  it("lists each model with its owner, task, stages, last gate verdict and open alerts", () => {
    const index = renderSite(snapshotOf([churnModel()]))["index.html"] as string;
    const row = /<tbody><tr>(.*?)<\/tr><\/tbody>/s.exec(index)?.[1] ?? "";
    const cells = [...row.matchAll(/<td>(.*?)<\/td>/gs)].map((m) => m[1]?.replace(/<[^>]+>/g, ""));
    expect(cells).toEqual([
      "churn",
      "@acme/risk",
      "binary",
      "production: v1.1.0",
      "pass v1.2.0",
      "1 Drift alert: churn",
    ]);
  });

  it("charts every headline metric across versions, a whisker per interval, and drift per window", () => {
    const page = renderSite(snapshotOf([churnModel()]))["models/churn/index.html"] as string;
    expect(count(page, /<svg class="chart"/g)).toBe(3);
    expect(count(page, /<circle class="point"/g)).toBe(6);
    // log_loss has no intervals: only roc_auc's three versions have whiskers.
    expect(count(page, /<line class="ci"/g)).toBe(3);
    expect(count(page, /<rect class="bar over"/g)).toBe(1);
    expect(count(page, /<rect class="bar"/g)).toBe(1);
  });

  it("shows the timeline newest first, with who approved, and the current version's worst slices", () => {
    const page = renderSite(snapshotOf([churnModel()]))["models/churn/index.html"] as string;
    const events = [...page.matchAll(/<span class="verdict ([a-z-]+)">/g)].map((m) => m[1]);
    expect(events.slice(0, 3)).toEqual(["rolled-back", "promoted", "released"]);
    expect(page).toContain("approved by octocat");
    expect(page).toMatch(/Worst slices of v1\.1\.0/);
  });

  it("escapes every data-derived string and links only to https and the site's own pages", () => {
    const model = churnModel();
    model.name = `<script>alert(1)</script>`;
    model.owner = `"onload=alert(1) @everyone`;
    model.task = "<img src=x onerror=alert(1)>";
    model.alerts = [{ label: "</a><script>", url: "javascript:alert(1)" }];
    const [first] = model.versions;
    if (!first) throw new Error("fixture has versions");
    first.slices = [
      { slice: `region="><svg onload=alert(1)>`, n: 5, metric: "roc_auc", value: 0.5, ci: null, delta: null },
    ];
    first.card = `# <b>bold</b>\n\n| a | b |\n| --- | --- |\n| <script> | \\| "x" |\n\n[x](javascript:alert(1)) <iframe src=//evil>`;
    first.links = [{ label: "pr", url: 'https://github.com/acme/models/pull/1"onmouseover="x' }];
    model.stages = [{ stage: "prod<uction", version: "1.1.0" }];
    const files = renderSite(snapshotOf([model]));
    for (const [path, html] of Object.entries(files)) {
      expect(path).not.toMatch(/[<>"]/);
      expect(count(html, /<script/gi)).toBe(0);
      expect(html).not.toMatch(/<(img|svg onload|iframe|b>)/i);
      // Inside a real tag (text has its "<" escaped, so every "<" starts one), no event handler.
      expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
      for (const [, href] of html.matchAll(/href="([^"]*)"/g)) {
        expect(href).toMatch(/^(https:\/\/|[^:]+$)/);
      }
    }
    expect(files["index.html"]).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(files["index.html"]).toContain("&quot;onload=alert(1) @everyone");
    expect(Object.keys(files)).toContain("models/~3cscript~3ealert~281~29~3c~2fscript~3e/index.html");
  });

  it("renders an empty registry as an index that says so", () => {
    const files = renderSite(snapshotOf([]));
    expect(Object.keys(files)).toEqual(["index.html"]);
    expect(files["index.html"]).toContain("No model has been released yet.");
  });
});

describe("currentVersion", () => {
  it("is production's version, else the newest released one", () => {
    const model = churnModel();
    expect(currentVersion(model)?.version).toBe("1.1.0");
    model.stages = [];
    expect(currentVersion(model)?.version).toBe("1.2.0");
  });
});

describe("sitePathPart", () => {
  it("keeps safe names and encodes the rest into one file name", () => {
    expect(sitePathPart("churn-v2_b.1")).toBe("churn-v2_b.1");
    expect(sitePathPart("../x")).toBe("..~2fx");
    expect(sitePathPart("..")).toBe("~2e~2e");
    expect(sitePathPart("é")).toBe("~c3~a9");
    expect(sitePathPart("a/b")).not.toBe(sitePathPart("a~2fb"));
  });
});

describe("markdownToHtml", () => {
  it("renders headings, tables, lists, code and bold with the text escaped", () => {
    const html = markdownToHtml(
      "# Card\n\nSee `a<b` and **bold**.\n\n| col | val |\n| --- | --- |\n| x \\| y | &lt;z&gt; |\n\n- one\n- two",
    );
    expect(html).toBe(
      "<h2>Card</h2>\n<p>See <code>a&lt;b</code> and <strong>bold</strong>.</p>\n" +
        '<div class="scroll"><table><thead><tr><th>col</th><th>val</th></tr></thead><tbody><tr><td>x | y</td><td>&lt;z&gt;</td></tr></tbody></table></div>\n' +
        "<ul><li>one</li><li>two</li></ul>",
    );
  });

  it("hides a one-line HTML comment (the card's release record), as GitHub does", () => {
    expect(markdownToHtml('# Card\n\n<!-- gauntlet:release {"model":"churn"} -->\n')).toBe("<h2>Card</h2>");
    expect(markdownToHtml("<!-- open\nnot closed on its line")).toContain("&lt;!-- open");
  });

  it("renders a fenced code block as preformatted text, escaped", () => {
    expect(markdownToHtml("Check:\n\n```sh\ngh attestation verify m.onnx --repo a/b <x>\n```\n\nDone.")).toBe(
      "<p>Check:</p>\n<pre><code>gh attestation verify m.onnx --repo a/b &lt;x&gt;</code></pre>\n<p>Done.</p>",
    );
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { formatNumber } from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../main.js";

const ROOT = join(import.meta.dirname, "..", "..", "..", "..");
const MANIFEST = join(ROOT, "examples", "churn", "models", "churn", "model.yml");

describe("gauntlet site", () => {
  let work: string;
  let out: string;
  let demoStdout = "";

  const run = async (args: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await main(["site", ...args], {
      cwd: ROOT,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    return { code, stdout, stderr };
  };
  const offline = (site: string) => [
    "--registry",
    join(out, "registry.json"),
    "--releases",
    join(out, "releases"),
    "--results",
    out,
    "--manifest",
    relative(ROOT, MANIFEST),
    "--out",
    join(work, site),
  ];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "gauntlet-site-test-"));
    out = join(work, "demo-out");
    const code = await main(["demo", "--example", "examples/churn", "--out", out], {
      cwd: ROOT,
      stdout: (t) => (demoStdout += t),
      stderr: () => {},
    });
    expect(code, demoStdout).toBe(0);
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("is what gauntlet demo writes into its output folder, and the demo prints where", () => {
    expect(demoStdout).toContain(
      `registry site:     ${relative(ROOT, join(out, "site", "index.html"))} (open it in a browser)`,
    );
    expect(existsSync(join(out, "site", "models", "churn", "v1.3.0.html"))).toBe(true);
  });

  it("builds the index, the model page and a page per version from the offline registry", async () => {
    const { code, stdout, stderr } = await run(offline("site"));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(
      `gauntlet site: 7 pages for 2 model(s) in ${relative(ROOT, join(work, "site", "index.html"))}\n`,
    );
    // The demo's registry holds the example's multiclass model too: its model page and two versions.
    expect(existsSync(join(work, "site", "models", "plan", "v1.2.0.html"))).toBe(true);
    const index = readFileSync(join(work, "site", "index.html"), "utf8");
    const gate = JSON.parse(readFileSync(join(out, "churn", "gate.json"), "utf8"));
    const row = /<tbody><tr>(.*?)<\/tr><\/tbody>/s.exec(index)?.[1] ?? "";
    const cells = [...row.matchAll(/<td>(.*?)<\/td>/gs)].map((m) => m[1]?.replace(/<[^>]+>/g, ""));
    expect(cells.slice(0, 5)).toEqual([
      "churn",
      "@acme/risk-ml",
      "binary",
      "production: v1.2.0",
      `${gate.status} v1.3.0`,
    ]);
    expect(cells[5]).toMatch(/^1 alert: /);
  });

  it("charts each headline metric for the released version (measured as the baseline) and the candidate", () => {
    const page = readFileSync(join(work, "site", "models", "churn", "index.html"), "utf8");
    const evaluation = JSON.parse(readFileSync(join(out, "churn", "evaluation.json"), "utf8"));
    expect((page.match(/<svg class="chart"/g) ?? []).length).toBe(evaluation.metrics.length + 1);
    const main = evaluation.metrics[0];
    const released = evaluation.baseline.overall.metrics[main];
    const candidate = evaluation.overall.metrics[main];
    expect(page).toContain(
      `<tr><td>v1.2.0</td><td class="num">${formatNumber(released.value)}</td><td class="num">[${formatNumber(released.ci[0])}, ${formatNumber(released.ci[1])}]</td></tr>`,
    );
    expect(page).toContain(`<tr><td>v1.3.0</td><td class="num">${formatNumber(candidate.value)}</td>`);
    const drift = JSON.parse(readFileSync(join(out, "churn", "drift.json"), "utf8"));
    expect((page.match(/<rect class="bar/g) ?? []).length).toBe(
      drift.windows.filter((w: { driftIndex: number | null }) => w.driftIndex !== null).length,
    );
    expect(page).toContain("Worst slices of v1.2.0");
  });

  it("shows the candidate's model card on its version page", () => {
    const page = readFileSync(join(work, "site", "models", "churn", "v1.3.0.html"), "utf8");
    expect(page).toContain("<h2>churn v1.3.0</h2>");
    expect(page).toMatch(/Candidate, not released/);
  });

  it("names the missing option, and the file of a result that is not one", async () => {
    const missing = await run(["--releases", join(out, "releases")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--registry/);
    writeFileSync(
      join(out, "releases", "churn-v1.2.0", "gate.json"),
      JSON.stringify({ schema: "gauntlet/drift@1" }),
    );
    const wrong = await run(offline("site-bad"));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/churn-v1\.2\.0\/gate\.json/);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Check } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { annotate, setOutputs, writeSummary } from "./publish.js";

const dir = mkdtempSync(join(tmpdir(), "gauntlet-publish-"));
let output: string[] = [];
beforeEach(() => {
  output = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function tempFile(name: string, content = ""): string {
  const path = join(dir, `${name}-${Math.random()}`);
  writeFileSync(path, content);
  return path;
}

describe("setOutputs", () => {
  it("writes each defined output to GITHUB_OUTPUT and skips undefined ones", () => {
    const path = tempFile("output");
    vi.stubEnv("GITHUB_OUTPUT", path);
    setOutputs({
      result: ".gauntlet/churn/validation.json",
      passed: false,
      "comment-id": undefined,
      rows: 3,
    });
    const text = readFileSync(path, "utf8");
    const outputs = Object.fromEntries(
      [...text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]),
    );
    expect(outputs).toEqual({ result: ".gauntlet/churn/validation.json", passed: "false", rows: "3" });
  });
});

describe("writeSummary", () => {
  it("appends to the step summary", async () => {
    const path = tempFile("summary", "# earlier step output\n");
    vi.stubEnv("GITHUB_STEP_SUMMARY", path);
    expect(await writeSummary("## churn\n\nall good")).toEqual({ written: true, truncated: false });
    expect(readFileSync(path, "utf8")).toBe("# earlier step output\n## churn\n\nall good\n");
  });

  it("cuts visibly to stay within the byte limit, counting what is already there and multi-byte text", async () => {
    const path = tempFile("summary", "x".repeat(1000));
    vi.stubEnv("GITHUB_STEP_SUMMARY", path);
    const report = Array.from({ length: 400 }, (_, i) => `| région ${i} | ✅ |`).join("\n");
    const result = await writeSummary(report, { limitBytes: 4000 });
    expect(result).toEqual({ written: true, truncated: true });
    const written = readFileSync(path);
    expect(written.byteLength).toBeLessThanOrEqual(4000);
    expect(written.byteLength).toBeGreaterThan(3000);
    expect(written.toString("utf8")).toMatch(/Truncated: the last [\d,]+ lines .* 1 MiB job summary limit/);
  });

  it("writes nothing outside a runner", async () => {
    vi.stubEnv("GITHUB_STEP_SUMMARY", "");
    expect(await writeSummary("x")).toEqual({ written: false, truncated: false });
  });
});

describe("annotate", () => {
  const check = (id: string, status: Check["status"], column?: string): Check => ({
    id,
    status,
    value: 1,
    limit: 0,
    reason: `${id} is off`,
    ...(column === undefined ? {} : { column }),
  });
  const lines = () =>
    output
      .join("")
      .split("\n")
      .filter((line) => line.startsWith("::"));

  it("emits failing checks as errors and warnings as warnings, with file, line and title", () => {
    const counts = annotate(
      [check("range-min", "pass"), check("null-fraction", "warn", "age"), check("rows", "fail")],
      {
        file: "models/churn/model.yml",
        line: (c) => (c.column === "age" ? 31 : undefined),
      },
    );
    expect(counts).toEqual({ errors: 1, warnings: 1, omitted: 0 });
    expect(lines()).toEqual([
      "::error title=gauntlet%3A rows,file=models/churn/model.yml::rows is off",
      "::warning title=gauntlet%3A null-fraction (age),file=models/churn/model.yml,line=31::null-fraction is off",
    ]);
  });

  it("caps each type at 10, spending the last slot on how many more there are", () => {
    const checks = [
      ...Array.from({ length: 14 }, (_, i) => check(`fail-${i}`, "fail")),
      ...Array.from({ length: 3 }, (_, i) => check(`warn-${i}`, "warn")),
    ];
    expect(annotate(checks)).toEqual({ errors: 10, warnings: 3, omitted: 5 });
    const errors = lines().filter((l) => l.startsWith("::error"));
    expect(errors).toHaveLength(10);
    expect(errors[0]).toContain("fail-0 is off");
    expect(errors[9]).toMatch(/::5 more failing checks are not annotated here/);
  });
});

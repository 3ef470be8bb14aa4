import { describe, expect, it } from "vitest";
import { renderShadowSection } from "./render-shadow-section.js";
import { shadowChecks } from "./shadow-checks.js";
import { DEFAULT_SHADOW_LIMITS, shadowLimits } from "./shadow-limits.js";
import type { BenchmarkBatch, ShadowResult } from "./shadow-result.js";
import { shadowResultFixture } from "./shadow-result.test-helper.js";

const timing = (n: number, p50Ms: number, p99Ms: number, rows: number) => ({
  n,
  p50Ms,
  p95Ms: (p50Ms + p99Ms) / 2,
  p99Ms,
  rowsPerSecond: rows / (p50Ms / 1000),
});

const batches: BenchmarkBatch[] = [
  { rows: 1, champion: timing(200, 0.05, 0.1, 1), challenger: timing(200, 0.08, 0.2, 1) },
  { rows: 1024, champion: timing(50, 0.8, 1.5, 1024), challenger: timing(50, 1.6, 3, 1024) },
];

const result = (latency: Partial<ShadowResult["latency"]>): ShadowResult =>
  shadowResultFixture({
    latency: {
      logged: { champion: null, challenger: null },
      benchmark: { champion: batches[0]!.champion, challenger: batches[0]!.challenger },
      benchmarkBatches: batches,
      ...latency,
    },
  });

const latencySection = (md: string) => md.slice(md.indexOf("#### Latency"));

describe("Shadow latency table", () => {
  it("shows each model per batch size with rows/s, names the sizes and what in-process timings leave out", () => {
    const md = latencySection(renderShadowSection(result({})));
    expect(md).toContain("| | Batch | Timed | p50 | p95 | p99 | Rows/s |");
    expect(md).toContain(
      "| champion, in process | 1 row | 200 calls | 0.050 ms | 0.075 ms | 0.100 ms | 20,000 |",
    );
    expect(md).toContain("| candidate, in process | 1 row | 200 calls |");
    expect(md).toContain("| champion, in process | 1,024 rows | 50 calls | 0.800 ms |");
    expect(md).toContain(
      "| candidate, in process | 1,024 rows | 50 calls | 1.600 ms | 2.300 ms | 3.000 ms | 640,000 |",
    );
    expect(md).toContain("timed per call at batch sizes of 1 row and 1,024 rows (rows/s at the median call)");
    expect(md).toContain("exclude network, request parsing and serialisation");
    expect(md).toContain("reads the candidate's one-row in-process p99, as no candidate latency was logged");
  });

  it("puts logged latencies first and says the check reads the logged p99", () => {
    const logged = {
      champion: { n: 4000, p50Ms: 10, p95Ms: 20, p99Ms: 30 },
      challenger: { n: 4000, p50Ms: 12, p95Ms: 25, p99Ms: 40 },
    };
    const md = latencySection(renderShadowSection(result({ logged })));
    expect(md).toContain(
      "| champion, logged | served request | 4,000 requests | 10.000 ms | 20.000 ms | 30.000 ms | — |",
    );
    expect(md.indexOf("candidate, logged")).toBeLessThan(md.indexOf("champion, in process"));
    expect(md).toContain("The latency-p99 check reads the candidate's logged p99.");
  });

  it("renders a result written before batch sizes were recorded from its one-row benchmark", () => {
    const md = latencySection(renderShadowSection(result({ benchmarkBatches: undefined })));
    expect(md).toContain("| candidate, in process | 1 row | 200 calls |");
    expect(md).not.toContain("1,024");
    expect(md).toContain("batch sizes of 1 row (rows/s");
  });

  it("leaves the table out when nothing was logged or timed", () => {
    const md = renderShadowSection(
      result({ benchmark: { champion: null, challenger: null }, benchmarkBatches: [] }),
    );
    expect(md).not.toContain("#### Latency");
  });
});

describe("latency-p99 check", () => {
  const check = (r: ShadowResult, limit?: number) =>
    shadowChecks(
      r,
      limit === undefined ? DEFAULT_SHADOW_LIMITS : shadowLimits({ "max-latency-p99-ms": limit }),
    ).find((c) => c.id === "latency-p99")!;

  it("reads the logged candidate p99 when there is one, whatever the throughput batch took", () => {
    const logged = { champion: null, challenger: { n: 4000, p50Ms: 12, p95Ms: 25, p99Ms: 40 } };
    expect(check(result({ logged }), 50)).toMatchObject({ status: "pass", value: 40, limit: 50 });
    expect(check(result({ logged }), 30)).toMatchObject({ status: "fail", value: 40 });
  });

  it("otherwise reads the one-row in-process p99, not the throughput batch's time per call", () => {
    expect(check(result({}), 1)).toMatchObject({ status: "pass", value: 0.2, limit: 1 });
    expect(check(result({}), 0.1)).toMatchObject({ status: "fail", value: 0.2 });
    expect(check(result({})).reason).toContain("in-process (one-row batches)");
  });
});

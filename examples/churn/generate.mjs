#!/usr/bin/env node
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
// Needs the built fixtures package (`npm run build`).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFixtures } from "@gauntlet/fixtures";

/** The one fixture call the example comes from; change it only together with the committed files. */
export const FIXTURE_OPTIONS = { rows: 5000, trainRows: 20_000, seed: 7, now: "2025-06-01T00:00:00Z" };

/** Committed example file <- fixture file. The pipeline model is the candidate that beats production everywhere. */
const COMMITTED = {
  "data/eval.csv": "eval.csv",
  "models/churn/model.onnx": "models/pipeline.onnx",
};
/** Local-only sample logs <- fixture file, written with --logs. */
const LOGS = {
  "logs/predictions/sample.jsonl": "logs/predictions-healthy.jsonl",
  "logs/shadow/sample.jsonl": "logs/shadow-agreeing.jsonl",
};
const MANIFEST = "models/churn/model.yml";

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

  for (const [target, source] of Object.entries(COMMITTED)) {
    const wanted = readFileSync(join(scratch, source));
    const path = join(here, target);
    if (check) {
      let actual;
      try {
        actual = readFileSync(path);
      } catch {
        problems.push(`${target} is missing`);
        continue;
      }
      if (!actual.equals(wanted)) problems.push(`${target} differs from the fixture generator's ${source}`);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, wanted);
    }
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
  const manifestPath = join(here, MANIFEST);
  let manifest = readFileSync(manifestPath, "utf8");
  for (const { label, pattern, value } of digests) {
    const match = pattern.exec(manifest);
    if (!match) {
      problems.push(`${MANIFEST}: ${label} not found`);
    } else if (match[2] !== value) {
      if (check) problems.push(`${MANIFEST}: ${label} is ${match[2]}, the file's digest is ${value}`);
      manifest = manifest.replace(pattern, `$1${value}$3`);
    }
  }
  if (!check) writeFileSync(manifestPath, manifest);

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

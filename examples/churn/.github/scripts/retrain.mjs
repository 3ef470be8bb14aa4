#!/usr/bin/env node
// The steps of retrain.yml after your training job: pin the retrained artefact in the manifest with
// a new version, and open the pull request that sends it through the gate. Node's standard library
// only, so the workflow needs no install.
//
//   node .github/scripts/retrain.mjs bump <model>
//       models/<model>/model.yml: minor version + 1 (1.2.0 -> 1.3.0), artefact.sha256 = the SHA-256
//       of the file at artefact.path. Prints the new version and writes `version=` to $GITHUB_OUTPUT.
//   node .github/scripts/retrain.mjs pull-request <model> <version>
//       Opens a pull request from retrain/<model>-<version> (already pushed) to the default branch,
//       saying why (TRIGGER, REASON) and on which period (FROM, TO); when one is already open for
//       that branch (a re-run), prints it instead. Needs GH_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL.
//
// Mistakes end with one `::error` line naming the file and the fix, and exit code 1.
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";

class RetrainError extends Error {
  constructor(message, file) {
    super(message);
    this.file = file;
  }
}

/** The next minor version of a semantic version: 1.2.3 -> 1.3.0 (a pre-release or build tag is dropped). */
function nextVersion(version) {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$/.exec(version);
  if (!match) return null;
  return `${match[1]}.${Number(match[2]) + 1}.0`;
}

/**
 * The manifest text with `version` set to `version` and `artefact.sha256` to `sha256`; comments
 * and everything else are kept. Returns `{ text, path }` (artefact.path as written) or throws.
 */
function pinVersion(text, file, digestOf) {
  const lines = text.split("\n");
  const versionAt = lines.findIndex((l) => /^version:/.test(l));
  if (versionAt < 0) throw new RetrainError("the manifest has no version: line", file);
  const current = unquote(lines[versionAt].replace(/^version:/, "").replace(/\s+#.*$/, ""));
  const version = nextVersion(current);
  if (!version)
    throw new RetrainError(`version ${current} is not a semantic version (major.minor.patch)`, file);
  lines[versionAt] = lines[versionAt].replace(/^version:\s*\S+/, `version: ${version}`);

  const start = lines.findIndex((l) => /^artefact:\s*(#.*)?$/.test(l));
  if (start < 0) throw new RetrainError("the manifest has no artefact: block", file);
  let end = start + 1;
  while (end < lines.length && (lines[end] === "" || /^\s/.test(lines[end]))) end++;
  const indent = /^(\s+)\S/.exec(lines[start + 1] ?? "")?.[1];
  const field = (name) =>
    lines.findIndex((l, i) => i > start && i < end && l.startsWith(`${indent}${name}:`));
  const pathAt = field("path");
  if (indent === undefined || pathAt < 0)
    throw new RetrainError(
      "artefact has no path: a fetched artefact (uri + sha256) is pinned by your training job, not here",
      file,
    );
  const path = unquote(lines[pathAt].slice(`${indent}path:`.length).replace(/\s+#.*$/, ""));
  const sha256 = digestOf(path);
  const shaAt = field("sha256");
  // The value alone is replaced: a comment after it stays.
  if (shaAt >= 0) lines[shaAt] = lines[shaAt].replace(/sha256:\s*\S+/, `sha256: "${sha256}"`);
  else lines.splice(pathAt + 1, 0, `${indent}sha256: "${sha256}"`);
  return { text: lines.join("\n"), version, path, sha256 };
}

function unquote(value) {
  const v = value.trim();
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

function manifestFile(model) {
  if (!/^[a-z0-9-]+$/.test(model ?? ""))
    throw new RetrainError(`model "${model}" is not a model name ([a-z0-9-]+)`, "models");
  const file = `models/${model}/model.yml`;
  if (!existsSync(file)) throw new RetrainError(`there is no ${file}`, file);
  return file;
}

function bump(model) {
  const file = manifestFile(model);
  const { text, version, path, sha256 } = pinVersion(readFileSync(file, "utf8"), file, (path) => {
    if (!existsSync(path))
      throw new RetrainError(
        `the training job wrote no artefact at ${path} (artefact.path): make train.sh write the model there`,
        file,
      );
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  });
  writeFileSync(file, text);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `version=${version}\n`);
  console.log(`${model} ${version}: ${path} sha256 ${sha256}`);
}

async function pullRequest(model, version) {
  const file = manifestFile(model);
  const { GH_TOKEN: token, GITHUB_REPOSITORY: repository } = process.env;
  if (!token || !repository)
    throw new RetrainError("GH_TOKEN and GITHUB_REPOSITORY must be set (the workflow sets them)", file);
  const api = (process.env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/$/, "");
  const [owner] = repository.split("/");
  const branch = `retrain/${model}-${version}`;
  const call = async (method, path, body) => {
    const response = await fetch(`${api}/repos/${repository}${path}`, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "gauntlet-retrain-example",
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const fix =
        response.status === 403 || response.status === 401
          ? "give the RETRAIN_TOKEN secret contents and pull requests: write"
          : "check that the branch was pushed";
      throw new RetrainError(
        `could not open the pull request for ${branch}: GitHub answered ${response.status} ${data.message ?? ""}. Fix: ${fix}`,
        file,
      );
    }
    return data;
  };
  const open = await call("GET", `/pulls?head=${encodeURIComponent(`${owner}:${branch}`)}&state=open`);
  if (open.length > 0) {
    console.log(`already open: ${open[0].html_url}`);
    if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `url=${open[0].html_url}\n`);
    return;
  }
  const { default_branch: base } = await call("GET", "");
  const env = (name) => process.env[name] || "(not given)";
  const body = [
    `Retrained by the retrain workflow, dispatched by drift-check for ${model} ${env("FROM_VERSION")}.`,
    "",
    `- **Triggers:** ${env("TRIGGER")}`,
    `- **Why:** ${env("REASON")}`,
    `- **Logged period:** ${env("FROM")} to ${env("TO")}`,
    "",
    "It goes through validate → evaluate → shadow → gate → staged rollout like any other version.",
  ].join("\n");
  const created = await call("POST", "/pulls", {
    title: `${model} ${version}: retrained`,
    head: branch,
    base,
    body,
  });
  console.log(`opened ${created.html_url}`);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `url=${created.html_url}\n`);
}

const [command, model, version] = process.argv.slice(2);
try {
  if (command === "bump") bump(model);
  else if (command === "pull-request") await pullRequest(model, version);
  else
    throw new RetrainError(
      `unknown command "${command}" (bump or pull-request)`,
      ".github/scripts/retrain.mjs",
    );
} catch (error) {
  if (!(error instanceof RetrainError)) throw error;
  console.log(`::error file=${error.file}::${error.message.replace(/\r?\n/g, " ")}`);
  process.exitCode = 1;
}

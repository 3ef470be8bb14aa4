import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { UserError } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import type { RunContext } from "../context.js";
import { withPermission } from "../permission.js";
import { readZip, type ZipEntry, ZipError } from "./read-zip.js";
import { RUN_RECORD_FILE, recordMismatch } from "./run-record.js";

/** The download of an artifact is refused beyond this (zip) size, and its files beyond this in all. */
export const MAX_RESULTS_ARTIFACT_BYTES = 100 * 1024 * 1024;
const MAX_RESULT_FILES = 10_000;

/**
 * The name the example workflows give the results of one head commit, so the publishing side
 * finds them without trusting anything the pull request wrote.
 *
 * @example
 * trustedResultsArtifact("5e6f…"); // "gauntlet-results-5e6f…"
 */
export function trustedResultsArtifact(headSha: string): string {
  return `gauntlet-results-${headSha}`;
}

/** Which results to fetch. */
export interface TrustedResultsRequest {
  owner: string;
  repo: string;
  /** The head commit the results must be for. */
  headSha: string;
  /** For messages: `pull request #9`. */
  pullNumber?: number;
  /** Absolute directory the result files are written to. */
  resultsDir: string;
}

/** Where the results came from. */
export interface TrustedResults {
  artifactId: number;
  runId: number;
  event: string;
  workflowPath: string;
  /** Files written, relative to `resultsDir`. */
  files: string[];
}

interface RunFacts {
  id: number;
  event: string;
  path?: string;
  head_sha: string;
  repository: { full_name: string };
  head_repository?: { full_name: string } | null;
}

/**
 * Why a run's results cannot be trusted, or `undefined` when they can. Trusted code computed them
 * when the run's workflow file came from the base repository: a `pull_request_target` run (GitHub
 * runs the base branch's workflow), or a `pull_request` / `pull_request_review` run of a branch of
 * this repository (its authors can write to the repository anyway) for exactly `headSha`. A run
 * for a fork's `pull_request` ran the fork's own copy of the workflow, which can write any number.
 *
 * @example
 * untrustedBecause({ event: "pull_request", head_repository: { full_name: "eve/models" }, … }, "acme/models", sha);
 * // "run 77 ran the fork eve/models's own workflow .github/workflows/pr-fork.yml on pull_request"
 */
export function untrustedBecause(run: RunFacts, repoFullName: string, headSha: string): string | undefined {
  const same = (a: string | undefined) => a?.toLowerCase() === repoFullName.toLowerCase();
  const workflow = run.path ?? "a workflow";
  if (!same(run.repository.full_name)) return `run ${run.id} belongs to ${run.repository.full_name}`;
  if (run.event === "pull_request_target") return undefined;
  const headRepo = run.head_repository?.full_name;
  if (run.event === "pull_request" || run.event === "pull_request_review") {
    if (!same(headRepo)) {
      return `run ${run.id} ran the fork ${headRepo ?? "(deleted)"}'s own copy of ${workflow} on ${run.event}`;
    }
    if (run.head_sha !== headSha)
      return `run ${run.id} ran for ${run.head_sha.slice(0, 7)}, not ${headSha.slice(0, 7)}`;
    return undefined;
  }
  return `run ${run.id} ran ${workflow} on ${run.event}, which does not compute pull request results`;
}

/**
 * Downloads the results of `headSha` computed by trusted code (see {@link untrustedBecause}) into
 * `resultsDir`: the newest unexpired artifact named {@link trustedResultsArtifact} whose run is
 * trusted and whose `run.json` (written by the actions that computed it) names that same run,
 * event, head commit and pull request. Other artifacts with that name are skipped and named in
 * the error when no trusted one exists. The archive is size-limited and may only hold `.json` and `.md` files in
 * plain relative folders; the files are then read like any result (schema-checked, escaped).
 *
 * @example
 * await downloadTrustedResults(client, { owner, repo, headSha, pullNumber: 9, resultsDir: "/w/.gauntlet" });
 * // { artifactId: 31, runId: 4242, event: "pull_request_target", files: ["churn/evaluation.json", …] }
 */
export async function downloadTrustedResults(
  client: GitHubClient,
  request: TrustedResultsRequest,
): Promise<TrustedResults> {
  const { owner, repo, headSha } = request;
  const name = trustedResultsArtifact(headSha);
  const of = request.pullNumber === undefined ? headSha.slice(0, 7) : `pull request #${request.pullNumber}`;
  const need = (action: string) => ({ action, permission: "actions: read" });
  const artifacts = await withPermission(need(`list the artifacts named ${name}`), () =>
    client.paginate(client.rest.actions.listArtifactsForRepo, { owner, repo, name, per_page: 100 }),
  );
  const refused: string[] = [];
  const newest = artifacts.filter((a) => a.name === name && !a.expired).sort((a, b) => b.id - a.id);
  for (const artifact of newest) {
    const runId = artifact.workflow_run?.id;
    if (runId === undefined) continue;
    const { data: run } = await withPermission(need(`read workflow run ${runId}`), () =>
      client.rest.actions.getWorkflowRun({ owner, repo, run_id: runId }),
    );
    const reason = untrustedBecause(run, `${owner}/${repo}`, headSha);
    if (reason) {
      refused.push(`artifact ${artifact.id}: ${reason}`);
      continue;
    }
    const entries = await download(client, request, artifact);
    const record = entries.find((e) => e.name === RUN_RECORD_FILE);
    const mismatch = recordMismatch(record && parseJson(record.data), {
      repository: `${owner}/${repo}`,
      runId,
      event: run.event,
      headSha,
      ...(request.pullNumber === undefined ? {} : { pullRequest: request.pullNumber }),
    });
    if (mismatch) {
      refused.push(`artifact ${artifact.id} of run ${runId}: ${mismatch}`);
      continue;
    }
    const files = await writeEntries(request.resultsDir, entries);
    return { artifactId: artifact.id, runId, event: run.event, workflowPath: run.path, files };
  }
  const why = refused.length > 0 ? `; refused: ${refused.join("; ")}` : "";
  throw new UserError(`no results computed by a trusted run for ${of} at ${headSha.slice(0, 7)}${why}`, {
    field: "trusted-results",
    fix: `let the base repository's workflow compute them (pr-fork.yml on pull_request_target uploads ${trustedResultsArtifact("<head sha>")}) and re-run this job; results uploaded by a workflow the pull request controls are never used`,
  });
}

/** The artifact's files, every name checked to be a result file in a plain relative folder. */
async function download(
  client: GitHubClient,
  request: TrustedResultsRequest,
  artifact: { id: number; name: string; size_in_bytes: number },
): Promise<ZipEntry[]> {
  const where = { field: "trusted-results", file: artifact.name };
  if (artifact.size_in_bytes > MAX_RESULTS_ARTIFACT_BYTES) {
    throw new UserError(
      `artifact ${artifact.id} is ${artifact.size_in_bytes} bytes; results are limited to ${MAX_RESULTS_ARTIFACT_BYTES}`,
      { ...where, fix: "upload only the results directory (.gauntlet/) as this artifact" },
    );
  }
  const { data } = await withPermission(
    { action: `download artifact ${artifact.id}`, permission: "actions: read" },
    () =>
      client.rest.actions.downloadArtifact({
        owner: request.owner,
        repo: request.repo,
        artifact_id: artifact.id,
        archive_format: "zip",
      }),
  );
  let entries: ZipEntry[];
  try {
    entries = readZip(Buffer.from(data as ArrayBuffer), {
      maxBytes: MAX_RESULTS_ARTIFACT_BYTES,
      maxEntries: MAX_RESULT_FILES,
    });
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    throw new UserError(`artifact ${artifact.id} cannot be unpacked: ${error.message}`, {
      ...where,
      fix: "re-run the workflow that computed the results",
    });
  }
  for (const entry of entries) {
    const parts = entry.name.split("/");
    const plain = parts.every((p) => /^[A-Za-z0-9_.-]+$/.test(p) && p !== "." && p !== "..");
    if (!plain || !/\.(json|md)$/.test(entry.name)) {
      throw new UserError(
        `artifact ${artifact.id} holds '${entry.name}', which is not a result file (.json or .md under a plain relative folder)`,
        { ...where, fix: "upload only the results directory (.gauntlet/) as this artifact" },
      );
    }
  }
  return entries;
}

async function writeEntries(resultsDir: string, entries: ZipEntry[]): Promise<string[]> {
  for (const entry of entries) {
    const target = join(resultsDir, ...entry.name.split("/"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, entry.data);
  }
  return entries.map((e) => e.name);
}

function parseJson(data: Buffer): unknown {
  try {
    return JSON.parse(data.toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * {@link downloadTrustedResults} for the pull request of this run (see `withPullRequest`), with a
 * line in the log saying where the results came from.
 *
 * @example
 * await downloadPullRequestResults(client, await withPullRequest(client, context), "/w/.gauntlet");
 * // log: results of #9 at 5e6f012 from artifact 31 of run 4242 (.github/workflows/pr-fork.yml, pull_request_target)
 */
export async function downloadPullRequestResults(
  client: GitHubClient,
  context: RunContext,
  resultsDir: string,
  log: (line: string) => void = console.log,
): Promise<TrustedResults> {
  const pull = context.pullRequest;
  if (!pull) {
    throw new UserError(
      `trusted-results needs a pull request, and this ${context.eventName || "run"} event has none`,
      {
        field: "trusted-results",
        fix: "run this step on pull_request_target, or on workflow_run of a workflow that ran for a pull request",
      },
    );
  }
  const found = await downloadTrustedResults(client, {
    ...context.repo,
    headSha: pull.headSha,
    pullNumber: pull.number,
    resultsDir,
  });
  log(
    `results of #${pull.number} at ${pull.headSha.slice(0, 7)} from artifact ${found.artifactId} of run ${found.runId} (${found.workflowPath}, ${found.event}): ${found.files.length} files`,
  );
  return found;
}

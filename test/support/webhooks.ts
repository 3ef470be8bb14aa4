import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { GitHubState } from "./github-state.js";

type Json = Record<string, unknown>;

/** The fields of a real payload that must agree with the seeded server state. */
export interface PayloadPatch {
  owner?: string;
  repo?: string;
  /** Pull request number (`number` and `pull_request.number`). */
  number?: number;
  headSha?: string;
  headRef?: string;
  baseSha?: string;
  baseRef?: string;
  /** Head lives in a fork: `head.repo.fork` true and `head.repo.full_name` = `<headOwner>/<repo>`. */
  fork?: boolean;
  headOwner?: string;
  merged?: boolean;
  mergeCommitSha?: string | null;
  /** `sender.login` and the pull request's `user.login` when `author` is absent. */
  sender?: string;
  author?: string;
  review?: { state: string; user: string; commitId?: string };
  /** push: `ref`, `before`, `after`; workflow_dispatch: `ref`, `inputs`; schedule: `schedule`. */
  ref?: string;
  before?: string;
  after?: string;
  inputs?: Record<string, unknown>;
  cron?: string;
  workflowRun?: {
    conclusion?: string;
    event?: string;
    headSha?: string;
    id?: number;
    headBranch?: string;
    /** `owner/repo` of the head branch: a fork's for a run of a fork's pull request. */
    headRepo?: string;
    /** What GitHub lists in `workflow_run.pull_requests`: nothing for a fork's branch. */
    pullRequests?: unknown[];
  };
}

let examples: { name: string; examples: Json[] }[] | undefined;

function allExamples(): { name: string; examples: Json[] }[] {
  if (!examples) {
    const require = createRequire(import.meta.url);
    const file = require.resolve("@octokit/webhooks-examples/api.github.com/index.json");
    examples = JSON.parse(readFileSync(file, "utf8")) as typeof examples;
  }
  return examples!;
}

/**
 * A real webhook payload from `@octokit/webhooks-examples`, patched to match the seeded state.
 * `schedule` has no webhook; GitHub writes `{ "schedule": "<cron>" }` to the event file.
 *
 * @example
 * const payload = webhookPayload("pull_request", "opened", patchFromState(server.state, 7));
 * payload.pull_request.head.sha === server.state.pulls.get(7)!.head.sha // true
 */
// biome-ignore lint/suspicious/noExplicitAny: payloads are free-form JSON that tests index into
export function webhookPayload(event: string, action?: string, patch: PayloadPatch = {}): any {
  if (event === "schedule") return { schedule: patch.cron ?? "0 6 * * *" };
  const group = allExamples().find((e) => e.name === event);
  if (!group) throw new Error(`no webhook example for ${event}`);
  const example = group.examples.find((e) => action === undefined || e["action"] === action);
  if (!example) throw new Error(`no ${event} example with action ${action}`);
  const original = (example["repository"] as Json | undefined)?.["full_name"] as string | undefined;
  const full = `${patch.owner ?? "acme"}/${patch.repo ?? "models"}`;
  let text = JSON.stringify(example);
  if (original) text = text.replaceAll(`/${original}`, `/${full}`).replaceAll(`"${original}"`, `"${full}"`);
  const payload = JSON.parse(text) as Json;
  const repository = payload["repository"] as Json | undefined;
  if (repository) {
    repository["name"] = patch.repo ?? "models";
    repository["full_name"] = full;
    (repository["owner"] as Json)["login"] = patch.owner ?? "acme";
    repository["default_branch"] = "main";
  }
  if (patch.sender) (payload["sender"] as Json)["login"] = patch.sender;
  const pull = payload["pull_request"] as Json | undefined;
  if (pull) patchPull(pull, payload, patch, full);
  if (patch.review && payload["review"]) {
    const review = payload["review"] as Json;
    review["state"] = patch.review.state.toLowerCase();
    (review["user"] as Json)["login"] = patch.review.user;
    review["commit_id"] = patch.review.commitId ?? patch.headSha ?? review["commit_id"];
  }
  if (event === "push") {
    if (patch.ref) payload["ref"] = patch.ref;
    if (patch.before) payload["before"] = patch.before;
    if (patch.after) {
      payload["after"] = patch.after;
      if (payload["head_commit"]) (payload["head_commit"] as Json)["id"] = patch.after;
    }
  }
  if (event === "workflow_dispatch") {
    payload["ref"] = patch.ref ?? "refs/heads/main";
    payload["inputs"] = patch.inputs ?? {};
  }
  if (event === "workflow_run" && patch.workflowRun) {
    const run = payload["workflow_run"] as Json;
    if (patch.workflowRun.conclusion) run["conclusion"] = patch.workflowRun.conclusion;
    if (patch.workflowRun.event) run["event"] = patch.workflowRun.event;
    if (patch.workflowRun.headSha) run["head_sha"] = patch.workflowRun.headSha;
    if (patch.workflowRun.id) run["id"] = patch.workflowRun.id;
    if (patch.workflowRun.headBranch) run["head_branch"] = patch.workflowRun.headBranch;
    if (patch.workflowRun.pullRequests) run["pull_requests"] = patch.workflowRun.pullRequests;
    const headRepo = patch.workflowRun.headRepo;
    if (headRepo) {
      const repo = run["head_repository"] as Json;
      repo["full_name"] = headRepo;
      repo["name"] = headRepo.split("/")[1];
      (repo["owner"] as Json)["login"] = headRepo.split("/")[0];
    }
  }
  return payload;
}

function patchPull(pull: Json, payload: Json, patch: PayloadPatch, full: string): void {
  const head = pull["head"] as Json;
  const base = pull["base"] as Json;
  if (patch.number !== undefined) {
    payload["number"] = patch.number;
    pull["number"] = patch.number;
    for (const key of [
      "url",
      "html_url",
      "issue_url",
      "comments_url",
      "commits_url",
      "review_comments_url",
    ]) {
      if (typeof pull[key] === "string")
        pull[key] = (pull[key] as string).replace(/\/(pulls|pull|issues)\/\d+/, `/$1/${patch.number}`);
    }
  }
  if (patch.headSha) head["sha"] = patch.headSha;
  if (patch.headRef) head["ref"] = patch.headRef;
  if (patch.baseSha) base["sha"] = patch.baseSha;
  if (patch.baseRef) base["ref"] = patch.baseRef;
  const author = patch.author ?? patch.sender;
  if (author) (pull["user"] as Json)["login"] = author;
  if (patch.merged !== undefined) {
    pull["merged"] = patch.merged;
    if (patch.merged) pull["state"] = "closed";
  }
  if (patch.mergeCommitSha !== undefined) pull["merge_commit_sha"] = patch.mergeCommitSha;
  const headRepo = head["repo"] as Json;
  const baseRepo = base["repo"] as Json;
  baseRepo["full_name"] = full;
  if (patch.fork) {
    const forkOwner = patch.headOwner ?? author ?? "contributor";
    const forkFull = `${forkOwner}/${full.split("/")[1]}`;
    Object.assign(headRepo, JSON.parse(JSON.stringify(headRepo).replaceAll(`/${full}`, `/${forkFull}`)));
    headRepo["full_name"] = forkFull;
    headRepo["fork"] = true;
    (headRepo["owner"] as Json)["login"] = forkOwner;
    head["label"] = `${forkOwner}:${head["ref"]}`;
  } else {
    headRepo["full_name"] = full;
    headRepo["fork"] = false;
  }
}

/** The patch that makes a payload agree with a seeded pull request (or just the repository). */
export function patchFromState(state: GitHubState, pullNumber?: number): PayloadPatch {
  const repo = { owner: state.repo.owner, repo: state.repo.name };
  if (pullNumber === undefined) return repo;
  const pull = state.pulls.get(pullNumber);
  if (!pull) throw new Error(`no pull request #${pullNumber} in the server state`);
  return {
    ...repo,
    number: pull.number,
    headSha: pull.head.sha,
    headRef: pull.head.ref,
    baseSha: pull.base.sha,
    baseRef: pull.base.ref,
    fork: pull.head.fork,
    headOwner: pull.head.repoFullName.split("/")[0],
    author: pull.user,
    merged: pull.merged,
    mergeCommitSha: pull.mergeCommitSha,
  };
}

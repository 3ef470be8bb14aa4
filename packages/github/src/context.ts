import { readFileSync } from "node:fs";
import { UserError } from "@gauntlet/core";
import { z } from "zod";

type Env = Record<string, string | undefined>;

/** The pull request a run belongs to, as far as the event says. */
export interface PullRequestContext {
  number: number;
  headSha: string;
  baseSha: string;
  /** `owner/repo` of the head branch; `undefined` when the fork has been deleted. */
  headRepoFullName: string | undefined;
  /** The head branch lives in another repository: its code and data are untrusted, its token read-only. */
  isFork: boolean;
  /** Login of the pull request's author. */
  author: string;
}

/** Everything gauntlet needs to know about the workflow run, read once from the runner's environment. */
export interface RunContext {
  eventName: string;
  payload: Record<string, unknown>;
  repo: { owner: string; repo: string };
  sha: string;
  ref: string;
  apiUrl: string;
  serverUrl: string;
  runId: number;
  /** Link to this run's page, for "full report" links in comments. */
  runUrl: string;
  pullRequest?: PullRequestContext;
}

const repoSchema = z.object({ full_name: z.string() }).nullish();
const pullRequestSchema = z.object({
  number: z.number(),
  user: z.object({ login: z.string() }),
  head: z.object({ sha: z.string(), repo: repoSchema }),
  base: z.object({ sha: z.string(), repo: z.object({ full_name: z.string() }) }),
});

/**
 * Reads the run's context from the variables the runner sets (`GITHUB_*`) and the event payload
 * file. Unlike `@actions/github`'s `context`, nothing is read at import time, so tests and the
 * CLI pass their own `env`. On `workflow_run` the event names no pull request: `withPullRequest`
 * finds it through the API.
 *
 * @example
 * const ctx = readRunContext();
 * if (ctx.pullRequest?.isFork) { ... } // the fork's files are data: see docs/security.md
 * // ctx.runUrl === "https://github.com/acme/models/actions/runs/42"
 */
export function readRunContext(env: Env = process.env): RunContext {
  const payload = readPayload(env["GITHUB_EVENT_PATH"]);
  const repo = readRepo(env["GITHUB_REPOSITORY"], payload);
  const serverUrl = (env["GITHUB_SERVER_URL"] || "https://github.com").replace(/\/+$/, "");
  const runId = Number(env["GITHUB_RUN_ID"] || 0);
  const context: RunContext = {
    eventName: env["GITHUB_EVENT_NAME"] ?? "",
    payload,
    repo,
    sha: env["GITHUB_SHA"] ?? "",
    ref: env["GITHUB_REF"] ?? "",
    apiUrl: (env["GITHUB_API_URL"] || "https://api.github.com").replace(/\/+$/, ""),
    serverUrl,
    runId,
    runUrl: `${serverUrl}/${repo.owner}/${repo.repo}/actions/runs/${runId}`,
  };
  const pullRequest = readPullRequest(payload);
  return pullRequest ? { ...context, pullRequest } : context;
}

function readPayload(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UserError(`cannot read the event payload: ${(error as Error).message}`, {
      file: path,
      fix: "run gauntlet actions inside a GitHub Actions job, or unset GITHUB_EVENT_PATH when running locally",
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`the event payload is not valid JSON (${(error as Error).message})`, {
      file: path,
      fix: "run gauntlet actions on an event the runner delivers; when running by hand, point GITHUB_EVENT_PATH at a webhook payload",
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UserError("the event payload is not a JSON object", {
      file: path,
      fix: "point GITHUB_EVENT_PATH at a webhook payload (a JSON object)",
    });
  }
  return parsed as Record<string, unknown>;
}

function readRepo(variable: string | undefined, payload: Record<string, unknown>) {
  const fullName =
    variable ||
    z.object({ repository: z.object({ full_name: z.string() }) }).safeParse(payload).data?.repository
      .full_name;
  const [owner, repo, ...rest] = (fullName ?? "").split("/");
  if (!owner || !repo || rest.length > 0) {
    throw new UserError(
      `cannot tell which repository this run is for (GITHUB_REPOSITORY='${variable ?? ""}')`,
      {
        fix: "set GITHUB_REPOSITORY to owner/repo (the runner sets it in every job)",
      },
    );
  }
  return { owner, repo };
}

/**
 * `pull_request`, `pull_request_target` and review events carry the pull request itself; the
 * fork test compares repositories because `head.repo.fork` is also true for a same-repository
 * PR in a repository that is itself a fork. A deleted fork (`head.repo: null`) counts as a fork: it is certainly not ours.
 */
function readPullRequest(payload: Record<string, unknown>): PullRequestContext | undefined {
  if (payload["pull_request"] == null) return undefined;
  const parsed = pullRequestSchema.safeParse(payload["pull_request"]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(
      `the event payload's pull request is malformed: ${issue?.message ?? "unexpected shape"}`,
      {
        field: ["pull_request", ...(issue?.path ?? [])].join("."),
        fix: "run gauntlet on the event GitHub delivered unchanged (pull_request, pull_request_target, pull_request_review)",
      },
    );
  }
  const pr = parsed.data;
  const headRepoFullName = pr.head.repo?.full_name;
  return {
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    headRepoFullName,
    isFork: headRepoFullName?.toLowerCase() !== pr.base.repo.full_name.toLowerCase(),
    author: pr.user.login,
  };
}

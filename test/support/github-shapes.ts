import { createHash } from "node:crypto";
import type {
  ArtifactState,
  CommentState,
  FileChange,
  GitHubState,
  IssueState,
  LabelState,
  PullState,
  ReviewState,
  WorkflowRunState,
} from "./github-state.js";
import { specExample } from "./openapi.js";

type Json = Record<string, unknown>;

/** Bot account that owns everything the default Actions token writes. */
export const ACTIONS_BOT = "github-actions[bot]";

/**
 * Builds GitHub-shaped responses from the spec's own examples, so every field a client may
 * read is present, then overlays the state's values and this server's URLs.
 */
export class Shapes {
  constructor(
    readonly state: GitHubState,
    readonly apiUrl: string,
  ) {}

  get full(): string {
    return `${this.state.repo.owner}/${this.state.repo.name}`;
  }

  get repoApi(): string {
    return `${this.apiUrl}/repos/${this.full}`;
  }

  get repoHtml(): string {
    return `https://github.com/${this.full}`;
  }

  /** An example with its octocat repository URLs pointed at this repository and server. */
  example<T = Json>(name: string, repo = this.full): T {
    const text = JSON.stringify(specExample(name))
      .replace(
        /https:\/\/api\.github\.com\/repos\/(octocat\/Hello-World|octocat\/example|github\/hello-world)/g,
        `${this.apiUrl}/repos/${repo}`,
      )
      .replace(
        /https:\/\/github\.com\/(octocat\/Hello-World|octocat\/example|github\/hello-world)/g,
        `https://github.com/${repo}`,
      )
      .replace(
        /https:\/\/uploads\.github\.com\/repos\/octocat\/Hello-World/g,
        `${this.apiUrl}/uploads/repos/${repo}`,
      )
      .replace(/https:\/\/api\.github\.com/g, this.apiUrl);
    return JSON.parse(text) as T;
  }

  user(login: string): Json {
    const bot = login.endsWith("[bot]");
    const id = bot ? 41898282 : userId(login);
    const user = this.example("simple-user");
    const htmlLogin = bot ? `apps/${login.slice(0, -5)}` : login;
    return {
      ...rewrite(user, "octocat", encodeURIComponent(login)),
      login,
      id,
      node_id: Buffer.from(`04:User${id}`).toString("base64"),
      html_url: `https://github.com/${htmlLogin}`,
      type: bot ? "Bot" : "User",
      site_admin: false,
    };
  }

  repository(full = this.full, fork = false): Json {
    const [owner = "", name = ""] = full.split("/");
    const repo = this.example<Json>("full-repository", full);
    return {
      ...repo,
      id: full === this.full ? this.state.repo.id : userId(full),
      name,
      full_name: full,
      owner: this.user(owner),
      private: this.state.repo.private,
      visibility: this.state.repo.private ? "private" : "public",
      fork,
      default_branch: this.state.repo.defaultBranch,
      has_discussions: false,
      html_url: `https://github.com/${full}`,
      url: `${this.apiUrl}/repos/${full}`,
      parent: undefined,
      source: undefined,
      organization: undefined,
      template_repository: undefined,
    };
  }

  label(label: LabelState): Json {
    return {
      id: label.id,
      node_id: nodeId("LA", label.id),
      url: `${this.repoApi}/labels/${encodeURIComponent(label.name)}`,
      name: label.name,
      description: label.description,
      color: label.color,
      default: false,
    };
  }

  issue(issue: IssueState): Json {
    const base = this.example<Json>("issue");
    const id = issueId(issue.number);
    const comments = this.state.comments.filter((c) => c.issueNumber === issue.number).length;
    const kind = issue.isPullRequest ? "pull" : "issues";
    return {
      ...base,
      id,
      node_id: nodeId(issue.isPullRequest ? "PR" : "I", id),
      url: `${this.repoApi}/issues/${issue.number}`,
      labels_url: `${this.repoApi}/issues/${issue.number}/labels{/name}`,
      comments_url: `${this.repoApi}/issues/${issue.number}/comments`,
      events_url: `${this.repoApi}/issues/${issue.number}/events`,
      html_url: `${this.repoHtml}/${kind}/${issue.number}`,
      number: issue.number,
      state: issue.state,
      state_reason: issue.stateReason,
      title: issue.title,
      body: issue.body,
      user: this.user(issue.user),
      labels: issue.labels.map((name) =>
        this.label(this.state.labels.get(name) ?? { id: 0, name, color: "ededed", description: null }),
      ),
      assignee: issue.assignees[0] ? this.user(issue.assignees[0]) : null,
      assignees: issue.assignees.map((login) => this.user(login)),
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments,
      pull_request: issue.isPullRequest
        ? {
            url: `${this.repoApi}/pulls/${issue.number}`,
            html_url: `${this.repoHtml}/pull/${issue.number}`,
            diff_url: `${this.repoHtml}/pull/${issue.number}.diff`,
            patch_url: `${this.repoHtml}/pull/${issue.number}.patch`,
            merged_at: this.state.pulls.get(issue.number)?.merged ? issue.closedAt : null,
          }
        : undefined,
      closed_at: issue.closedAt,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_by: null,
      author_association: "MEMBER",
    };
  }

  comment(comment: CommentState): Json {
    const kind = this.state.issues.get(comment.issueNumber)?.isPullRequest ? "pull" : "issues";
    return {
      ...this.example<Json>("issue-comment"),
      id: comment.id,
      node_id: nodeId("IC", comment.id),
      url: `${this.repoApi}/issues/comments/${comment.id}`,
      html_url: `${this.repoHtml}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
      issue_url: `${this.repoApi}/issues/${comment.issueNumber}`,
      body: comment.body,
      user: this.user(comment.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: comment.user === ACTIONS_BOT ? "NONE" : "MEMBER",
    };
  }

  pull(pull: PullState, simple = false): Json {
    const issue = this.state.issues.get(pull.number)!;
    const base = this.example<Json>(simple ? "pull-request-simple-items" : "pull-request");
    const template = (Array.isArray(base) ? base[0] : base) as Json;
    const id = pullId(pull.number);
    const headRepo = this.repository(pull.head.repoFullName, pull.head.fork);
    const headOwner = pull.head.repoFullName.split("/")[0]!;
    const shaped: Json = {
      ...template,
      ...this.issue(issue),
      id,
      node_id: nodeId("PR", id),
      url: `${this.repoApi}/pulls/${pull.number}`,
      html_url: `${this.repoHtml}/pull/${pull.number}`,
      issue_url: `${this.repoApi}/issues/${pull.number}`,
      commits_url: `${this.repoApi}/pulls/${pull.number}/commits`,
      review_comments_url: `${this.repoApi}/pulls/${pull.number}/comments`,
      statuses_url: `${this.repoApi}/statuses/${pull.head.sha}`,
      head: {
        label: `${headOwner}:${pull.head.ref}`,
        ref: pull.head.ref,
        sha: pull.head.sha,
        user: this.user(headOwner),
        repo: headRepo,
      },
      base: {
        label: `${this.state.repo.owner}:${pull.base.ref}`,
        ref: pull.base.ref,
        sha: pull.base.sha,
        user: this.user(this.state.repo.owner),
        repo: this.repository(),
      },
      merged_at: pull.merged ? issue.closedAt : null,
      merge_commit_sha: pull.mergeCommitSha,
      draft: pull.draft,
      requested_reviewers: [],
      requested_teams: [],
      auto_merge: null,
      pull_request: undefined,
      comments: undefined,
      state_reason: undefined,
      closed_by: undefined,
      events_url: undefined,
      labels_url: undefined,
      repository_url: undefined,
    };
    if (simple) return shaped;
    return {
      ...shaped,
      merged: pull.merged,
      merged_by: pull.merged ? this.user(this.state.repo.owner) : null,
      mergeable: pull.merged ? null : true,
      mergeable_state: pull.merged ? "unknown" : "clean",
      comments: this.state.comments.filter((c) => c.issueNumber === pull.number).length,
      commits: 1,
      changed_files: pull.files.length,
      additions: pull.files.reduce((sum, f) => sum + (f.additions ?? 1), 0),
      deletions: pull.files.reduce((sum, f) => sum + (f.deletions ?? 0), 0),
    };
  }

  review(review: ReviewState): Json {
    return {
      ...this.example<Json>("pull-request-review"),
      id: review.id,
      node_id: nodeId("PRR", review.id),
      user: this.user(review.user),
      body: review.body,
      state: review.state,
      html_url: `${this.repoHtml}/pull/${review.pullNumber}#pullrequestreview-${review.id}`,
      pull_request_url: `${this.repoApi}/pulls/${review.pullNumber}`,
      submitted_at: review.submittedAt,
      commit_id: review.commitId,
    };
  }

  file(file: FileChange, ref: string): Json {
    const additions = file.additions ?? 1;
    const deletions = file.deletions ?? 0;
    return {
      sha: fakeBlobSha(file.filename),
      filename: file.filename,
      status: file.status ?? "modified",
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `${this.repoHtml}/blob/${ref}/${file.filename}`,
      raw_url: `${this.repoHtml}/raw/${ref}/${file.filename}`,
      contents_url: `${this.repoApi}/contents/${file.filename}?ref=${ref}`,
      ...(file.patch === undefined ? {} : { patch: file.patch }),
    };
  }

  workflowRun(run: WorkflowRunState): Json {
    const url = `${this.repoApi}/actions/runs/${run.id}`;
    const headRepo = this.repository(run.headRepoFullName, run.headRepoFullName !== this.full);
    return {
      ...this.example<Json>("workflow-run"),
      id: run.id,
      node_id: nodeId("WFR", run.id),
      name: run.name,
      path: run.path,
      event: run.event,
      head_sha: run.headSha,
      head_branch: run.headBranch,
      display_title: run.name,
      status: run.status,
      conclusion: run.conclusion,
      workflow_id: userId(run.path),
      url,
      html_url: `${this.repoHtml}/actions/runs/${run.id}`,
      jobs_url: `${url}/jobs`,
      logs_url: `${url}/logs`,
      check_suite_url: `${this.repoApi}/check-suites/${run.id}`,
      artifacts_url: `${url}/artifacts`,
      cancel_url: `${url}/cancel`,
      rerun_url: `${url}/rerun`,
      previous_attempt_url: null,
      workflow_url: `${this.repoApi}/actions/workflows/${userId(run.path)}`,
      created_at: run.createdAt,
      updated_at: run.createdAt,
      run_started_at: run.createdAt,
      pull_requests: run.pullRequests.map((number) => {
        const pull = this.state.pulls.get(number)!;
        return {
          id: pullId(number),
          number,
          url: `${this.repoApi}/pulls/${number}`,
          head: { ref: pull.head.ref, sha: pull.head.sha, repo: this.miniRepo(pull.head.repoFullName) },
          base: { ref: pull.base.ref, sha: pull.base.sha, repo: this.miniRepo(this.full) },
        };
      }),
      head_commit: {
        id: run.headSha,
        tree_id: fakeBlobSha(`tree:${run.headSha}`),
        message: this.state.commits.get(run.headSha)?.message ?? "Commit",
        timestamp: run.createdAt,
        author: { name: "Octo Cat", email: "octocat@github.com" },
        committer: { name: "Octo Cat", email: "octocat@github.com" },
      },
      repository: this.repository(),
      head_repository: headRepo,
      head_repository_id: headRepo["id"],
    };
  }

  artifact(artifact: ArtifactState): Json {
    const run = this.state.workflowRuns.find((r) => r.id === artifact.runId)!;
    const url = `${this.repoApi}/actions/artifacts/${artifact.id}`;
    return {
      id: artifact.id,
      node_id: nodeId("MDg6QXJ0aWZhY3Q", artifact.id),
      name: artifact.name,
      size_in_bytes: artifact.zip.length,
      url,
      archive_download_url: `${url}/zip`,
      expired: artifact.expired,
      created_at: artifact.createdAt,
      expires_at: new Date(Date.parse(artifact.createdAt) + 90 * 86_400_000)
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z"),
      updated_at: artifact.createdAt,
      digest: `sha256:${sha256(artifact.zip)}`,
      workflow_run: {
        id: run.id,
        repository_id: this.state.repo.id,
        head_repository_id: this.repository(run.headRepoFullName)["id"],
        head_branch: run.headBranch,
        head_sha: run.headSha,
      },
    };
  }

  private miniRepo(full: string): Json {
    const id = full === this.full ? this.state.repo.id : userId(full);
    return { id, url: `${this.apiUrl}/repos/${full}`, name: full.split("/")[1] };
  }
}

function rewrite(value: Json, from: string, to: string): Json {
  return JSON.parse(JSON.stringify(value).replaceAll(`/${from}`, `/${to}`)) as Json;
}

/** Helper shared by the shape builders. */
export function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(String(id)).toString("base64url")}`;
}

/** Helper shared by the shape builders. */
export function userId(login: string): number {
  let h = 7;
  for (const ch of login) h = (h * 31 + ch.charCodeAt(0)) % 90_000_000;
  return 10_000_000 + h;
}

/** Helper shared by the shape builders. */
export function issueId(number: number): number {
  return 2_000_000_000 + number;
}

/** Helper shared by the shape builders. */
export function pullId(number: number): number {
  return 1_500_000_000 + number;
}

/** Helper shared by the shape builders. */
export function fakeBlobSha(filename: string): string {
  return createHash("sha1").update(filename).digest("hex");
}

/** Helper shared by the shape builders. */
export function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A changed file as the pulls and commits endpoints list it. */
export interface FileChange {
  filename: string;
  status?: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  additions?: number;
  deletions?: number;
  patch?: string;
}

/** A commit the server knows; seeded by tests, read by commits, compare and git endpoints. */
export interface CommitState {
  sha: string;
  message: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  files: FileChange[];
  /**
   * File contents at this commit, by path, for the contents API. Paths not listed are looked up
   * in the first parent, so a commit lists only what it changed; `null` marks a deleted file.
   */
  tree?: Record<string, string | null>;
}

/** A pull request: its issue half lives in `issues` under the same number. */
export interface PullState {
  number: number;
  user: string;
  head: { ref: string; sha: string; repoFullName: string; fork: boolean };
  base: { ref: string; sha: string };
  merged: boolean;
  mergeCommitSha: string | null;
  draft: boolean;
  files: FileChange[];
}

export type ReviewVerdict = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface ReviewState {
  id: number;
  pullNumber: number;
  user: string;
  state: ReviewVerdict;
  body: string;
  commitId: string;
  submittedAt: string;
}

export interface IssueState {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | null;
  labels: string[];
  assignees: string[];
  user: string;
  isPullRequest: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface CommentState {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface LabelState {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

/** An annotated tag object (`git/tags`); the ref pointing at it lives in `refs`. */
export interface TagObjectState {
  sha: string;
  tag: string;
  message: string;
  object: { sha: string; type: string };
  tagger: { name: string; email: string; date: string };
}

export interface AssetState {
  id: number;
  name: string;
  label: string | null;
  contentType: string;
  data: Buffer;
  uploader: string;
  createdAt: string;
}

export interface ReleaseState {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  makeLatest: string;
  author: string;
  createdAt: string;
  publishedAt: string | null;
  assets: AssetState[];
}

export interface DeploymentStatusState {
  id: number;
  state: string;
  description: string;
  environment: string;
  environmentUrl: string;
  logUrl: string;
  creator: string;
  createdAt: string;
}

export interface DeploymentState {
  id: number;
  ref: string;
  sha: string;
  task: string;
  environment: string;
  description: string | null;
  payload: unknown;
  creator: string;
  productionEnvironment: boolean;
  transientEnvironment: boolean;
  createdAt: string;
  statuses: DeploymentStatusState[];
}

export interface CheckRunState {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  startedAt: string;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: unknown[] };
}

export interface DispatchState {
  workflowId: string;
  ref: string;
  inputs: Record<string, unknown>;
  createdAt: string;
}

/** A workflow run, as the Actions API lists it; tests seed the runs whose artifacts they upload. */
export interface WorkflowRunState {
  id: number;
  name: string;
  /** `.github/workflows/pr-fork.yml`. */
  path: string;
  event: string;
  headSha: string;
  headBranch: string;
  /** `owner/repo` the head commit lives in: a fork's for a `pull_request` run from a fork. */
  headRepoFullName: string;
  status: string;
  conclusion: string | null;
  /** Pull requests GitHub links to the run: only those whose head branch is in this repository. */
  pullRequests: number[];
  createdAt: string;
}

/** An uploaded artifact: its zip archive, as the download redirect serves it. */
export interface ArtifactState {
  id: number;
  name: string;
  runId: number;
  zip: Buffer;
  expired: boolean;
  createdAt: string;
}

export type CollaboratorPermission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface TeamMembershipState {
  role: "member" | "maintainer";
  state: "active" | "pending";
}

/** Everything the fake GitHub remembers. Plain data: tests may read and change it directly. */
export interface GitHubState {
  repo: { owner: string; name: string; defaultBranch: string; id: number; private: boolean };
  commits: Map<string, CommitState>;
  /** Full ref name (`refs/heads/main`, `refs/tags/churn/v1.0.0`) to the object sha it points at. */
  refs: Map<string, string>;
  tagObjects: Map<string, TagObjectState>;
  pulls: Map<number, PullState>;
  reviews: ReviewState[];
  issues: Map<number, IssueState>;
  comments: CommentState[];
  labels: Map<string, LabelState>;
  releases: ReleaseState[];
  deployments: DeploymentState[];
  checkRuns: CheckRunState[];
  dispatches: DispatchState[];
  workflowRuns: WorkflowRunState[];
  artifacts: ArtifactState[];
  collaborators: Map<string, CollaboratorPermission>;
  /** Key `org/team-slug`, then username. */
  teams: Map<string, Map<string, TeamMembershipState>>;
  /** Every record update of a ref, so tests can see moves of an alias. */
  refUpdates: { ref: string; sha: string; force: boolean; operation: "create" | "update" | "delete" }[];
  nextId: number;
  nextNumber: number;
  /** Fixed clock so responses are deterministic; advanced one second per write. */
  now: number;
}

/** Options for the repository the server pretends to host. */
export interface RepoOptions {
  owner?: string;
  name?: string;
  defaultBranch?: string;
}

/** A fresh, empty repository with one commit on its default branch. */
export function createState(options: RepoOptions = {}): GitHubState {
  const state: GitHubState = {
    repo: {
      owner: options.owner ?? "acme",
      name: options.name ?? "models",
      defaultBranch: options.defaultBranch ?? "main",
      id: 700_000_001,
      private: false,
    },
    commits: new Map(),
    refs: new Map(),
    tagObjects: new Map(),
    pulls: new Map(),
    reviews: [],
    issues: new Map(),
    comments: [],
    labels: new Map(),
    releases: [],
    deployments: [],
    checkRuns: [],
    dispatches: [],
    workflowRuns: [],
    artifacts: [],
    collaborators: new Map(),
    teams: new Map(),
    refUpdates: [],
    nextId: 1_000,
    nextNumber: 1,
    now: Date.parse("2025-01-15T12:00:00Z"),
  };
  const root = fakeSha("root");
  state.commits.set(root, {
    sha: root,
    message: "Initial commit",
    parents: [],
    author: { name: "Octo Cat", email: "octocat@github.com", date: "2025-01-01T00:00:00Z" },
    files: [],
  });
  state.refs.set(`refs/heads/${state.repo.defaultBranch}`, root);
  return state;
}

/** A new unique id; GitHub's ids are global, so one counter serves every resource. */
export function nextId(state: GitHubState): number {
  state.nextId += 1;
  return state.nextId;
}

/** The clock as GitHub formats it, advanced so later writes sort after earlier ones. */
export function timestamp(state: GitHubState): string {
  state.now += 1_000;
  return new Date(state.now).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A 40-hex sha derived from a text, stable across runs. */
export function fakeSha(seed: string): string {
  let h1 = 0x811c9dc5;
  let out = "";
  for (let round = 0; out.length < 40; round += 1) {
    for (const ch of `${round}:${seed}`) h1 = Math.imul(h1 ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h1.toString(16).padStart(8, "0");
  }
  return out.slice(0, 40);
}

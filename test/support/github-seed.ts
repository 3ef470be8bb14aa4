import {
  type ArtifactState,
  type AssetState,
  type CheckRunState,
  type CollaboratorPermission,
  type CommentState,
  type CommitState,
  type DeploymentState,
  type FileChange,
  fakeSha,
  type GitHubState,
  type IssueState,
  type LabelState,
  nextId,
  type PullState,
  type ReleaseState,
  type ReviewState,
  type ReviewVerdict,
  type TagObjectState,
  timestamp,
  type WorkflowRunState,
} from "./github-state.js";
import { writeZip } from "./zip.js";

/** Fields of a pull request a test may choose; everything else gets a sensible default. */
export interface PullRequestSeed {
  number?: number;
  title?: string;
  body?: string;
  user?: string;
  headRef?: string;
  headSha?: string;
  baseRef?: string;
  baseSha?: string;
  /** Head lives in a fork: `head.repo.fork` is true and `full_name` is `<user>/<repo>`. */
  fork?: boolean;
  state?: "open" | "closed";
  merged?: boolean;
  mergeCommitSha?: string;
  files?: FileChange[];
  labels?: string[];
  draft?: boolean;
}

/** Helpers that put realistic records into the state, filling in GitHub's derived fields. */
export interface Seeder {
  commit(seed?: Partial<CommitState> & { branch?: string }): CommitState;
  ref(ref: string, sha: string): void;
  annotatedTag(seed: { tag: string; sha: string; message?: string }): TagObjectState;
  pullRequest(seed?: PullRequestSeed): PullState;
  review(seed: {
    pullNumber: number;
    user: string;
    state?: ReviewVerdict;
    commitId?: string;
    body?: string;
  }): ReviewState;
  issue(seed?: Partial<Omit<IssueState, "number" | "isPullRequest">>): IssueState;
  comment(seed: { issueNumber: number; body: string; user?: string }): CommentState;
  label(seed: { name: string; color?: string; description?: string }): LabelState;
  release(seed: {
    tagName: string;
    name?: string;
    body?: string;
    targetCommitish?: string;
    draft?: boolean;
    prerelease?: boolean;
    assets?: { name: string; data: Buffer | string; contentType?: string; label?: string }[];
  }): ReleaseState;
  deployment(seed: { environment: string; sha: string; ref?: string; statuses?: string[] }): DeploymentState;
  checkRun(seed: {
    name: string;
    headSha: string;
    status?: string;
    conclusion?: string | null;
  }): CheckRunState;
  collaborator(username: string, permission: CollaboratorPermission): void;
  /** A workflow run; a `pull_request` run of a fork's branch links no pull request, as on GitHub. */
  workflowRun(seed: {
    id?: number;
    path: string;
    event: string;
    headSha: string;
    headBranch?: string;
    headRepoFullName?: string;
    name?: string;
    status?: string;
    conclusion?: string | null;
    pullRequests?: number[];
  }): WorkflowRunState;
  /** An artifact of run `runId` holding `files` (path in the archive -> content). */
  artifact(seed: {
    name: string;
    runId: number;
    files: Record<string, string | Buffer>;
    expired?: boolean;
  }): ArtifactState;
  teamMember(org: string, teamSlug: string, username: string, role?: "member" | "maintainer"): void;
}

/** Builds the seeding helpers for one state. */
export function createSeeder(state: GitHubState): Seeder {
  const ensureCommit = (sha: string, message: string, parents: string[] = []): void => {
    if (!state.commits.has(sha)) seeder.commit({ sha, message, parents });
  };
  const seeder: Seeder = {
    commit(seed = {}) {
      const branchRef = `refs/heads/${seed.branch ?? state.repo.defaultBranch}`;
      const parent = state.refs.get(branchRef);
      const commit: CommitState = {
        sha: seed.sha ?? fakeSha(`commit:${state.commits.size}:${seed.message ?? ""}`),
        message: seed.message ?? `Commit ${state.commits.size}`,
        parents: seed.parents ?? (parent ? [parent] : []),
        author: seed.author ?? { name: "Octo Cat", email: "octocat@github.com", date: timestamp(state) },
        files: seed.files ?? [],
        ...(seed.tree ? { tree: seed.tree } : {}),
      };
      state.commits.set(commit.sha, commit);
      if (seed.branch) state.refs.set(branchRef, commit.sha);
      return commit;
    },
    ref(ref, sha) {
      state.refs.set(ref.startsWith("refs/") ? ref : `refs/${ref}`, sha);
    },
    annotatedTag({ tag, sha, message }) {
      const tagObject: TagObjectState = {
        sha: fakeSha(`tag:${tag}:${sha}`),
        tag,
        message: message ?? tag,
        object: { sha, type: "commit" },
        tagger: {
          name: "github-actions[bot]",
          email: "41898282+github-actions[bot]@users.noreply.github.com",
          date: timestamp(state),
        },
      };
      state.tagObjects.set(tagObject.sha, tagObject);
      state.refs.set(`refs/tags/${tag}`, tagObject.sha);
      return tagObject;
    },
    pullRequest(seed = {}) {
      const number = seed.number ?? state.nextNumber;
      state.nextNumber = Math.max(state.nextNumber, number + 1);
      const user = seed.user ?? "octocat";
      const baseRef = seed.baseRef ?? state.repo.defaultBranch;
      const baseSha = seed.baseSha ?? state.refs.get(`refs/heads/${baseRef}`) ?? fakeSha(`base:${number}`);
      const headSha = seed.headSha ?? fakeSha(`head:${number}`);
      ensureCommit(baseSha, `Base of #${number}`);
      ensureCommit(headSha, `Head of #${number}`, [baseSha]);
      const fork = seed.fork ?? false;
      const pull: PullState = {
        number,
        user,
        head: {
          ref: seed.headRef ?? `feature-${number}`,
          sha: headSha,
          repoFullName: fork ? `${user}/${state.repo.name}` : `${state.repo.owner}/${state.repo.name}`,
          fork,
        },
        base: { ref: baseRef, sha: baseSha },
        merged: seed.merged ?? false,
        mergeCommitSha: seed.mergeCommitSha ?? null,
        draft: seed.draft ?? false,
        files: seed.files ?? [],
      };
      if (pull.mergeCommitSha)
        ensureCommit(pull.mergeCommitSha, `Merge pull request #${number}`, [baseSha, headSha]);
      state.pulls.set(number, pull);
      const created = timestamp(state);
      state.issues.set(number, {
        number,
        title: seed.title ?? `Pull request ${number}`,
        body: seed.body ?? null,
        state: seed.state ?? (pull.merged ? "closed" : "open"),
        stateReason: null,
        labels: seed.labels ?? [],
        assignees: [],
        user,
        isPullRequest: true,
        createdAt: created,
        updatedAt: created,
        closedAt: pull.merged || seed.state === "closed" ? created : null,
      });
      for (const name of seed.labels ?? []) if (!state.labels.has(name)) seeder.label({ name });
      return pull;
    },
    review({ pullNumber, user, state: verdict, commitId, body }) {
      const pull = state.pulls.get(pullNumber);
      if (!pull) throw new Error(`seed a pull request #${pullNumber} before its reviews`);
      const review: ReviewState = {
        id: nextId(state),
        pullNumber,
        user,
        state: verdict ?? "APPROVED",
        body: body ?? "",
        commitId: commitId ?? pull.head.sha,
        submittedAt: timestamp(state),
      };
      state.reviews.push(review);
      return review;
    },
    issue(seed = {}) {
      const number = state.nextNumber;
      state.nextNumber += 1;
      const created = timestamp(state);
      const issue: IssueState = {
        number,
        title: seed.title ?? `Issue ${number}`,
        body: seed.body ?? null,
        state: seed.state ?? "open",
        stateReason: seed.stateReason ?? null,
        labels: seed.labels ?? [],
        assignees: seed.assignees ?? [],
        user: seed.user ?? "octocat",
        isPullRequest: false,
        createdAt: seed.createdAt ?? created,
        updatedAt: seed.updatedAt ?? created,
        closedAt: seed.closedAt ?? (seed.state === "closed" ? created : null),
      };
      state.issues.set(number, issue);
      for (const name of issue.labels) if (!state.labels.has(name)) seeder.label({ name });
      return issue;
    },
    comment({ issueNumber, body, user }) {
      if (!state.issues.has(issueNumber)) throw new Error(`seed issue or pull request #${issueNumber} first`);
      const created = timestamp(state);
      const comment: CommentState = {
        id: nextId(state),
        issueNumber,
        body,
        user: user ?? "octocat",
        createdAt: created,
        updatedAt: created,
      };
      state.comments.push(comment);
      return comment;
    },
    label({ name, color, description }) {
      const label: LabelState = {
        id: nextId(state),
        name,
        color: color ?? "ededed",
        description: description ?? null,
      };
      state.labels.set(name, label);
      return label;
    },
    release(seed) {
      const created = timestamp(state);
      const release: ReleaseState = {
        id: nextId(state),
        tagName: seed.tagName,
        targetCommitish: seed.targetCommitish ?? state.repo.defaultBranch,
        name: seed.name ?? seed.tagName,
        body: seed.body ?? null,
        draft: seed.draft ?? false,
        prerelease: seed.prerelease ?? false,
        makeLatest: "true",
        author: "github-actions[bot]",
        createdAt: created,
        publishedAt: seed.draft ? null : created,
        assets: [],
      };
      for (const asset of seed.assets ?? []) {
        const stored: AssetState = {
          id: nextId(state),
          name: asset.name,
          label: asset.label ?? null,
          contentType: asset.contentType ?? "application/octet-stream",
          data: Buffer.isBuffer(asset.data) ? asset.data : Buffer.from(asset.data),
          uploader: "github-actions[bot]",
          createdAt: created,
        };
        release.assets.push(stored);
      }
      state.releases.push(release);
      return release;
    },
    deployment({ environment, sha, ref, statuses }) {
      const created = timestamp(state);
      const deployment: DeploymentState = {
        id: nextId(state),
        ref: ref ?? sha,
        sha,
        task: "deploy",
        environment,
        description: null,
        payload: {},
        creator: "github-actions[bot]",
        productionEnvironment: environment.endsWith("production"),
        transientEnvironment: false,
        createdAt: created,
        statuses: [],
      };
      for (const status of statuses ?? []) {
        deployment.statuses.push({
          id: nextId(state),
          state: status,
          description: "",
          environment,
          environmentUrl: "",
          logUrl: "",
          creator: "github-actions[bot]",
          createdAt: timestamp(state),
        });
      }
      state.deployments.push(deployment);
      return deployment;
    },
    checkRun({ name, headSha, status, conclusion }) {
      const run: CheckRunState = {
        id: nextId(state),
        name,
        headSha,
        status: status ?? "completed",
        conclusion: conclusion === undefined ? "success" : conclusion,
        externalId: null,
        detailsUrl: null,
        startedAt: timestamp(state),
        completedAt: status && status !== "completed" ? null : timestamp(state),
        output: { title: null, summary: null, text: null, annotations: [] },
      };
      state.checkRuns.push(run);
      return run;
    },
    collaborator(username, permission) {
      state.collaborators.set(username, permission);
    },
    workflowRun(seed) {
      const full = `${state.repo.owner}/${state.repo.name}`;
      const run: WorkflowRunState = {
        id: seed.id ?? nextId(state),
        name: seed.name ?? seed.path.replace(/^.*\//, "").replace(/\.ya?ml$/, ""),
        path: seed.path,
        event: seed.event,
        headSha: seed.headSha,
        headBranch: seed.headBranch ?? "main",
        headRepoFullName: seed.headRepoFullName ?? full,
        status: seed.status ?? "completed",
        conclusion: seed.conclusion === undefined ? "success" : seed.conclusion,
        pullRequests: seed.pullRequests ?? [],
        createdAt: timestamp(state),
      };
      state.workflowRuns.push(run);
      return run;
    },
    artifact({ name, runId, files, expired }) {
      const artifact: ArtifactState = {
        id: nextId(state),
        name,
        runId,
        zip: writeZip(files),
        expired: expired ?? false,
        createdAt: timestamp(state),
      };
      state.artifacts.push(artifact);
      return artifact;
    },
    teamMember(org, teamSlug, username, role = "member") {
      const key = `${org}/${teamSlug}`;
      const members = state.teams.get(key) ?? new Map();
      members.set(username, { role, state: "active" });
      state.teams.set(key, members);
    },
  };
  return seeder;
}

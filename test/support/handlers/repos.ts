import { commitShape } from "../git-shapes.js";
import { fakeBlobSha } from "../github-shapes.js";
import { type GitHubState, timestamp } from "../github-state.js";
import { type Handler, HttpError, notFound, paginate } from "./context.js";
import { isAncestor, resolveCommit } from "./git.js";

/** GitHub's cap on the files a comparison lists. */
export const COMPARE_FILE_LIMIT = 300;

/** A file's content at a commit: the commit's own `tree`, else its first parent's, and so on. */
function contentAt(state: GitHubState, sha: string, path: string): string | undefined {
  for (let commit = state.commits.get(sha); commit; commit = state.commits.get(commit.parents[0] ?? "")) {
    if (commit.tree && path in commit.tree) return commit.tree[path] ?? undefined;
  }
  return undefined;
}

/** Repository, commits, comparisons, collaborator permissions, team memberships and members, and dispatches. */
export const repoHandlers: Record<string, Handler> = {
  "repos/get-content": (ctx) => {
    const ref = ctx.query["ref"] === undefined ? ctx.state.repo.defaultBranch : String(ctx.query["ref"]);
    const commit = resolveCommit(ctx.state, ref);
    if (!commit) throw new HttpError(404, `No commit found for the ref ${ref}`);
    const path = String(ctx.params["path"]);
    const content = contentAt(ctx.state, commit.sha, path);
    if (content === undefined) throw notFound();
    const bytes = Buffer.from(content, "utf8");
    const sha = fakeBlobSha(`${commit.sha}:${path}`);
    const self = `${ctx.shapes.repoApi}/contents/${path}?ref=${ref}`;
    const git = `${ctx.shapes.repoApi}/git/blobs/${sha}`;
    const html = `${ctx.shapes.repoHtml}/blob/${ref}/${path}`;
    return {
      status: 200,
      body: {
        type: "file",
        encoding: "base64",
        size: bytes.length,
        name: path.split("/").at(-1),
        path,
        // GitHub wraps the base64 at 60 characters.
        content: `${bytes.toString("base64").replace(/.{60}/g, "$&\n")}\n`,
        sha,
        url: self,
        git_url: git,
        html_url: html,
        download_url: `https://raw.githubusercontent.com/${ctx.state.repo.owner}/${ctx.state.repo.name}/${ref}/${path}`,
        _links: { self, git, html },
      },
    };
  },
  "repos/get": (ctx) => ({ status: 200, body: ctx.shapes.repository() }),
  "repos/get-commit": (ctx) => {
    const commit = resolveCommit(ctx.state, String(ctx.params["ref"]));
    if (!commit) throw new HttpError(422, `No commit found for SHA: ${ctx.params["ref"]}`);
    return { status: 200, body: commitShape(ctx.shapes, commit) };
  },
  "repos/compare-commits": (ctx) => {
    const base = resolveCommit(ctx.state, String(ctx.params["base"]));
    const head = resolveCommit(ctx.state, String(ctx.params["head"]));
    if (!base || !head) throw notFound();
    const ahead: string[] = [];
    const queue = [head.sha];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const sha = queue.shift()!;
      if (seen.has(sha) || isAncestor(ctx.state, sha, base.sha)) continue;
      seen.add(sha);
      ahead.push(sha);
      queue.push(...(ctx.state.commits.get(sha)?.parents ?? []));
    }
    const behind = isAncestor(ctx.state, head.sha, base.sha) ? 1 : 0;
    const status =
      ahead.length === 0 ? (base.sha === head.sha ? "identical" : "behind") : behind ? "diverged" : "ahead";
    const commits = ahead.reverse().map((sha) => ctx.state.commits.get(sha)!);
    // GitHub lists at most 300 changed files in a comparison, however many there are.
    const files = commits.flatMap((c) => c.files).slice(0, COMPARE_FILE_LIMIT);
    const example = ctx.shapes.example<Record<string, unknown>>("commit-comparison");
    const spec = `${ctx.params["base"]}...${ctx.params["head"]}`;
    return {
      status: 200,
      body: {
        ...example,
        url: `${ctx.shapes.repoApi}/compare/${spec}`,
        html_url: `${ctx.shapes.repoHtml}/compare/${spec}`,
        permalink_url: `${ctx.shapes.repoHtml}/compare/${base.sha}...${head.sha}`,
        diff_url: `${ctx.shapes.repoHtml}/compare/${spec}.diff`,
        patch_url: `${ctx.shapes.repoHtml}/compare/${spec}.patch`,
        base_commit: commitShape(ctx.shapes, base, false),
        merge_base_commit: commitShape(ctx.shapes, base, false),
        status,
        ahead_by: ahead.length,
        behind_by: behind,
        total_commits: ahead.length,
        commits: commits.map((c) => commitShape(ctx.shapes, c, false)),
        files: files.map((f) => ctx.shapes.file(f, head.sha)),
      },
    };
  },
  "repos/get-collaborator-permission-level": (ctx) => {
    const username = String(ctx.params["username"]);
    const permission = ctx.state.collaborators.get(username);
    if (!permission) throw notFound();
    // The legacy `permission` field folds maintain into write and triage into read.
    const legacy = permission === "maintain" ? "write" : permission === "triage" ? "read" : permission;
    const user = { ...ctx.shapes.user(username), role_name: permission };
    return { status: 200, body: { permission: legacy, role_name: permission, user } };
  },
  "teams/get-membership-for-user-in-org": (ctx) => {
    const org = String(ctx.params["org"]);
    const team = ctx.state.teams.get(`${org}/${ctx.params["team_slug"]}`);
    const membership = team?.get(String(ctx.params["username"]));
    if (!membership) throw notFound();
    return {
      status: 200,
      body: { url: `${ctx.shapes.apiUrl}/teams/1/memberships/${ctx.params["username"]}`, ...membership },
    };
  },
  "teams/list-members-in-org": (ctx) => {
    // A team that does not exist (or that the token cannot see) is a 404, as on GitHub.
    const team = ctx.state.teams.get(`${ctx.params["org"]}/${ctx.params["team_slug"]}`);
    if (!team) throw notFound();
    const active = [...team].filter(([, m]) => m.state === "active").map(([login]) => login);
    return paginate(ctx, active, (login) => ctx.shapes.user(login));
  },
  "actions/create-workflow-dispatch": (ctx) => {
    const ref = String(ctx.body.ref);
    if (!resolveCommit(ctx.state, ref)) throw new HttpError(422, `No ref found for: ${ref}`);
    const inputs = (ctx.body.inputs ?? {}) as Record<string, unknown>;
    if (Object.keys(inputs).length > 25)
      throw new HttpError(422, "inputs are too large: at most 25 properties");
    ctx.state.dispatches.push({
      workflowId: String(ctx.params["workflow_id"]),
      ref,
      inputs,
      createdAt: timestamp(ctx.state),
    });
    return { status: 204 };
  },
};

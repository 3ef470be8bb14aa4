import { type PullState, timestamp } from "../github-state.js";
import { type Handler, type HandlerContext, notFound, paginate, validationFailed } from "./context.js";
import { resolveCommit } from "./git.js";

function pullOf(ctx: HandlerContext): PullState {
  const pull = ctx.state.pulls.get(Number(ctx.params["pull_number"]));
  if (!pull) throw notFound();
  return pull;
}

/** Pull requests, their reviews and files, and the pull requests that contain a commit. */
export const pullHandlers: Record<string, Handler> = {
  "pulls/get": (ctx) => ({ status: 200, body: ctx.shapes.pull(pullOf(ctx)) }),
  "pulls/list": (ctx) => {
    // `head` is `user:ref-name` (the head repository's owner and branch), `state` defaults to open.
    const state = String(ctx.query["state"] ?? "open");
    const head = ctx.query["head"] === undefined ? undefined : String(ctx.query["head"]);
    const pulls = [...ctx.state.pulls.values()]
      .filter((p) => state === "all" || ctx.state.issues.get(p.number)?.state === state)
      .filter((p) => head === undefined || `${p.head.repoFullName.split("/")[0]}:${p.head.ref}` === head)
      .sort((a, b) => b.number - a.number);
    return paginate(ctx, pulls, (p) => ctx.shapes.pull(p, true));
  },
  "pulls/create": (ctx) => {
    // Same-repository heads only (`branch`, or `owner:branch` with this repository's owner), as the
    // workflows that call it push their branch here first.
    const head = String(ctx.body.head).replace(new RegExp(`^${ctx.state.repo.owner}:`), "");
    const base = String(ctx.body.base);
    const headSha = ctx.state.refs.get(`refs/heads/${head}`);
    const baseSha = ctx.state.refs.get(`refs/heads/${base}`);
    if (!headSha) throw validationFailed("PullRequest", "head", "invalid");
    if (!baseSha) throw validationFailed("PullRequest", "base", "invalid");
    const open = [...ctx.state.pulls.values()].some(
      (p) => p.head.ref === head && ctx.state.issues.get(p.number)?.state === "open",
    );
    if (open)
      throw validationFailed(
        "PullRequest",
        "head",
        "custom",
        `A pull request already exists for ${ctx.state.repo.owner}:${head}.`,
      );
    if (headSha === baseSha)
      throw validationFailed("PullRequest", "head", "custom", `No commits between ${base} and ${head}`);
    const number = ctx.state.nextNumber;
    ctx.state.nextNumber += 1;
    const pull: PullState = {
      number,
      user: ctx.actor,
      head: {
        ref: head,
        sha: headSha,
        repoFullName: `${ctx.state.repo.owner}/${ctx.state.repo.name}`,
        fork: false,
      },
      base: { ref: base, sha: baseSha },
      merged: false,
      mergeCommitSha: null,
      draft: Boolean(ctx.body.draft),
      files: [],
    };
    ctx.state.pulls.set(number, pull);
    const created = timestamp(ctx.state);
    ctx.state.issues.set(number, {
      number,
      title: String(ctx.body.title),
      body: ctx.body.body ?? null,
      state: "open",
      stateReason: null,
      labels: [],
      assignees: [],
      user: ctx.actor,
      isPullRequest: true,
      createdAt: created,
      updatedAt: created,
      closedAt: null,
    });
    return {
      status: 201,
      body: ctx.shapes.pull(pull),
      headers: { location: `${ctx.shapes.repoApi}/pulls/${number}` },
    };
  },
  "pulls/list-reviews": (ctx) => {
    const pull = pullOf(ctx);
    const reviews = ctx.state.reviews.filter((r) => r.pullNumber === pull.number).sort((a, b) => a.id - b.id);
    return paginate(ctx, reviews, (r) => ctx.shapes.review(r));
  },
  "pulls/list-files": (ctx) => {
    const pull = pullOf(ctx);
    return paginate(ctx, pull.files, (f) => ctx.shapes.file(f, pull.head.sha));
  },
  "repos/list-pull-requests-associated-with-commit": (ctx) => {
    const commit = resolveCommit(ctx.state, String(ctx.params["commit_sha"]));
    if (!commit) throw notFound();
    // GitHub lists merged pull requests for a merge commit, open ones for a head commit.
    const pulls = [...ctx.state.pulls.values()]
      .filter((p) => p.head.sha === commit.sha || p.mergeCommitSha === commit.sha)
      .sort((a, b) => b.number - a.number);
    return paginate(ctx, pulls, (p) => ctx.shapes.pull(p, true));
  },
};

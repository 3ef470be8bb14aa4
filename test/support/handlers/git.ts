import { gitCommitShape, refShape, tagShape } from "../git-shapes.js";
import type { CommitState, GitHubState } from "../github-state.js";
import { fakeSha, timestamp } from "../github-state.js";
import { type Handler, type HandlerContext, HttpError, notFound, validationFailed } from "./context.js";

/** Resolves a sha (or unique prefix), branch, tag or full ref to a commit, peeling annotated tags. */
export function resolveCommit(state: GitHubState, ref: string): CommitState | undefined {
  if (/^[0-9a-f]{7,40}$/.test(ref)) {
    const exact = state.commits.get(ref);
    if (exact) return exact;
    const matches = [...state.commits.keys()].filter((sha) => sha.startsWith(ref));
    if (matches.length === 1) return state.commits.get(matches[0]!);
  }
  const candidates = ref.startsWith("refs/")
    ? [ref]
    : [`refs/${ref}`, `refs/heads/${ref}`, `refs/tags/${ref}`];
  for (const name of candidates) {
    let sha = state.refs.get(name);
    while (sha && state.tagObjects.has(sha)) sha = state.tagObjects.get(sha)!.object.sha;
    if (sha) return state.commits.get(sha);
  }
  return undefined;
}

/** `ref` path parameters come as `heads/x` or `tags/x`; storage keys are full `refs/...` names. */
function fullRef(ctx: HandlerContext): string {
  return `refs/${String(ctx.params["ref"]).replace(/^refs\//, "")}`;
}

function objectExists(state: GitHubState, sha: string): boolean {
  return state.commits.has(sha) || state.tagObjects.has(sha);
}

/** Git database: references, annotated tag objects and commits. */
export const gitHandlers: Record<string, Handler> = {
  "git/get-ref": (ctx) => {
    const ref = fullRef(ctx);
    const sha = ctx.state.refs.get(ref);
    if (!sha) throw notFound();
    return { status: 200, body: refShape(ctx.shapes, ref, sha) };
  },
  "git/list-matching-refs": (ctx) => {
    const prefix = fullRef(ctx);
    const refs = [...ctx.state.refs.entries()]
      .filter(([name]) => name.startsWith(prefix))
      .sort(([a], [b]) => a.localeCompare(b));
    return { status: 200, body: refs.map(([name, sha]) => refShape(ctx.shapes, name, sha)) };
  },
  "git/create-ref": (ctx) => {
    const ref = String(ctx.body.ref);
    const sha = String(ctx.body.sha);
    if (!/^refs\/.+\/.+/.test(ref))
      throw new HttpError(422, "Reference name must start with 'refs/' and have at least two slashes.");
    if (ctx.state.refs.has(ref)) throw new HttpError(422, "Reference already exists");
    if (!objectExists(ctx.state, sha)) throw new HttpError(422, "Object does not exist");
    ctx.state.refs.set(ref, sha);
    ctx.state.refUpdates.push({ ref, sha, force: false, operation: "create" });
    return { status: 201, body: refShape(ctx.shapes, ref, sha) };
  },
  "git/update-ref": (ctx) => {
    const ref = fullRef(ctx);
    const sha = String(ctx.body.sha);
    const current = ctx.state.refs.get(ref);
    if (!current) throw new HttpError(422, "Reference does not exist");
    if (!objectExists(ctx.state, sha)) throw new HttpError(422, "Object does not exist");
    const force = ctx.body.force === true;
    // A move that is not a fast-forward (the old commit is not an ancestor) needs force, as on GitHub.
    if (!force && !isAncestor(ctx.state, current, sha))
      throw new HttpError(422, "Update is not a fast forward");
    ctx.state.refs.set(ref, sha);
    ctx.state.refUpdates.push({ ref, sha, force, operation: "update" });
    return { status: 200, body: refShape(ctx.shapes, ref, sha) };
  },
  "git/delete-ref": (ctx) => {
    const ref = fullRef(ctx);
    const sha = ctx.state.refs.get(ref);
    if (!sha) throw new HttpError(422, "Reference does not exist");
    ctx.state.refs.delete(ref);
    ctx.state.refUpdates.push({ ref, sha, force: false, operation: "delete" });
    return { status: 204 };
  },
  "git/create-tag": (ctx) => {
    const target = String(ctx.body.object);
    if (!objectExists(ctx.state, target)) throw validationFailed("Tag", "object", "invalid");
    const tagger = ctx.body.tagger ?? {
      name: "github-actions[bot]",
      email: "41898282+github-actions[bot]@users.noreply.github.com",
    };
    const tag = {
      sha: fakeSha(`tag:${ctx.body.tag}:${target}:${ctx.body.message}`),
      tag: String(ctx.body.tag),
      message: String(ctx.body.message),
      object: { sha: target, type: String(ctx.body.type) },
      tagger: {
        name: String(tagger.name),
        email: String(tagger.email),
        date: tagger.date ?? timestamp(ctx.state),
      },
    };
    ctx.state.tagObjects.set(tag.sha, tag);
    return { status: 201, body: tagShape(ctx.shapes, tag) };
  },
  "git/get-tag": (ctx) => {
    const tag = ctx.state.tagObjects.get(String(ctx.params["tag_sha"]));
    if (!tag) throw notFound();
    return { status: 200, body: tagShape(ctx.shapes, tag) };
  },
  "git/get-commit": (ctx) => {
    const commit = ctx.state.commits.get(String(ctx.params["commit_sha"]));
    if (!commit) throw notFound();
    return { status: 200, body: gitCommitShape(ctx.shapes, commit) };
  },
};

function peel(state: GitHubState, sha: string): string {
  let current = sha;
  while (state.tagObjects.has(current)) current = state.tagObjects.get(current)!.object.sha;
  return current;
}

/** True when `ancestor` is reachable from `descendant` through parent links. */
export function isAncestor(state: GitHubState, ancestor: string, descendant: string): boolean {
  const target = peel(state, ancestor);
  const queue = [peel(state, descendant)];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const sha = queue.shift()!;
    if (sha === target) return true;
    if (seen.has(sha)) continue;
    seen.add(sha);
    queue.push(...(state.commits.get(sha)?.parents ?? []));
  }
  return false;
}

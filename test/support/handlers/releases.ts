import { assetShape, releaseShape } from "../delivery-shapes.js";
import { type AssetState, nextId, type ReleaseState, timestamp } from "../github-state.js";
import {
  type Handler,
  type HandlerContext,
  HttpError,
  notFound,
  paginate,
  validationFailed,
} from "./context.js";
import { resolveCommit } from "./git.js";

function releaseOf(ctx: HandlerContext): ReleaseState {
  const release = ctx.state.releases.find((r) => r.id === Number(ctx.params["release_id"]));
  if (!release) throw notFound();
  return release;
}

function assetOf(ctx: HandlerContext): { release: ReleaseState; asset: AssetState } {
  const id = Number(ctx.params["asset_id"]);
  for (const release of ctx.state.releases) {
    const asset = release.assets.find((a) => a.id === id);
    if (asset) return { release, asset };
  }
  throw notFound();
}

/** GitHub sorts releases newest first by creation. */
function newestFirst(ctx: HandlerContext): ReleaseState[] {
  return [...ctx.state.releases].sort((a, b) => b.id - a.id);
}

/** Releases and release assets, including uploads and byte downloads. */
export const releaseHandlers: Record<string, Handler> = {
  "repos/create-release": (ctx) => {
    const tagName = String(ctx.body.tag_name);
    if (ctx.state.releases.some((r) => r.tagName === tagName))
      throw validationFailed("Release", "tag_name", "already_exists");
    const draft = ctx.body.draft === true;
    const target = String(ctx.body.target_commitish ?? ctx.state.repo.defaultBranch);
    if (!draft && !ctx.state.refs.has(`refs/tags/${tagName}`)) {
      // Publishing a release for a missing tag creates a lightweight tag at the target.
      const commit = resolveCommit(ctx.state, target);
      if (!commit) throw validationFailed("Release", "target_commitish", "invalid");
      ctx.state.refs.set(`refs/tags/${tagName}`, commit.sha);
    }
    const created = timestamp(ctx.state);
    const release: ReleaseState = {
      id: nextId(ctx.state),
      tagName,
      targetCommitish: target,
      name: ctx.body.name ?? tagName,
      body: ctx.body.body ?? null,
      draft,
      prerelease: ctx.body.prerelease === true,
      makeLatest: String(ctx.body.make_latest ?? "true"),
      author: ctx.actor,
      createdAt: created,
      publishedAt: draft ? null : created,
      assets: [],
    };
    if ((release.body ?? "").length > 125_000)
      throw validationFailed("Release", "body", "custom", "body is too long (maximum is 125000 characters)");
    ctx.state.releases.push(release);
    return {
      status: 201,
      body: releaseShape(ctx.shapes, release),
      headers: { location: `${ctx.shapes.repoApi}/releases/${release.id}` },
    };
  },
  "repos/get-release-by-tag": (ctx) => {
    const release = ctx.state.releases.find((r) => r.tagName === ctx.params["tag"] && !r.draft);
    if (!release) throw notFound();
    return { status: 200, body: releaseShape(ctx.shapes, release) };
  },
  "repos/get-latest-release": (ctx) => {
    const release = newestFirst(ctx).find((r) => !r.draft && !r.prerelease && r.makeLatest !== "false");
    if (!release) throw notFound();
    return { status: 200, body: releaseShape(ctx.shapes, release) };
  },
  "repos/get-release": (ctx) => ({ status: 200, body: releaseShape(ctx.shapes, releaseOf(ctx)) }),
  "repos/list-releases": (ctx) => paginate(ctx, newestFirst(ctx), (r) => releaseShape(ctx.shapes, r)),
  "repos/update-release": (ctx) => {
    const release = releaseOf(ctx);
    const b = ctx.body ?? {};
    if (b.tag_name !== undefined && b.tag_name !== release.tagName) {
      if (ctx.state.releases.some((r) => r.tagName === b.tag_name))
        throw validationFailed("Release", "tag_name", "already_exists");
      release.tagName = String(b.tag_name);
    }
    if (b.target_commitish !== undefined) release.targetCommitish = String(b.target_commitish);
    if (b.name !== undefined) release.name = b.name;
    if (b.body !== undefined) release.body = b.body;
    if (b.prerelease !== undefined) release.prerelease = b.prerelease;
    if (b.make_latest !== undefined) release.makeLatest = String(b.make_latest);
    if (b.draft !== undefined) {
      if (release.draft && !b.draft) release.publishedAt = timestamp(ctx.state);
      release.draft = b.draft;
    }
    return { status: 200, body: releaseShape(ctx.shapes, release) };
  },
  "repos/delete-release": (ctx) => {
    const release = releaseOf(ctx);
    ctx.state.releases.splice(ctx.state.releases.indexOf(release), 1);
    return { status: 204 };
  },
  "repos/list-release-assets": (ctx) => {
    const release = releaseOf(ctx);
    return paginate(ctx, release.assets, (a) => assetShape(ctx.shapes, release, a));
  },
  "repos/upload-release-asset": (ctx) => {
    const release = releaseOf(ctx);
    const name = String(ctx.query["name"]);
    if (release.assets.some((a) => a.name === name))
      throw validationFailed("ReleaseAsset", "name", "already_exists");
    const contentType = String(ctx.headers["content-type"] ?? "");
    if (!contentType) throw new HttpError(400, "Bad Content-Type header value");
    if (ctx.headers["content-length"] === undefined) throw new HttpError(411, "Length Required");
    const asset: AssetState = {
      id: nextId(ctx.state),
      name,
      label: ctx.query["label"] === undefined ? null : String(ctx.query["label"]),
      contentType,
      data: ctx.raw,
      uploader: ctx.actor,
      createdAt: timestamp(ctx.state),
    };
    release.assets.push(asset);
    return { status: 201, body: assetShape(ctx.shapes, release, asset) };
  },
  "repos/get-release-asset": (ctx) => {
    const { release, asset } = assetOf(ctx);
    if (String(ctx.headers["accept"] ?? "").includes("application/octet-stream")) {
      return { status: 200, body: asset.data, headers: { "content-type": "application/octet-stream" } };
    }
    return { status: 200, body: assetShape(ctx.shapes, release, asset) };
  },
  "repos/delete-release-asset": (ctx) => {
    const { release, asset } = assetOf(ctx);
    release.assets.splice(release.assets.indexOf(asset), 1);
    return { status: 204 };
  },
};

import type { Shapes } from "./github-shapes.js";
import type { CommitState, TagObjectState } from "./github-state.js";

type Json = Record<string, unknown>;

/** GitHub's `commit` representation of a stored record. */
export function commitShape(s: Shapes, commit: CommitState, withFiles = true): Json {
  const base = s.example<Json>("commit");
  const author = { name: commit.author.name, email: commit.author.email, date: commit.author.date };
  const shaped: Json = {
    ...base,
    url: `${s.repoApi}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: Buffer.from(`06:Commit${commit.sha}`).toString("base64"),
    html_url: `${s.repoHtml}/commit/${commit.sha}`,
    comments_url: `${s.repoApi}/commits/${commit.sha}/comments`,
    commit: {
      ...(base["commit"] as Json),
      url: `${s.repoApi}/git/commits/${commit.sha}`,
      author,
      committer: author,
      message: commit.message,
      tree: { url: `${s.repoApi}/git/trees/${commit.sha}`, sha: commit.sha },
    },
    author: s.user("octocat"),
    committer: s.user("octocat"),
    parents: commit.parents.map((sha) => ({
      url: `${s.repoApi}/commits/${sha}`,
      html_url: `${s.repoHtml}/commit/${sha}`,
      sha,
    })),
    // GitHub's first page of a commit's files holds 300; gauntlet does not page further.
    files: commit.files.slice(0, 300).map((f) => s.file(f, commit.sha)),
    stats: { total: commit.files.length, additions: commit.files.length, deletions: 0 },
  };
  if (!withFiles) {
    delete shaped["files"];
    delete shaped["stats"];
  }
  return shaped;
}

/** GitHub's `gitCommit` representation of a stored record. */
export function gitCommitShape(s: Shapes, commit: CommitState): Json {
  const author = { name: commit.author.name, email: commit.author.email, date: commit.author.date };
  return {
    ...s.example<Json>("git-commit"),
    sha: commit.sha,
    node_id: Buffer.from(`06:Commit${commit.sha}`).toString("base64"),
    url: `${s.repoApi}/git/commits/${commit.sha}`,
    html_url: `${s.repoHtml}/commit/${commit.sha}`,
    author,
    committer: author,
    message: commit.message,
    tree: { url: `${s.repoApi}/git/trees/${commit.sha}`, sha: commit.sha },
    parents: commit.parents.map((sha) => ({
      url: `${s.repoApi}/git/commits/${sha}`,
      html_url: `${s.repoHtml}/commit/${sha}`,
      sha,
    })),
  };
}

/** GitHub's `ref` representation of a stored record. */
export function refShape(s: Shapes, ref: string, sha: string): Json {
  const type = s.state.tagObjects.has(sha) ? "tag" : "commit";
  return {
    ref,
    node_id: Buffer.from(`03:Ref${ref}`).toString("base64"),
    url: `${s.repoApi}/git/${ref}`,
    object: { type, sha, url: `${s.repoApi}/git/${type}s/${sha}` },
  };
}

/** GitHub's `tag` representation of a stored record. */
export function tagShape(s: Shapes, tag: TagObjectState): Json {
  return {
    ...s.example<Json>("git-tag"),
    node_id: Buffer.from(`03:Tag${tag.sha}`).toString("base64"),
    tag: tag.tag,
    sha: tag.sha,
    url: `${s.repoApi}/git/tags/${tag.sha}`,
    message: tag.message,
    tagger: tag.tagger,
    object: { ...tag.object, url: `${s.repoApi}/git/${tag.object.type}s/${tag.object.sha}` },
  };
}

import { nodeId, pullId, type Shapes, sha256 } from "./github-shapes.js";
import type {
  AssetState,
  CheckRunState,
  DeploymentState,
  DeploymentStatusState,
  ReleaseState,
} from "./github-state.js";

type Json = Record<string, unknown>;

/** GitHub's `asset` representation of a stored record. */
export function assetShape(s: Shapes, release: ReleaseState, asset: AssetState): Json {
  return {
    ...s.example<Json>("release-asset"),
    url: `${s.repoApi}/releases/assets/${asset.id}`,
    browser_download_url: `${s.repoHtml}/releases/download/${encodeURIComponent(release.tagName)}/${encodeURIComponent(asset.name)}`,
    id: asset.id,
    node_id: nodeId("RA", asset.id),
    name: asset.name,
    label: asset.label,
    state: "uploaded",
    content_type: asset.contentType,
    size: asset.data.length,
    digest: `sha256:${sha256(asset.data)}`,
    download_count: 0,
    created_at: asset.createdAt,
    updated_at: asset.createdAt,
    uploader: s.user(asset.uploader),
  };
}

/** GitHub's `release` representation of a stored record. */
export function releaseShape(s: Shapes, release: ReleaseState): Json {
  const tag = encodeURIComponent(release.tagName);
  return {
    ...s.example<Json>("release"),
    url: `${s.repoApi}/releases/${release.id}`,
    html_url: release.draft
      ? `${s.repoHtml}/releases/tag/untagged-${release.id}`
      : `${s.repoHtml}/releases/tag/${tag}`,
    assets_url: `${s.repoApi}/releases/${release.id}/assets`,
    upload_url: `${s.repoApi.replace(s.apiUrl, `${s.apiUrl}/uploads`)}/releases/${release.id}/assets{?name,label}`,
    tarball_url: `${s.repoApi}/tarball/${tag}`,
    zipball_url: `${s.repoApi}/zipball/${tag}`,
    discussion_url: undefined,
    id: release.id,
    node_id: nodeId("RE", release.id),
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    immutable: false,
    created_at: release.createdAt,
    published_at: release.publishedAt,
    author: s.user(release.author),
    assets: release.assets.map((a) => assetShape(s, release, a)),
  };
}

/** GitHub's `deployment` representation of a stored record. */
export function deploymentShape(s: Shapes, deployment: DeploymentState): Json {
  return {
    ...s.example<Json>("deployment"),
    url: `${s.repoApi}/deployments/${deployment.id}`,
    id: deployment.id,
    node_id: nodeId("DE", deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    creator: s.user(deployment.creator),
    created_at: deployment.createdAt,
    updated_at: deployment.statuses.at(-1)?.createdAt ?? deployment.createdAt,
    statuses_url: `${s.repoApi}/deployments/${deployment.id}/statuses`,
    repository_url: s.repoApi,
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
  };
}

/** GitHub's `deploymentStatus` representation of a stored record. */
export function deploymentStatusShape(
  s: Shapes,
  deployment: DeploymentState,
  status: DeploymentStatusState,
): Json {
  return {
    ...s.example<Json>("deployment-status"),
    url: `${s.repoApi}/deployments/${deployment.id}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId("DES", status.id),
    state: status.state,
    creator: s.user(status.creator),
    description: status.description,
    environment: status.environment,
    target_url: status.logUrl,
    log_url: status.logUrl,
    environment_url: status.environmentUrl,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    deployment_url: `${s.repoApi}/deployments/${deployment.id}`,
    repository_url: s.repoApi,
  };
}

/** GitHub's `checkRun` representation of a stored record. */
export function checkRunShape(s: Shapes, run: CheckRunState): Json {
  const pulls = [...s.state.pulls.values()].filter((p) => p.head.sha === run.headSha && !p.head.fork);
  return {
    ...s.example<Json>("check-run"),
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId("CR", run.id),
    external_id: run.externalId ?? "",
    url: `${s.repoApi}/check-runs/${run.id}`,
    html_url: `${s.repoHtml}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${s.repoHtml}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${s.repoApi}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id + 1 },
    pull_requests: pulls.map((p) => ({
      url: `${s.repoApi}/pulls/${p.number}`,
      id: pullId(p.number),
      number: p.number,
      head: {
        ref: p.head.ref,
        sha: p.head.sha,
        repo: { id: s.state.repo.id, url: s.repoApi, name: s.state.repo.name },
      },
      base: {
        ref: p.base.ref,
        sha: p.base.sha,
        repo: { id: s.state.repo.id, url: s.repoApi, name: s.state.repo.name },
      },
    })),
  };
}

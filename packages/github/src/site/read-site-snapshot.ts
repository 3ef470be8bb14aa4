import {
  DRIFT_LABEL,
  type DriftResult,
  driftIssueMarker,
  EVALUATION_SCHEMA,
  type EvaluationResult,
  GATE_SCHEMA,
  type GateResult,
  type Manifest,
  parseVersionTag,
  readIssueState,
  type SiteLink,
  type SiteModel,
  type SiteMonitoring,
  type SiteSnapshot,
  type SiteVersion,
  type StageMove,
  siteMonitoring,
  siteResult,
  siteVersion,
  stageEvents,
  UserError,
  versionAt,
} from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";
import { readDeployments } from "../registry/read-registry.js";
import { peelToCommit } from "../registry/tag-commit.js";

/** Result assets larger than this are not read into a page (a gauntlet result is far smaller). */
const MAX_RESULT_ASSET_BYTES = 20 * 1024 * 1024;

const CONTENTS_READ = { permission: "contents: read" };

/** Where to read, and what the workflow adds that the API does not keep (the latest monitoring results). */
export interface SiteSource {
  owner: string;
  repo: string;
  /** `https://github.com` (or the GitHub Enterprise host) for links. */
  serverUrl: string;
  generatedAt: string;
  /** `drift.json` of a model's latest monitoring run, when the workflow has it (e.g. from the run that triggered the rebuild). */
  readDrift?: (model: string) => Promise<{ result: DriftResult; url: string | null } | undefined>;
  /** The models' manifests (in the checkout), for each model's owner and task. */
  manifests?: Manifest[];
}

interface Tag {
  tag: string;
  commit: string;
}

/**
 * Everything the registry site shows, read through the API with read permissions only: version
 * and alias tags (`contents: read`), releases with their model card and `evaluation.json` /
 * `gate.json` assets, successful deployments to each `<model>/<stage>` environment in time order
 * (promotions and rollbacks; `deployments: read`), and open `gauntlet:drift` issues (`issues:
 * read`), which also give a model's monitoring level when no `drift.json` is passed in.
 *
 * @example
 * const snapshot = await readSiteSnapshot(client, { owner: "acme", repo: "models", serverUrl: "https://github.com", generatedAt });
 * snapshot.models.map((m) => m.name); // ["churn", "fraud"]
 */
export async function readSiteSnapshot(client: GitHubClient, source: SiteSource): Promise<SiteSnapshot> {
  const { owner, repo } = source;
  const repoUrl = `${source.serverUrl.replace(/\/$/, "")}/${owner}/${repo}`;
  const refs = await withPermission({ action: "list tags", ...CONTENTS_READ }, () =>
    client.paginate(client.rest.git.listMatchingRefs, { owner, repo, ref: "tags/" }),
  );
  const tags: Tag[] = [];
  for (const ref of refs) {
    const tag = ref.ref.replace(/^refs\/tags\//, "");
    const commit = await peelToCommit(client, { owner, repo }, ref.object, tag);
    if (commit !== undefined) tags.push({ tag, commit });
  }
  const versionTags = tags.flatMap((t) => {
    const parsed = parseVersionTag(t.tag);
    return parsed ? [{ ...parsed, tag: t.tag, commit: t.commit }] : [];
  });
  const names = [...new Set(versionTags.map((t) => t.model))].sort();
  const releases = await withPermission({ action: "list releases", ...CONTENTS_READ }, () =>
    client.paginate(client.rest.repos.listReleases, { owner, repo, per_page: 100 }),
  );
  const issues = await withPermission({ action: "list drift issues", permission: "issues: read" }, () =>
    client.paginate(client.rest.issues.listForRepo, {
      owner,
      repo,
      labels: DRIFT_LABEL,
      state: "open",
      per_page: 100,
    }),
  );

  const asset = async <T>(
    release: (typeof releases)[number],
    name: string,
    schema: string,
  ): Promise<T | null> => {
    const found = release.assets.find((a) => a.name === name);
    if (!found) return null;
    const file = `${name} of release ${release.tag_name}`;
    if (found.size > MAX_RESULT_ASSET_BYTES) {
      throw new UserError(`${file} is ${found.size} bytes (limit ${MAX_RESULT_ASSET_BYTES})`, {
        file,
        fix: "re-upload the result file gauntlet wrote for this release",
      });
    }
    const { data } = await withPermission({ action: `download ${file}`, ...CONTENTS_READ }, () =>
      client.rest.repos.getReleaseAsset({
        owner,
        repo,
        asset_id: found.id,
        headers: { accept: "application/octet-stream" },
      }),
    );
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(data as unknown as ArrayBuffer).toString("utf8"));
    } catch {
      throw new UserError(`${file} is not valid JSON`, {
        file,
        fix: "re-upload the result file gauntlet wrote for this release",
      });
    }
    return siteResult<T>(value, schema, file);
  };

  const models: SiteModel[] = [];
  for (const name of names) {
    const own = versionTags.filter((t) => t.model === name);
    const versions: SiteVersion[] = [];
    const gates = new Map<string, GateResult | null>();
    let evaluated: EvaluationResult | null = null;
    for (const t of own) {
      const release = releases.find((r) => r.tag_name === t.tag && !r.draft);
      const evaluation = release
        ? await asset<EvaluationResult>(release, "evaluation.json", EVALUATION_SCHEMA)
        : null;
      const gate = release ? await asset<GateResult>(release, "gate.json", GATE_SCHEMA) : null;
      gates.set(t.version, gate);
      evaluated = evaluation ?? evaluated;
      const card = release?.body ? release.body : null;
      const pull = /pull request #(\d+)/.exec(card ?? "")?.[1];
      const links: SiteLink[] = [
        ...(release ? [{ label: release.name ?? release.tag_name, url: release.html_url }] : []),
        ...(pull ? [{ label: `pull request #${pull}`, url: `${repoUrl}/pull/${pull}` }] : []),
      ];
      versions.push(
        siteVersion({
          version: t.version,
          released: release !== undefined,
          date: release?.published_at ?? release?.created_at ?? null,
          card,
          evaluation,
          gate,
          links,
        }),
      );
    }
    const stages = tags.flatMap((t) => {
      const [model, stage, ...rest] = t.tag.split("/");
      return model === name &&
        stage !== undefined &&
        rest.length === 0 &&
        parseVersionTag(t.tag) === undefined
        ? [{ stage, version: versionAt(own, t.commit) ?? null }]
        : [];
    });
    const moves: (StageMove & { time: number })[] = [];
    for (const { stage } of stages) {
      const environment = `${name}/${stage}`;
      // Oldest first, so the timeline and the rollback check see the moves in order.
      const deployments = (await readDeployments(client, { owner, repo, environment })).reverse();
      for (const d of deployments) {
        const version = versionAt(own, d.commit);
        if (version === undefined || !d.states.includes("success")) continue;
        moves.push({
          stage,
          version,
          at: d.createdAt ?? null,
          time: d.createdAt === undefined ? 0 : Date.parse(d.createdAt),
          by: gates.get(version)?.approvals?.counted.map((c) => c.user) ?? [],
          url: null,
        });
      }
    }
    moves.sort((a, b) => a.time - b.time);
    const events = stageEvents(moves.map(({ time: _, ...move }) => move)).map((ev) =>
      // A rollback moves the alias back without a review: who approved the version once is not who rolled back.
      ev.kind === "rolled back" ? { ...ev, by: [] } : ev,
    );
    const marker = driftIssueMarker(name);
    const open = issues.filter((i) => !i.pull_request && (i.body ?? "").includes(marker));
    const drift = await source.readDrift?.(name);
    const issueState = open[0] ? readIssueState(open[0].body) : null;
    const monitoring: SiteMonitoring | null = drift
      ? siteMonitoring(drift.result, drift.url)
      : issueState && open[0]
        ? {
            version: stages.find((s) => s.stage === "production")?.version ?? "?",
            level: issueState.level,
            verdict: `${issueState.level}: ${issueState.alerting.length > 0 ? `alerting on ${issueState.alerting.join(", ")}` : "no column alerting"} (${issueState.alerts} alerting run${issueState.alerts === 1 ? "" : "s"} in a row)`,
            windows: [],
            url: open[0].html_url,
          }
        : null;
    const manifest = source.manifests?.find((m) => m.name === name);
    models.push({
      name,
      owner: manifest?.owner ?? null,
      task: manifest?.task ?? evaluated?.task ?? null,
      stages,
      versions,
      events: [
        ...versions
          .filter((v) => v.released)
          .map((v) => ({
            kind: "released" as const,
            version: v.version,
            stage: null,
            at: v.date,
            by: v.gate?.approvedBy ?? [],
            url: v.links[0]?.url ?? null,
          })),
        ...events,
      ].sort((a, b) => (a.at === null || b.at === null ? 0 : Date.parse(a.at) - Date.parse(b.at))),
      alerts: open.map((i) => ({ label: `#${i.number} ${i.title}`, url: i.html_url })),
      monitoring,
    });
  }
  return { repository: `${owner}/${repo}`, repositoryUrl: repoUrl, generatedAt: source.generatedAt, models };
}

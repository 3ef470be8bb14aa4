import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DRIFT_SCHEMA,
  type DriftResult,
  EVALUATION_SCHEMA,
  type EvaluationResult,
  GATE_SCHEMA,
  type GateResult,
  type Manifest,
  parseVersionTag,
  type RegistryFile,
  type SiteModel,
  type SiteSnapshot,
  type SiteVersion,
  type StageMove,
  siteMonitoring,
  siteResult,
  siteVersion,
  stageEvents,
  versionAt,
} from "@gauntlet/core";
import { readJsonFile } from "../result-files.js";

/** Where an offline registry keeps its parts (the layout `gauntlet demo` writes). */
export interface OfflineRegistry {
  /** A title for the site, e.g. the example's folder. */
  title: string;
  registry: RegistryFile;
  /** Release assets of `<model>/v<version>` in `<releasesDir>/<model>-v<version>/`. */
  releasesDir: string;
  /** A results folder (`<resultsDir>/<model>/evaluation.json`, …) of a candidate not yet released. */
  resultsDir?: string;
  /** Manifests that name each model's owner and task. */
  manifests?: Manifest[];
  generatedAt: string;
}

async function readResult<T>(dir: string, name: string, schema: string): Promise<T | null> {
  const file = join(dir, name);
  const raw = await readJsonFile(file);
  return raw === undefined ? null : siteResult<T>(raw, schema, file);
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** An evaluation made of the baseline block of a later one: the released model on the same data. */
function baselineEvaluation(later: EvaluationResult): EvaluationResult | null {
  if (!later.baseline) return null;
  return { ...later, overall: later.baseline.overall, slices: later.baseline.slices, baseline: null };
}

/**
 * The site snapshot of a registry kept on disk (`gauntlet demo`'s `registry.json` and releases
 * folder, plus its results folder): versions from the version tags (and a candidate from the
 * results), stages from the aliases, promotions and rollbacks from the successful deployments in
 * the order listed, each version's `evaluation.json`, `gate.json` and model card from its release
 * folder, and monitoring from the results' `drift.json`. A released version without its own
 * `evaluation.json` shows the numbers a later evaluation measured for it as its baseline. Offline
 * there are no dates, approvers or issues; a drift alert shows as an open alert without a link.
 *
 * @example
 * const snapshot = await offlineSnapshot({ title: "examples/churn", registry, releasesDir: "demo-out/releases", resultsDir: "demo-out", generatedAt });
 * snapshot.models[0].stages; // [{ stage: "production", version: "1.2.0" }]
 */
export async function offlineSnapshot(offline: OfflineRegistry): Promise<SiteSnapshot> {
  const { registry } = offline;
  const tags = registry.tags.flatMap((t) => {
    const parsed = parseVersionTag(t.tag);
    return parsed ? [{ ...parsed, tag: t.tag, commit: t.commit }] : [];
  });
  const candidates = new Map<
    string,
    {
      evaluation: EvaluationResult | null;
      gate: GateResult | null;
      drift: DriftResult | null;
      card: string | null;
    }
  >();
  if (offline.resultsDir !== undefined) {
    const entries = await readdir(offline.resultsDir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const dir = join(offline.resultsDir, entry.name);
      const evaluation = await readResult<EvaluationResult>(dir, "evaluation.json", EVALUATION_SCHEMA);
      const gate = await readResult<GateResult>(dir, "gate.json", GATE_SCHEMA);
      const drift = await readResult<DriftResult>(dir, "drift.json", DRIFT_SCHEMA);
      const name = evaluation?.model.name ?? gate?.model.name ?? drift?.model.name;
      if (name === undefined) continue;
      candidates.set(name, { evaluation, gate, drift, card: await readText(join(dir, "model-card.md")) });
    }
  }
  const names = [...new Set([...tags.map((t) => t.model), ...candidates.keys()])].sort();
  const models: SiteModel[] = [];
  for (const name of names) {
    const candidate = candidates.get(name);
    const manifest = offline.manifests?.find((m) => m.name === name);
    const own = tags.filter((t) => t.model === name);
    const versions: SiteVersion[] = [];
    for (const t of own) {
      const dir = join(offline.releasesDir, `${name}-v${t.version}`);
      const release = registry.releases.find((r) => r.tag === t.tag);
      const later = candidate?.evaluation;
      const evaluation =
        (await readResult<EvaluationResult>(dir, "evaluation.json", EVALUATION_SCHEMA)) ??
        (later?.baseline?.model.version === t.version ? baselineEvaluation(later) : null);
      versions.push(
        siteVersion({
          version: t.version,
          released: release !== undefined,
          date: null,
          card: (release?.body ? release.body : null) ?? (await readText(join(dir, "model-card.md"))),
          evaluation,
          gate: await readResult<GateResult>(dir, "gate.json", GATE_SCHEMA),
          links: [],
        }),
      );
    }
    const candidateVersion = candidate?.evaluation?.model.version ?? candidate?.gate?.model.version;
    if (candidate && candidateVersion !== undefined && !own.some((t) => t.version === candidateVersion)) {
      versions.push(
        siteVersion({
          version: candidateVersion,
          released: false,
          date: null,
          card: candidate.card,
          evaluation: candidate.evaluation,
          gate: candidate.gate,
          links: [],
        }),
      );
    }
    const stages = Object.entries(registry.aliases).flatMap(([alias, commit]) => {
      const [model, stage] = alias.split("/");
      return model === name && stage !== undefined
        ? [{ stage, version: versionAt(own, commit) ?? null }]
        : [];
    });
    const moves: StageMove[] = registry.deployments.flatMap((d) => {
      const [model, stage] = d.environment.split("/");
      const version = versionAt(own, d.commit);
      return model === name && stage !== undefined && version !== undefined && d.states.includes("success")
        ? [{ stage, version, at: null, by: [], url: null }]
        : [];
    });
    const drift = candidate?.drift ?? null;
    models.push({
      name,
      owner: manifest?.owner ?? null,
      task: manifest?.task ?? candidate?.evaluation?.task ?? null,
      stages,
      versions,
      events: [
        ...own.map((t) => ({
          kind: "released" as const,
          version: t.version,
          stage: null,
          at: null,
          by: [],
          url: null,
        })),
        ...stageEvents(moves),
      ],
      alerts: drift?.level === "alert" ? [{ label: drift.verdict, url: null }] : [],
      monitoring: drift ? siteMonitoring(drift, null) : null,
    });
  }
  return { repository: offline.title, repositoryUrl: null, generatedAt: offline.generatedAt, models };
}

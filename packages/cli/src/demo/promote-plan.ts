import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { type LoadedManifest, localGateRefusal, planLocalPromotion, preparePromotion } from "@gauntlet/steps";
import type { DemoStep } from "./demo-types.js";
import { type ProductionRelease, standInCommit } from "./production-release.js";
import { PROMOTE_PLAN_SCHEMA, type PromotePlanResult, renderPromoteReport } from "./promote-report.js";

/** The release stage the demo evaluates against, promotes to and monitors. */
export const STAGE = "production";

/**
 * Promote's dry run against the described registry: blocked when the gate would stop it on merge,
 * and then planned as with `require-gate: false` to show what merging would release.
 */
export async function planPromote(
  loaded: LoadedManifest,
  options: { cwd: string; outDir: string; production: ProductionRelease },
): Promise<{ step: Omit<DemoStep, "seconds">; card: string }> {
  const { manifest } = loaded;
  const folder = join(options.outDir, manifest.name);
  const gateFile = join(folder, "gate.json");
  const prepared = await preparePromotion(loaded, { cwd: options.cwd, resultsDir: options.outDir });
  const refusal = localGateRefusal(prepared, gateFile);
  const commit = standInCommit(`${manifest.name}/v${manifest.version}`, prepared.artefact.sha256);
  const { plan, card } = planLocalPromotion(prepared, {
    registry: options.production.releases.registry,
    commit,
    stage: STAGE,
    requireGate: refusal === undefined,
    gateFile,
  });
  // Asset paths as the reader sees them, not as this machine stores them.
  const shownPlan = {
    ...plan,
    operations: plan.operations.map((op) =>
      op.kind === "upload-asset"
        ? { ...op, asset: { ...op.asset, path: relative(folder, op.asset.path) } }
        : op,
    ),
  };
  const result: PromotePlanResult = {
    schema: PROMOTE_PLAN_SCHEMA,
    model: { name: manifest.name, version: manifest.version, sha256: prepared.artefact.sha256 },
    dryRun: true,
    stage: STAGE,
    registry: relative(folder, options.production.registryFile),
    status: refusal ? "blocked" : "ready",
    reason: refusal?.problem ?? null,
    gate: prepared.gate?.status ?? null,
    requireGate: refusal === undefined,
    plan: shownPlan,
  };
  const cardFile = join(folder, "model-card.md");
  await mkdir(dirname(cardFile), { recursive: true });
  await writeFile(cardFile, card);
  const report = join(folder, "promote.md");
  const resultFile = join(folder, "promote.json");
  await writeFile(report, renderPromoteReport(result, { registry: result.registry, card: "model-card.md" }));
  await writeFile(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  const writes = plan.operations.length;
  const planned = `${writes} registry write${writes === 1 ? "" : "s"} planned (dry run)`;
  return {
    step: {
      name: "promote",
      when: "merge",
      verdict: result.status,
      detail: refusal
        ? `${refusal.problem}; ${planned} for when it passes`
        : `${planned}; ${plan.kept.length} kept`,
      report,
      result: resultFile,
    },
    card: cardFile,
  };
}

import {
  type AuditReleaseLookup,
  type AuditReport,
  cardEvaluationSchema,
  cardGateSchema,
  readReleaseRecord,
  UserError,
} from "@gauntlet/core";
import type { LoadedManifest } from "../load-manifest.js";
import { type FindRequestOptions, findLoggedRequest } from "./find-logged-request.js";
import { replayPrediction } from "./replay-prediction.js";

/** What {@link auditRequest} needs: which request, and where the releases are. */
export interface AuditOptions extends FindRequestOptions {
  releases: AuditReleaseLookup;
}

/**
 * Reconstructs one logged prediction: finds the request in the prediction logs, looks up the
 * release of the version that served it, re-scores the logged inputs with that release's model
 * and reads the chain behind it (the model card's release record, `gate.json`,
 * `evaluation.json`). Render it with `renderAuditReport`; `auditFindings` lists what is wrong.
 *
 * @example
 * const report = await auditRequest(loaded, { cwd, request: "req-00000042", releases: lookup });
 * report.replay.reproduces; // true
 * report.record?.pull?.approvers; // ["octocat"]
 */
export async function auditRequest(loaded: LoadedManifest, options: AuditOptions): Promise<AuditReport> {
  const logged = await findLoggedRequest(loaded, options);
  const release = await options.releases(logged.version);
  const replay = await replayPrediction(loaded, logged, release.model.path);
  const asset = async <T>(
    name: string,
    schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  ): Promise<T | undefined> => {
    const text = await release.readAsset(name);
    if (text === undefined) return undefined;
    let parsed: { success: true; data: T } | { success: false };
    try {
      parsed = schema.safeParse(JSON.parse(text));
    } catch {
      parsed = { success: false };
    }
    if (!parsed.success) {
      throw new UserError(
        `the ${name} attached to the release ${release.name} is not a gauntlet result file`,
        {
          file: name,
          fix: `re-attach the ${name} promote wrote for ${release.tag}, or remove the asset`,
        },
      );
    }
    return parsed.data;
  };
  return {
    request: {
      id: logged.id,
      source: logged.source,
      row: logged.row,
      timestamp: logged.timestamp,
      version: logged.version,
      score: logged.score,
      inputs: logged.inputs,
    },
    release: {
      tag: release.tag,
      name: release.name,
      commit: release.commit,
      artefact: { name: release.model.asset, sha256: replay.modelSha256 },
    },
    replay: {
      replayed: replay.replayed,
      diff: replay.diff,
      tolerance: replay.tolerance,
      reproduces: replay.reproduces,
    },
    record: readReleaseRecord(release.body),
    gate: await asset("gate.json", cardGateSchema),
    evaluation: await asset("evaluation.json", cardEvaluationSchema),
    headline: loaded.manifest.evaluation?.metrics[0],
  };
}

import {
  type CanaryResult,
  evaluateCanary,
  inputRef,
  type Manifest,
  type Rollout,
  renderCanaryReport,
  UserError,
} from "@gauntlet/core";
import type { LoadedManifest } from "../load-manifest.js";
import { readCanaryLog } from "./read-canary-log.js";

/** Where the rollout stands, as the registry (or the command line) says. */
export interface CanaryPosition {
  /** The stage the new version is at. */
  stage: string;
  /** The version the rest of the traffic is served by. */
  incumbent: string;
  /** When the stage began (ms since the epoch). */
  since: number;
  /** The workspace paths are relative to. */
  cwd: string;
}

/** One canary look: the result file's content and its report. */
export interface CanaryOutcome {
  manifest: Manifest;
  rollout: Rollout;
  result: CanaryResult;
  markdown: string;
}

/**
 * The `rollout:` section of a manifest, or a {@link UserError} saying how to add one.
 *
 * @example
 * rolloutOf(loaded).stages[0].stage; // "canary"
 */
export function rolloutOf({ manifest, file }: LoadedManifest): Rollout {
  if (manifest.rollout) return manifest.rollout;
  throw new UserError(`${manifest.name} has no rollout: section, so there is no canary to check`, {
    file,
    field: "rollout",
    fix: "add rollout: with log, stages (ending at production) and checks, see docs/manifest.md",
  });
}

/**
 * Reads the served-traffic log and decides one canary look for the manifest's version against
 * the incumbent: this is `gauntlet canary` and the `canary-check` action, minus the registry.
 *
 * @example
 * const { result } = await runCanaryCheck(loaded, { stage: "canary", incumbent: "1.3.0", since, cwd });
 * result.verdict; // "hold"
 */
export async function runCanaryCheck(
  loaded: LoadedManifest,
  position: CanaryPosition,
): Promise<CanaryOutcome> {
  const { manifest, file } = loaded;
  const rollout = rolloutOf(loaded);
  const stageIndex = rollout.stages.findIndex((s) => s.stage === position.stage);
  if (stageIndex < 0) {
    throw new UserError(`stage "${position.stage}" is not in rollout.stages`, {
      file,
      field: "rollout.stages",
      fix: `pass ${inputRef("stage")} as one of ${rollout.stages.map((s) => s.stage).join(", ")}`,
    });
  }
  requirePredictionFields(rollout, file);
  const observation = await readCanaryLog(
    rollout,
    { candidate: manifest.version, incumbent: position.incumbent.replace(/^v/, ""), since: position.since },
    { cwd: position.cwd, file },
  );
  const result = evaluateCanary({ model: manifest.name, rollout, stageIndex, observation });
  return { manifest, rollout, result, markdown: renderCanaryReport(result) };
}

/** A prediction check without the field it compares is a mistake in the manifest, not a wait. */
function requirePredictionFields(rollout: Rollout, file: string): void {
  rollout.checks.forEach((check, index) => {
    if (!("prediction" in check) || rollout.score !== undefined) return;
    if (check.prediction === "class" && rollout.class !== undefined) return;
    const needs = check.prediction === "score" ? "rollout.score" : "rollout.class or rollout.score";
    throw new UserError(
      `prediction: ${check.prediction} compares the served predictions, but ${needs} is not set`,
      {
        file,
        field: `rollout.checks[${index}]`,
        fix:
          check.prediction === "score"
            ? "set rollout.score to the log field with the served score"
            : "set rollout.class to the log field with the served class (or rollout.score and a threshold)",
      },
    );
  });
}

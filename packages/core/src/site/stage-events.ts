import { compareVersions, isVersion } from "../registry/compare-versions.js";
import type { SiteEvent } from "./site-snapshot.js";

/** A stage's alias moving to a version: a successful deployment to `<model>/<stage>`. */
export interface StageMove {
  stage: string;
  version: string;
  at: string | null;
  by: string[];
  url: string | null;
}

/**
 * The timeline events of a model's alias moves, given oldest first: a move to a lower version than
 * the stage had before is a rollback (promote's `rollback: true`, or canary-check on a failed
 * stage); any other move is a promotion. A move to the version the stage already had (a re-run)
 * adds nothing.
 *
 * @example
 * stageEvents([
 *   { stage: "production", version: "1.1.0", at: null, by: [], url: null },
 *   { stage: "production", version: "1.2.0", at: null, by: ["octocat"], url: null },
 *   { stage: "production", version: "1.1.0", at: null, by: [], url: null },
 * ]).map((e) => e.kind); // ["promoted", "promoted", "rolled back"]
 */
export function stageEvents(moves: StageMove[]): SiteEvent[] {
  const current = new Map<string, string>();
  const events: SiteEvent[] = [];
  for (const move of moves) {
    const before = current.get(move.stage);
    if (before === move.version) continue;
    const lower =
      before !== undefined &&
      isVersion(before) &&
      isVersion(move.version) &&
      compareVersions(move.version, before) < 0;
    events.push({
      kind: lower ? "rolled back" : "promoted",
      version: move.version,
      stage: move.stage,
      at: move.at,
      by: move.by,
      url: move.url,
    });
    current.set(move.stage, move.version);
  }
  return events;
}

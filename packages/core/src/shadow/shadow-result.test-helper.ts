// A shadow.json of a binary comparison for the shadow tests to vary: 100 requests, two repeated
// ids, 8% disagreement, one slice with text that must be escaped, no latency, outcomes or skew.
import { SHADOW_SCHEMA, type ShadowResult } from "./shadow-result.js";

/** The binary result with `changes` applied (shallowly). */
export function shadowResultFixture(changes: Partial<ShadowResult> = {}): ShadowResult {
  return {
    schema: SHADOW_SCHEMA,
    model: { name: "churn", version: "1.3.0", sha256: "ab" },
    champion: { path: null, sha256: null, version: null },
    log: {
      source: "logs/@everyone.jsonl",
      files: ["x"],
      rows: 100,
      compared: 100,
      duplicateIds: 2,
      missingId: 0,
      missingChampionScore: 0,
      missingChallengerScore: 0,
      otherVersions: {},
    },
    challengerScores: "logged",
    threshold: 0.5,
    status: "pass",
    recommendation: "promote to canary",
    reasons: [],
    checks: [],
    agreement: {
      n: 100,
      disagreement: 0.08,
      confusion: { bothPositive: 40, bothNegative: 52, championOnly: 5, challengerOnly: 3 },
      correlation: 0.9,
      meanAbsDiff: 0.05,
    },
    distribution: {
      psi: 0.02,
      ks: { statistic: 0.05, pValue: 0.9 },
      histogram: { labels: ["0.0–0.5", "0.5–1.0"], champion: [55, 45], challenger: [50, 50] },
    },
    slices: [{ key: { region: "<script>" }, n: 50, disagreement: 0.16, suppressed: false }],
    largestDisagreements: [{ id: "@alice", a: 0.4, b: 0.6, diff: 0.2 }],
    latency: {
      logged: { champion: null, challenger: null },
      benchmark: { champion: null, challenger: null },
    },
    outcomes: null,
    skew: { replay: null, features: null },
    notes: [],
    ...changes,
  };
}

import {
  type BehaviourTest,
  behaviourTest,
  judgeKnownCases,
  type Predictions,
  readKnownCases,
  UserError,
} from "@gauntlet/core";
import { recheckKinds } from "../shadow/shadow-models.js";
import type { BehaviourRun } from "./behaviour-run.js";
import { readRows } from "./read-rows.js";

/**
 * The known cases of `behaviour.cases` (a file of rows with the expected class, value or score
 * range), judged on each model: one test, failing cases counted; none without `cases`.
 */
export async function knownCaseTests(run: BehaviourRun): Promise<BehaviourTest[]> {
  const { spec, file, task, classes, columns, models, both, threshold, positive } = run;
  if (!spec.cases) return [];
  const tests: BehaviourTest[] = [];
  const cases = typeof spec.cases === "string" ? { path: spec.cases } : spec.cases;
  const names = {
    expected: "expected" in cases ? cases.expected : "expected",
    minScore: "min-score" in cases ? cases["min-score"] : "min_score",
    maxScore: "max-score" in cases ? cases["max-score"] : "max_score",
    id: "id" in cases ? cases.id : undefined,
  };
  const field = typeof spec.cases === "string" ? "behaviour.cases" : "behaviour.cases.path";
  const batch = await readRows(cases.path, {
    cwd: run.cwd,
    origin: { file, field },
    kinds: run.contractKinds,
  });
  if (!batch) {
    throw new UserError(`${cases.path} has no rows`, {
      file,
      field,
      fix: "write at least one known case",
    });
  }
  const known = readKnownCases(batch, names, classes, columns, { manifest: file, path: cases.path }, task);
  const kinds = new Map([...batch.columns].map(([k, c]) => [k, c.kind]));
  for (const m of models) recheckKinds(m, run.manifest.artefact, kinds);
  const scored = await both(batch);
  const judge = (s: Predictions) =>
    judgeKnownCases(batch, known, s, { threshold, classes, positive }, columns);
  tests.push(
    behaviourTest(
      { kind: "known-cases", limit: 0, unit: "failing cases" },
      judge(scored.candidate),
      scored.production ? judge(scored.production) : null,
    ),
  );
  return tests;
}

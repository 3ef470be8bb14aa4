import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { RunContext } from "../context.js";

/** The file, directly under `results-dir`, that says which run computed the results beside it. */
export const RUN_RECORD_FILE = "run.json";

const runRecordSchema = z.object({
  schema: z.literal("gauntlet/run@1"),
  repository: z.string(),
  event: z.string(),
  runId: z.number(),
  pullRequest: z.number().nullable(),
  headSha: z.string().nullable(),
});

/** Which run computed a results directory, for whoever downloads it later. */
export type RunRecord = z.infer<typeof runRecordSchema>;

/**
 * Writes `<results-dir>/run.json`: the repository, event and run that computed the results, and
 * the pull request and head commit they are for. Every action that writes pull request results
 * writes it (the same content within a run), so a results artifact always says where it came
 * from; `trusted-results` refuses an artifact whose record disagrees with the run that uploaded it.
 *
 * @example
 * await writeRunRecord("/w/.gauntlet", context);
 * // { "schema": "gauntlet/run@1", "repository": "acme/models", "event": "pull_request_target",
 * //   "runId": 4242, "pullRequest": 9, "headSha": "5e6f…" }
 */
export async function writeRunRecord(resultsDir: string, context: RunContext): Promise<void> {
  const record: RunRecord = {
    schema: "gauntlet/run@1",
    repository: `${context.repo.owner}/${context.repo.repo}`,
    event: context.eventName,
    runId: context.runId,
    pullRequest: context.pullRequest?.number ?? null,
    headSha: context.pullRequest?.headSha ?? null,
  };
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, RUN_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Why a downloaded run record does not belong to the expected run, pull request and head commit,
 * or `undefined` when it does.
 *
 * @example
 * recordMismatch(record, { repository: "acme/models", runId: 4242, event: "pull_request_target", headSha, pullRequest: 9 });
 * // "its run.json says head 0123456, not 5e6f012"
 */
export function recordMismatch(
  raw: unknown,
  expected: { repository: string; runId: number; event: string; headSha: string; pullRequest?: number },
): string | undefined {
  const parsed = runRecordSchema.safeParse(raw);
  if (!parsed.success)
    return `it has no readable ${RUN_RECORD_FILE} (gauntlet/run@1) saying which run computed it`;
  const record = parsed.data;
  const says = (what: string, got: unknown, want: unknown) =>
    `its ${RUN_RECORD_FILE} says ${what} ${String(got)}, not ${String(want)}`;
  if (record.repository.toLowerCase() !== expected.repository.toLowerCase())
    return says("repository", record.repository, expected.repository);
  if (record.runId !== expected.runId)
    return `${says("run", record.runId, expected.runId)}: results copied from another run`;
  if (record.event !== expected.event) return says("event", record.event, expected.event);
  if (record.headSha !== expected.headSha)
    return says("head", record.headSha?.slice(0, 7) ?? "none", expected.headSha.slice(0, 7));
  if (expected.pullRequest !== undefined && record.pullRequest !== expected.pullRequest)
    return says("pull request", `#${record.pullRequest ?? "none"}`, `#${expected.pullRequest}`);
  return undefined;
}

import { mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parseShardFileName, type Shard, shardFileName, UserError } from "@gauntlet/core";
import { type ResultKind, readJsonFile, resultPath } from "./result-files.js";

/** Part files a merge reads at most: as many as shards may be. */
const MAX_PARTS = 1024;

/** One shard's part file, read and schema-tag checked but otherwise untrusted. */
export interface ShardPart<T> {
  /** Path of the part file, as given (relative to the workspace when the results dir is). */
  file: string;
  shard: Shard;
  value: T;
}

/** The envelope every part file has: what it is, of which model and shard. */
export interface PartEnvelope {
  schema: string;
  model: { name: string; version: string };
  shard: Shard;
}

/**
 * Writes a shard's partial result to `<results-dir>/<model>/<kind>.part-<i>-of-<n>.json`, compact
 * (parts are read by programs, and the state inside them is large) and returns its path.
 *
 * @example
 * await writePart(".gauntlet", "churn", "evaluation", { index: 2, count: 4 }, part);
 * // ".gauntlet/churn/evaluation.part-2-of-4.json"
 */
export async function writePart(
  resultsDir: string,
  model: string,
  kind: ResultKind,
  shard: Shard,
  value: unknown,
): Promise<string> {
  const path = resultPath(resultsDir, model, kind, shard);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value)}\n`);
  return path;
}

/**
 * Reads every `<kind>.part-<i>-of-<n>.json` under `<results-dir>/<model>/` (where downloaded shard
 * artefacts land), each bounded in size, and checks that together they are one complete set: one
 * shard count, every shard from 1 to n exactly once, each file's content naming the model, kind
 * and shard its name says. `check` validates one part's content (its schema) and returns it typed;
 * `maxBytes` bounds each file (default `MAX_RESULT_BYTES`).
 * Anything else is one {@link UserError} naming the files and how to fix the run.
 *
 * @example
 * const parts = await readShardParts(".gauntlet", "churn", "evaluation", "gauntlet/evaluation-part@1", parseEvaluationPart);
 * parts.map((p) => p.file); // [".gauntlet/churn/evaluation.part-1-of-2.json", ".gauntlet/churn/evaluation.part-2-of-2.json"]
 */
export async function readShardParts<T extends PartEnvelope>(
  resultsDir: string,
  model: string,
  kind: ResultKind,
  schema: string,
  check: (value: object, file: string) => T,
  maxBytes?: number,
): Promise<ShardPart<T>[]> {
  const dir = join(resultsDir, model);
  const names = await readdir(dir).catch(() => [] as string[]);
  const found = names
    .map((name) => ({ name, shard: parseShardFileName(kind, name) }))
    .filter((f): f is { name: string; shard: Shard } => f.shard !== undefined)
    .sort((a, b) => a.shard.count - b.shard.count || a.shard.index - b.shard.index);
  const fixRun = `run every shard (shard: 1/n … n/n) and download their ${kind}.part-*.json files into ${dir} (actions/download-artifact with merge-multiple: true) before the merge`;
  if (found.length === 0) {
    throw new UserError(`no partial ${kind} results (${kind}.part-<i>-of-<n>.json) to merge`, {
      file: dir,
      fix: fixRun,
    });
  }
  if (found.length > MAX_PARTS) {
    throw new UserError(`${found.length} part files; a merge reads at most ${MAX_PARTS}`, {
      file: dir,
      fix: "remove stale part files from the results directory",
    });
  }
  const counts = [...new Set(found.map((f) => f.shard.count))];
  if (counts.length > 1) {
    const list = found.map((f) => f.name).join(", ");
    throw new UserError(
      `the part files come from runs with different shard counts (${counts.join(", ")}): ${list}`,
      {
        file: dir,
        fix: "keep only the parts of one sharded run (the same n in every shard: i/n), e.g. start the merge from a clean results directory",
      },
    );
  }
  const count = counts[0]!;
  const invalid = found.filter((f) => f.shard.index < 1 || f.shard.index > count);
  if (invalid.length > 0) {
    throw new UserError(`part file ${invalid[0]!.name} names shard ${invalid[0]!.shard.index} of ${count}`, {
      file: join(dir, invalid[0]!.name),
      fix: "shards are numbered 1 to n; remove the file and rerun the shard that should have written it",
    });
  }
  const present = new Set(found.map((f) => f.shard.index));
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !present.has(i));
  if (missing.length > 0) {
    const files = missing
      .slice(0, 5)
      .map((i) => shardFileName(kind, { index: i, count }))
      .join(", ");
    throw new UserError(
      `missing shard${missing.length > 1 ? "s" : ""} ${missing.join(", ")} of ${count}: ${files} ${missing.length > 1 ? "are" : "is"} not in ${dir}`,
      { file: dir, fix: fixRun },
    );
  }
  const parts: ShardPart<T>[] = [];
  for (const f of found) {
    const file = join(dir, f.name);
    const raw = await readJsonFile(file, maxBytes);
    const value = raw as Partial<PartEnvelope> | null;
    if (typeof value !== "object" || value === null || value.schema !== schema) {
      throw new UserError(`not a partial ${kind} result (expected "schema": "${schema}")`, {
        file,
        field: "schema",
        fix: `merge only the ${kind}.part-*.json files that the same gauntlet version wrote with shard; do not edit them`,
      });
    }
    const checked = check(value, file);
    if (checked.shard?.index !== f.shard.index || checked.shard.count !== f.shard.count) {
      throw new UserError(
        `the file is named shard ${f.shard.index} of ${f.shard.count} but holds shard ${checked.shard?.index} of ${checked.shard?.count}`,
        { file, field: "shard", fix: "do not rename part files; rerun the shard to write its own" },
      );
    }
    if (checked.model?.name !== model) {
      throw new UserError(`the part is of model '${checked.model?.name}', not '${model}'`, {
        file,
        field: "model.name",
        fix: `keep only ${model}'s parts under ${dir}`,
      });
    }
    parts.push({ file, shard: f.shard, value: checked });
  }
  return parts;
}

/**
 * Checks that every part agrees with the first on `pick` (model identity, settings): a part of
 * another model version or other settings is a {@link UserError} naming both files and what differs.
 *
 * @example
 * requireSame(parts, "model", (p) => p.model); // throws when shard 3 scored another artefact
 */
export function requireSame<T>(
  parts: readonly ShardPart<T>[],
  what: string,
  pick: (value: T) => unknown,
  fix = "rerun every shard from the same commit and manifest, then merge",
): void {
  const first = parts[0]!;
  const expected = JSON.stringify(pick(first.value));
  for (const part of parts.slice(1)) {
    if (JSON.stringify(pick(part.value)) === expected) continue;
    throw new UserError(`the parts disagree on ${what}: ${first.file} and ${part.file} differ`, {
      file: part.file,
      field: what,
      fix,
    });
  }
}

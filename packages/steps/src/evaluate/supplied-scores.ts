import { type ColumnKind, type Manifest, type SuppliedPredictions, UserError } from "@gauntlet/core";
import { type KeyedTable, resolveDataPaths } from "@gauntlet/data";
import { sha256File } from "@gauntlet/model";
import { openPredictionsFile } from "./predictions-file.js";
import { type ScoreRole, type SuppliedScorer, suppliedScorer } from "./supplied-scorer.js";

/** The supplied scores of an evaluation: candidate, baseline when named, and what `evaluation.json` records. */
export interface SuppliedScores {
  candidate: SuppliedScorer;
  baseline: SuppliedScorer | undefined;
  /** Index of `artefact.positive` among `artefact.classes` (binary). */
  positiveIndex: number | undefined;
  record: SuppliedPredictions;
  close(): Promise<void>;
}

/** What {@link openSuppliedScores} needs. */
export interface SuppliedOptions {
  cwd: string;
  manifestFile: string;
  /** The evaluation data (file or glob) being read. */
  data: string;
  /** The evaluation data's columns and kinds (at least the predictions' and key columns). */
  columns: ReadonlyMap<string, ColumnKind>;
}

/**
 * Opens `evaluation.predictions`: score columns of the evaluation data itself, or of a predictions
 * file joined to it by key in DuckDB (`loadKeyedTable`). Before any row is scored it checks that
 * every named column exists and, for a file, that no key is duplicated, null or paired with a
 * non-number; while scoring it counts evaluation rows with no predictions, null scores,
 * probabilities outside [0, 1] and class probabilities that do not sum to 1 (within
 * `PROBABILITY_SUM_TOLERANCE`), each a {@link UserError} from `finish`. Records the SHA-256
 * of every file the scores came from.
 *
 * @example
 * const supplied = await openSuppliedScores(manifest, { cwd, manifestFile, data: "data/eval.csv", columns });
 * await supplied.candidate.score(batch); // Float64Array of positive-class scores
 * supplied.record.files; // [{ path: "models/churn/predictions.csv", sha256: "9f86d0…" }]
 */
export async function openSuppliedScores(
  manifest: Manifest,
  options: SuppliedOptions,
): Promise<SuppliedScores> {
  const spec = manifest.evaluation!.predictions!;
  const file = options.manifestFile;
  const task = manifest.task;
  const classes = manifest.artefact.classes;
  const positiveIndex =
    task === "binary" && classes && manifest.artefact.positive !== undefined
      ? classes.indexOf(manifest.artefact.positive)
      : undefined;
  const roles: ScoreRole[] = (["candidate", "baseline"] as const).flatMap((role) => {
    const named = spec[role];
    return named === undefined ? [] : [{ role, columns: typeof named === "string" ? [named] : named }];
  });
  const keys = spec.file
    ? (() => {
        const key = spec.key ?? manifest.data?.key;
        return typeof key === "string" ? [key] : [...(key ?? [])];
      })()
    : [];
  const keyField = spec.key !== undefined ? "evaluation.predictions.key" : "data.key";
  let table: KeyedTable | undefined;
  let source: string;
  if (spec.file) {
    table = await openPredictionsFile(spec.file, { ...options, keys, keyField, roles });
    source = spec.file;
  } else {
    for (const { role, columns } of roles) {
      const missing = columns.filter((c) => !options.columns.has(c));
      if (missing.length === 0) continue;
      throw new UserError(
        `the evaluation data ${options.data} has no column ${missing.map((c) => `"${c}"`).join(", ")} (${role} scores); its columns include ${[...options.columns.keys()].slice(0, 30).join(", ")}`,
        {
          file,
          field: `evaluation.predictions.${role}`,
          fix: "name the score columns the evaluation data holds, or set evaluation.predictions.file to the file that holds them",
        },
      );
    }
    source = options.data;
  }
  const where = { file, field: spec.file ? "evaluation.predictions.file" : "evaluation.data" };
  const record: SuppliedPredictions = {
    source,
    files: await Promise.all(
      (await resolveDataPaths(source, options.cwd, where)).map(async (f) => ({
        path: f.display,
        sha256: await sha256File(f.path, where),
      })),
    ),
    key: spec.file ? keys : null,
    candidate: roles[0]!.columns,
    baseline: roles[1]?.columns ?? null,
  };
  const offset = roles.map((_, r) => roles.slice(0, r).reduce((n, x) => n + x.columns.length, 0));
  const scorers = roles.map(({ role, columns }, r) =>
    suppliedScorer({
      role,
      columns,
      task,
      positiveIndex,
      manifestFile: file,
      ...(table && spec.file
        ? {
            table: {
              table,
              keys,
              offset: offset[r]!,
              count: roles.reduce((n, x) => n + x.columns.length, 0),
              file: spec.file,
            },
          }
        : {}),
    }),
  );
  return {
    candidate: scorers[0]!,
    baseline: scorers[1],
    positiveIndex,
    record,
    close: async () => {
      await table?.close();
    },
  };
}

import {
  type ColumnKind,
  compareProfiles,
  createContractValidator,
  createProfileBuilder,
  driftChecks,
  featuresAtTop,
  inputRef,
  kindsFromContract,
  LISTED,
  type Manifest,
  nestedUnder,
  nestingObject,
  renderReferenceDrift,
  renderValidationSection,
  UserError,
  type ValidationResult,
  validateSummary,
  worstStatus,
} from "@gauntlet/core";
import { readTable, summariseTable } from "@gauntlet/data";
import type { LoadedManifest } from "./load-manifest.js";
import { noRows } from "./no-rows.js";
import { loadReference } from "./reference/load-reference.js";

/** What {@link validateData} needs besides the manifest. */
export interface ValidateOptions {
  /** The workspace (repository root): manifest paths are relative to it. */
  cwd: string;
  /** The data file or glob; defaults to the manifest's `evaluation.data`. */
  data?: string | undefined;
  /**
   * The object of nested rows (a prediction log) that holds the features, e.g. `inputs`: its
   * fields are checked as the contract's columns (`inputs.age` as `age`), as `shadow.features`
   * and `monitoring.features` read them. Unset: rows are flat.
   */
  features?: string | undefined;
  /** The clock, for `max-age` freshness. */
  now: Date;
  /**
   * A reference data file (or glob) or profile.json: every column is also compared with it for
   * drift, as `drift` checks in the result and a section of the report.
   */
  reference?: string | undefined;
}

/** The outcome of one model's validation: the result file's content and its report section. */
export interface ValidateOutcome {
  manifest: Manifest;
  result: ValidationResult;
  markdown: string;
}

/**
 * Checks the data against the manifest's `data:` contract. This is `gauntlet validate` and the
 * `validate-data` action, minus publishing. One file is checked inside DuckDB by aggregate
 * queries ({@link summariseTable}); a glob of several files, a reference to compare with, nested
 * features, or cells only gauntlet's parsers read (`NaN`) stream the rows through the validator
 * instead. Both give the same result.
 *
 * @example
 * const { result } = await validateData(await loadManifest("models/churn/model.yml", cwd), { cwd, now: new Date() });
 * result.status; // "pass"
 */
export async function validateData(
  loaded: LoadedManifest,
  options: ValidateOptions,
): Promise<ValidateOutcome> {
  const { manifest, file } = loaded;
  const contract = manifest.data;
  if (!contract) {
    throw new UserError("there is no data contract to check", {
      file,
      field: "data",
      fix: "add a data: section (key, rows, columns with their types and limits) to the manifest",
    });
  }
  const data = options.data ?? manifest.evaluation?.data;
  if (!data) {
    throw new UserError("no data to check", {
      file,
      field: "evaluation.data",
      fix: `pass ${inputRef("data")} (a file or glob), or set evaluation.data in the manifest`,
    });
  }
  const model = { name: manifest.name, version: manifest.version };
  const origin = { file, field: options.data === undefined ? "evaluation.data" : inputRef("data") };
  const { features } = options;
  const kinds = kindsFromContract(contract);
  if (options.reference === undefined && features === undefined) {
    const summary = await summariseTable(data, contract, { cwd: options.cwd, origin, kinds }, LISTED);
    if (summary) {
      const present = [...summary.columns].filter(([, column]) => column.filesMissing.length === 0);
      checkNesting(Object.keys(contract.columns), new Set(present.map(([name]) => name)), {
        data,
        features,
        file,
      });
      const result = validateSummary(contract, summary, { now: options.now, model });
      return { manifest, result, markdown: renderValidationSection(result) };
    }
  }
  const validator = createContractValidator(contract, { now: options.now, model });
  const reference = options.reference
    ? await loadReference(options.reference, { cwd: options.cwd, manifest })
    : undefined;
  const current = reference ? createProfileBuilder({ reference: reference.profile }) : undefined;
  const seen = new Set<string>();
  for await (const read of readTable(data, {
    cwd: options.cwd,
    origin,
    kinds: features ? prefixed(kinds, features) : kinds,
  })) {
    for (const name of read.columns.keys()) seen.add(name);
    const batch = features ? featuresAtTop(read, features) : read;
    validator.add(batch);
    current?.add(batch);
  }
  checkNesting(Object.keys(contract.columns), seen, { data, features, file });
  const result = validator.finish();
  if (result.data.rows === 0) {
    // Every check would pass or skip on nothing; an export that wrote only the header is a mistake.
    throw new UserError(`the data ${noRows(data)}`, {
      file,
      ...(options.data === undefined ? { field: "evaluation.data" } : {}),
      fix: `point ${options.data === undefined ? "evaluation.data" : inputRef("data")} at a file with rows: a header alone has nothing to check`,
    });
  }
  if (!reference || !current || options.reference === undefined) {
    return { manifest, result, markdown: renderValidationSection(result) };
  }
  const profile = current.finish();
  // The key is unique per row by design, so its "drift" says nothing about the data; a release
  // profile's prediction column is the model's output, which data files do not have.
  const prediction = reference.profile.prediction?.column;
  const columns = compareProfiles(reference.profile, profile, {
    columns: Object.entries(reference.profile.columns)
      .filter(([name, p]) => p.kind !== "timestamp" && name !== contract.key && name !== prediction)
      .map(([name]) => name),
  });
  const merged = withChecks(result, driftChecks(columns, null, profile.rows));
  const markdown = `${renderValidationSection(merged)}\n\n${renderReferenceDrift(columns, options.reference)}`;
  return { manifest, result: merged, markdown };
}

/** Kinds by the names nested data gives the columns: `inputs.age` for `age`. */
function prefixed(kinds: Record<string, ColumnKind>, features: string): Record<string, ColumnKind> {
  return Object.fromEntries(
    Object.entries(kinds).flatMap(([name, kind]) => [
      [name, kind],
      [`${features}.${name}`, kind],
    ]),
  );
}

/**
 * Data whose rows nest the contract's columns under an object would report every column
 * missing: when `features` is unset and one object holds them all, or when `features` names an
 * object the data does not have, that is one error saying what to set.
 */
function checkNesting(
  declared: string[],
  seen: ReadonlySet<string>,
  where: { data: string; features: string | undefined; file: string },
): void {
  if (declared.length === 0 || seen.size === 0) return;
  const { data, features, file } = where;
  if (features !== undefined) {
    if (nestedUnder(features, seen, 1).length > 0) return;
    const holder = nestingObject(declared, seen);
    throw new UserError(`the data ${data} has no object "${features}" holding the features`, {
      file,
      field: inputRef("features"),
      fix: holder
        ? `set ${inputRef("features")} to ${holder}, the object that holds them (e.g. ${holder}.${declared[0]})`
        : `set ${inputRef("features")} to the object of each row that holds the features, or leave it unset for flat rows`,
    });
  }
  if (declared.some((name) => seen.has(name))) return;
  const holder = nestingObject(declared, seen);
  if (holder === undefined) return;
  throw new UserError(
    `none of the ${declared.length} contract columns is a column of ${data}: its rows nest them under "${holder}" (e.g. ${holder}.${declared[0]})`,
    {
      file,
      field: "data.columns",
      fix: `set ${inputRef("features")} to ${holder} to check its fields as the contract's columns`,
    },
  );
}

/** The result with extra checks merged in, its status and summary recomputed. */
function withChecks(result: ValidationResult, extra: ValidationResult["checks"]): ValidationResult {
  const checks = [...result.checks, ...extra];
  const summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) summary[check.status] += 1;
  return { ...result, checks, summary, status: worstStatus(checks.map((c) => c.status)) };
}

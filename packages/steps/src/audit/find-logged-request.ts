import {
  type Batch,
  type Column,
  type ColumnKind,
  cellValueText,
  inputRef,
  selectRows,
  UserError,
} from "@gauntlet/core";
import { readTable, readTableSchema } from "@gauntlet/data";
import type { LoadedManifest } from "../load-manifest.js";

/** One logged prediction, found by its request id. */
export interface LoggedRequest {
  id: string;
  /** The log file and its data row (1-based), for the report and for errors. */
  source: string;
  row: number;
  /** The model version that served it (`monitoring.version-field`). */
  version: string;
  /** When it was served, as ISO text, when `monitoring.timestamp` is logged. */
  timestamp: string | undefined;
  /** The served score (`monitoring.score`). */
  score: number;
  /** The logged inputs under their plain names, as the model is fed them. */
  inputs: Record<string, number | string | boolean | null>;
  /** The same inputs as a one-row batch, ready to score. */
  batch: Batch;
}

/** What {@link findLoggedRequest} looks for. */
export interface FindRequestOptions {
  cwd: string;
  request: string;
  /** `YYYY-MM-DD` (UTC): only a request served that day; needed when an id repeats across days. */
  date?: string | undefined;
  /** The log file or glob (default `monitoring.predictions`). */
  log?: string | undefined;
}

type Monitoring = NonNullable<LoadedManifest["manifest"]["monitoring"]>;

/**
 * Finds one request in the prediction logs that `monitoring:` describes, streaming the log
 * through the DuckDB reader: its served version, time, score and inputs. An id that is not logged,
 * or logged more than once (on different days, or twice the same day), is a {@link UserError}
 * saying how to pick it (`--date`).
 *
 * @example
 * const logged = await findLoggedRequest(loaded, { cwd, request: "req-00000042" });
 * logged.version; // "1.2.0"
 * logged.inputs; // { tenure_months: 7, region: "AE", ... }
 */
export async function findLoggedRequest(
  loaded: LoadedManifest,
  options: FindRequestOptions,
): Promise<LoggedRequest> {
  const { manifest, file } = loaded;
  const monitoring = requireMonitoring(loaded);
  if (options.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.date)) {
    throw new UserError(`expected a day as YYYY-MM-DD, got '${options.date}'`, {
      field: "--date",
      fix: "pass the UTC day the request was served, e.g. --date 2025-05-31",
    });
  }
  const log = options.log ?? monitoring.predictions;
  const origin = { file, field: options.log === undefined ? "monitoring.predictions" : inputRef("log") };
  const prefix = monitoring.features;
  const logged = (column: string) => (prefix ? `${prefix}.${column}` : column);
  const contractKinds: Record<string, ColumnKind> = manifest.data
    ? Object.fromEntries(Object.entries(manifest.data.columns).map(([k, c]) => [logged(k), c.type]))
    : {};
  const fields = {
    id: monitoring.id!,
    score: monitoring.score!,
    version: monitoring["version-field"]!,
    timestamp: monitoring.timestamp,
  };
  const kinds: Record<string, ColumnKind> = {
    ...contractKinds,
    [fields.id]: "category",
    [fields.version]: "category",
    [fields.score]: "number",
    ...(fields.timestamp ? { [fields.timestamp]: "timestamp" } : {}),
  };
  const schema = await readTableSchema(log, { cwd: options.cwd, kinds, origin });
  const own = new Set([fields.id, fields.score, fields.version, fields.timestamp, monitoring.outcome]);
  // The inputs: every field under `features` (or every other top-level field when it is unset).
  const features = new Map<string, string>();
  for (const { name } of schema) {
    if (prefix) {
      if (name.startsWith(`${prefix}.`)) features.set(name, name.slice(prefix.length + 1));
    } else if (!own.has(name)) features.set(name, name);
  }
  const matches: LoggedRequest[] = [];
  const columns = [fields.id, fields.score, fields.version, ...(fields.timestamp ? [fields.timestamp] : [])];
  for await (const batch of readTable(log, {
    cwd: options.cwd,
    origin,
    kinds,
    columns: [...columns, ...features.keys()],
  })) {
    const id = batch.columns.get(fields.id);
    if (!id) continue;
    for (let i = 0; i < batch.length; i++) {
      if (cellValueText(id, i) !== options.request) continue;
      const time = fields.timestamp ? batch.columns.get(fields.timestamp) : undefined;
      const timestamp = time ? cellValueText(time, i) : undefined;
      if (options.date !== undefined && !timestamp?.startsWith(options.date)) continue;
      const one = selectRows(batch, Uint32Array.of(i), features);
      const version = batch.columns.get(fields.version);
      const score = batch.columns.get(fields.score);
      matches.push({
        id: options.request,
        source: batch.source,
        row: batch.firstRow + i,
        version: (version && cellValueText(version, i)) ?? "",
        timestamp,
        score: score && score.kind === "number" && !score.nulls[i] ? score.values[i]! : Number.NaN,
        inputs: Object.fromEntries([...one.columns].map(([name, column]) => [name, value(column, 0)])),
        batch: one,
      });
    }
  }
  return onlyMatch(matches, { ...options, log, file, field: origin.field });
}

function requireMonitoring(loaded: LoadedManifest): Monitoring {
  const { manifest, file } = loaded;
  const monitoring = manifest.monitoring;
  if (!monitoring) {
    throw new UserError("an audit reads the prediction logs that monitoring: describes, and there is none", {
      file,
      field: "monitoring",
      fix: "add monitoring: with predictions, id, score and version-field (docs/manifest.md)",
    });
  }
  const missing = (["id", "score", "version-field"] as const).filter((f) => !monitoring[f]);
  if (missing.length > 0) {
    throw new UserError(
      `an audit needs to know which logged field holds the request id, the served score and the model version; monitoring.${missing[0]} is not set`,
      {
        file,
        field: `monitoring.${missing[0]}`,
        fix: "set monitoring.id, monitoring.score and monitoring.version-field to the logged fields, e.g. id: request_id, score: score, version-field: model_version",
      },
    );
  }
  return monitoring;
}

function onlyMatch(
  matches: LoggedRequest[],
  options: FindRequestOptions & { log: string; file: string; field: string },
): LoggedRequest {
  const on = options.date === undefined ? "" : ` on ${options.date}`;
  if (matches.length === 0) {
    throw new UserError(`request ${options.request} is not in the prediction log ${options.log}${on}`, {
      file: options.file,
      field: options.field,
      fix: `check the request id${options.date === undefined ? "" : " and the day"}, or point --log at the log that holds it`,
    });
  }
  if (matches.length > 1) {
    const where = matches
      .slice(0, 5)
      .map((m) => `${m.source} row ${m.row}${m.timestamp ? ` at ${m.timestamp}` : ""}`)
      .join("; ");
    throw new UserError(`request ${options.request} is logged ${matches.length} times${on}: ${where}`, {
      field: "--date",
      fix:
        options.date === undefined
          ? "pass --date YYYY-MM-DD to pick the day it was served"
          : "the log repeats this id on that day; deduplicate the log, or audit with --log pointing at one file",
    });
  }
  const found = matches[0]!;
  if (found.version === "") {
    throw new UserError(
      `request ${options.request} (${found.source} row ${found.row}) has no model version logged`,
      {
        file: options.file,
        field: "monitoring.version-field",
        fix: "log the serving model's version with every prediction, in the field monitoring.version-field names",
      },
    );
  }
  if (!Number.isFinite(found.score)) {
    throw new UserError(
      `request ${options.request} (${found.source} row ${found.row}) has no numeric served score`,
      {
        file: options.file,
        field: "monitoring.score",
        fix: "point monitoring.score at the field holding the served score, logged as a number",
      },
    );
  }
  return found;
}

function value(column: Column, i: number): number | string | boolean | null {
  if (column.nulls[i]) return null;
  if (column.kind === "number") return Number.isNaN(column.values[i]!) ? null : column.values[i]!;
  if (column.kind === "boolean") return column.values[i] === 1;
  return cellValueText(column, i) ?? null;
}

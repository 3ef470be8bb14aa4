import { UserError } from "@gauntlet/core";

/**
 * The file formats gauntlet reads.
 *
 * @example
 * const format: DataFormat = detectFormat("logs/day.ndjson"); // "jsonl"
 */
export type DataFormat = "csv" | "jsonl" | "parquet";

const byExtension: Record<string, DataFormat> = {
  ".csv": "csv",
  ".tsv": "csv",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".jsonlines": "jsonl",
  ".parquet": "parquet",
  ".pq": "parquet",
};

/**
 * The format of a data file, from its extension (case-insensitive): `.csv` and `.tsv` (tab
 * separated) are CSV; `.jsonl`, `.ndjson` and `.jsonlines` are JSON Lines; `.parquet` and `.pq`
 * are Parquet. Anything else is a {@link UserError} that says how to get a supported file.
 *
 * @example
 * detectFormat("data/eval.csv"); // "csv"
 * detectFormat("logs/2024-05-01.ndjson"); // "jsonl"
 * detectFormat("data/eval.xlsx"); // throws UserError
 */
export function detectFormat(path: string): DataFormat {
  const compression = compressionOf(path);
  const lower = path
    .toLowerCase()
    .slice(0, compression === "gzip" ? -3 : compression === "zstd" ? -4 : undefined);
  const dot = lower.lastIndexOf(".");
  const extension = dot > lower.lastIndexOf("/") ? lower.slice(dot) : "";
  const format = byExtension[extension];
  if (format !== undefined && !(format === "parquet" && compression !== undefined)) return format;
  const named =
    compression === undefined ? extension : `${extension}${compression === "gzip" ? ".gz" : ".zst"}`;
  throw new UserError(`cannot tell the data format from the extension "${named || "(none)"}"`, {
    file: path,
    fix: fixFor(compression === undefined ? extension : ".gz"),
  });
}

/**
 * The compression a file's name declares: `gzip` for `.gz`, `zstd` for `.zst`, else undefined.
 *
 * @example
 * compressionOf("logs/day.jsonl.zst"); // "zstd"
 */
export function compressionOf(path: string): "gzip" | "zstd" | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".gz")) return "gzip";
  if (lower.endsWith(".zst")) return "zstd";
  return undefined;
}

function fixFor(extension: string): string {
  const supported =
    "use a .csv, .tsv, .jsonl, .ndjson or .parquet file (CSV, TSV and JSON Lines may be compressed: .csv.gz, .jsonl.zst)";
  if (extension === ".json") {
    return `${supported}: if the file holds one JSON object per line, rename it to .jsonl; a JSON array converts with \`jq -c '.[]' in.json > out.jsonl\``;
  }
  if ([".gz", ".zst", ".bz2", ".xz", ".zip"].includes(extension)) {
    return `${supported}: name it after its content, e.g. eval.csv.gz, or decompress it in an earlier step (Parquet files are compressed inside)`;
  }
  return supported;
}

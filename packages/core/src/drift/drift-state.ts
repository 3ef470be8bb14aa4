import * as z from "zod";
import { UserError } from "../errors/user-error.js";
import { mergeProfiles } from "../profile/merge-profiles.js";
import { PROFILE_SCHEMA, type Profile } from "../profile/profile.js";
import { LABELLED_CAPACITY, type LabelledSampleState, mergeLabelledSamples } from "./realised-metrics.js";
import { SCORE_BINS } from "./score-tally.js";
import { mergeScoreTallyStates, type ScoreTallyState } from "./score-tally-state.js";

/** Schema tag of a drift monitor's state. */
export const DRIFT_STATE_SCHEMA = "gauntlet/drift-state@1";

/** One window of a {@link DriftState}: its profile on the reference's bin edges and its score tally. */
export interface DriftWindowState {
  /** Window start, milliseconds since the epoch (UTC-aligned). */
  start: number;
  /** The window's rows profiled on the reference's edges, without per-chunk summaries. */
  profile: Profile;
  tally: ScoreTallyState | null;
}

/**
 * Everything a drift check needs from the logs, as plain JSON, mergeable across shards: row
 * counts, per-window profiles and score tallies, and the labelled sample of the realised metrics.
 * Its size is set by windows × compared columns (about 600 numbers per numeric column and window
 * for the quantile sketch), never by the rows.
 */
export interface DriftState {
  schema: typeof DRIFT_STATE_SCHEMA;
  rows: {
    read: number;
    used: number;
    skipped: Record<string, number>;
    otherVersions: Record<string, number>;
  };
  /** Ascending by start. */
  windows: DriftWindowState[];
  labelled: LabelledSampleState | null;
}

/** Limits of {@link mergeDriftStates}, as the drift monitor has them. */
export interface MergeDriftOptions {
  /** Windows kept at most (default 400): the latest beyond it are left out and counted as skipped. */
  maxWindows?: number;
  /** Labelled rows kept for the realised metrics (default 100,000). */
  labelledCapacity?: number;
  /** Seeds the labelled-sample merge (the model name). */
  seed: string;
}

/**
 * The state of one drift check over the rows of all `states` (shards of the same logs). Row counts,
 * skip reasons, window row counts and the reference-edge bin and category counts add exactly;
 * means and score sums equal a single run's up to float rounding; quantile sketches merge within
 * their rank error (exactly while a window holds fewer values than the sketch's capacity, about
 * 200). The labelled sample is all labelled rows while they fit (100,000), else a uniform sample.
 *
 * @example
 * const merged = mergeDriftStates([shard1, shard2], { seed: "churn" });
 * merged.rows.read; // shard1.rows.read + shard2.rows.read
 */
export function mergeDriftStates(states: readonly DriftState[], options: MergeDriftOptions): DriftState {
  const add = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
  };
  const skipped: Record<string, number> = {};
  const otherVersions: Record<string, number> = {};
  const byStart = new Map<number, DriftWindowState[]>();
  let read = 0;
  let used = 0;
  for (const state of states) {
    read += state.rows.read;
    used += state.rows.used;
    add(skipped, state.rows.skipped);
    add(otherVersions, state.rows.otherVersions);
    for (const w of state.windows) byStart.set(w.start, [...(byStart.get(w.start) ?? []), w]);
  }
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  const maxWindows = options.maxWindows ?? 400;
  const windows: DriftWindowState[] = [];
  for (const [i, start] of starts.entries()) {
    const parts = byStart.get(start)!;
    const profile = parts.map((w) => w.profile).reduce((a, b) => stripChunks(mergeProfiles(a, b)));
    if (i >= maxWindows) {
      add(skipped, { "beyond the window limit": profile.rows });
      used -= profile.rows;
      continue;
    }
    const tallies = parts.flatMap((w) => (w.tally ? [w.tally] : []));
    windows.push({ start, profile, tally: tallies.length > 0 ? mergeScoreTallyStates(tallies) : null });
  }
  const samples = states.flatMap((s) => (s.labelled ? [s.labelled] : []));
  return {
    schema: DRIFT_STATE_SCHEMA,
    rows: { read, used, skipped, otherVersions },
    windows,
    labelled:
      samples.length > 0
        ? mergeLabelledSamples(samples, options.labelledCapacity ?? LABELLED_CAPACITY, options.seed)
        : null,
  };
}

/**
 * A profile without its per-chunk summaries. Chunks exist to derive a reference's own
 * variability; on the current side they would depend on row order (and so on sharding) and
 * dominate the state's size.
 *
 * @example
 * stripChunks(profile).columns.age.chunks; // []
 */
export function stripChunks(profile: Profile): Profile {
  const columns: Profile["columns"] = {};
  for (const [name, column] of Object.entries(profile.columns)) {
    columns[name] = column.kind === "timestamp" ? column : { ...column, chunks: [] };
  }
  return { ...profile, columns };
}

const count = z.number().int().nonnegative();
const finite = z.number().finite();
const counts = z.record(z.string(), count);
const sketch = z.object({
  k: z.number().int().min(8).max(100_000),
  n: count,
  min: finite.nullable(),
  max: finite.nullable(),
  levels: z.array(z.array(finite)).max(64),
  seed: z.number().int(),
});
const column = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("number"),
    rows: count,
    count,
    nulls: count,
    infinite: count,
    min: finite.nullable(),
    max: finite.nullable(),
    mean: finite.nullable(),
    m2: finite,
    std: finite.nullable(),
    sketch,
    bins: z.object({ edges: z.array(finite), counts: z.array(count), exact: z.boolean() }),
    chunks: z.array(sketch).max(0),
    values: z.string().optional(),
  }),
  z.object({
    kind: z.enum(["category", "boolean"]),
    rows: count,
    count,
    nulls: count,
    counts,
    other: count,
    chunks: z.array(z.object({ counts, other: count })).max(0),
  }),
  z.object({
    kind: z.literal("timestamp"),
    rows: count,
    count,
    nulls: count,
    min: finite.nullable(),
    max: finite.nullable(),
  }),
]);
const tally = z.object({
  rows: count,
  sum: finite,
  lowCount: count,
  predictedPositive: count,
  tp: finite,
  fp: finite,
  fn: finite,
  tn: finite,
  labelled: count,
  correct: count,
  thresholdBinAbove: count,
  mass: z
    .array(finite)
    .refine(
      (mass) =>
        mass.length % 3 === 0 &&
        mass.every((v, i) => i % 3 !== 0 || (Number.isInteger(v) && v >= 0 && v < SCORE_BINS)),
      "expected [bin, Σp, Σ(1 − p)] triples of score bins",
    ),
});
const stateSchema = z.object({
  schema: z.literal(DRIFT_STATE_SCHEMA),
  rows: z.object({ read: count, used: count, skipped: counts, otherVersions: counts }),
  windows: z.array(
    z.object({
      start: finite,
      profile: z.object({
        schema: z.literal(PROFILE_SCHEMA),
        model: z.object({ name: z.string(), version: z.string() }).optional(),
        rows: count,
        chunkRows: count,
        columns: z.record(z.string(), column),
      }),
      tally: tally.nullable(),
    }),
  ),
  labelled: z
    .object({ seen: count, scores: z.array(z.number().min(0).max(1)), labels: z.array(z.literal([0, 1])) })
    .nullable(),
});

/**
 * Checks an untrusted value (a shard's part file) against the {@link DriftState} schema. Anything
 * else is a {@link UserError} naming the file and the first wrong field.
 *
 * @example
 * parseDriftState(JSON.parse(text).state, ".gauntlet/churn/drift.part-1-of-4.json");
 */
export function parseDriftState(value: unknown, file: string): DriftState {
  const parsed = stateSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(
      `not a drift-check state (${issue.message} at ${issue.path.join(".") || "the top"})`,
      {
        file,
        field: ["state", ...issue.path].join("."),
        fix: "merge only the drift.part-*.json files that drift-check wrote with shard; do not edit them",
      },
    );
  }
  const state = parsed.data as unknown as DriftState;
  for (const [w, window] of state.windows.entries()) {
    for (const [name, column] of Object.entries(window.profile.columns)) {
      if (column.kind !== "number" || column.values === undefined) continue;
      const values = decodeValues(column.values as unknown as string);
      const sorted = values?.every((v, i) => Number.isFinite(v) && (i === 0 || values[i - 1]! <= v));
      if (!values || values.length !== column.count || !sorted) {
        throw new UserError(
          `not a drift-check state (the values of ${name} in window ${w} are not its ${column.count} values in order)`,
          {
            file,
            field: `state.windows.${w}.profile.columns.${name}.values`,
            fix: "merge only the drift.part-*.json files that drift-check wrote with shard; do not edit them",
          },
        );
      }
      column.values = values;
    }
  }
  return state;
}

/** A {@link DriftState} with its kept values as base64 text: what {@link encodeDriftState} returns. */
export type EncodedDriftState = Omit<DriftState, "windows"> & {
  windows: (Omit<DriftWindowState, "profile"> & { profile: object })[];
};

/**
 * A {@link DriftState} as a part file holds it: each kept value array as base64 of its
 * little-endian bytes (8 bytes a value, about 10.7 characters), so every value comes back bit for
 * bit and the merge computes the statistics a single run does. {@link parseDriftState} reads it
 * back.
 *
 * @example
 * JSON.stringify(encodeDriftState(monitor.state())); // windows[i].profile.columns.age.values: "AAAAAAAA8D8…"
 */
export function encodeDriftState(state: DriftState): EncodedDriftState {
  return {
    ...state,
    windows: state.windows.map((w) => {
      const columns: Record<string, object> = {};
      for (const [name, column] of Object.entries(w.profile.columns)) {
        columns[name] =
          column.kind === "number" && column.values
            ? { ...column, values: encodeValues(column.values) }
            : column;
      }
      return { ...w, profile: { ...w.profile, columns } };
    }),
  };
}

function encodeValues(values: Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("base64");
}

function decodeValues(text: string): Float64Array | null {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % 8 !== 0) return null;
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

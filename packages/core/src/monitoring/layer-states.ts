import * as z from "zod";
import {
  DRIFT_STATE_SCHEMA,
  type DriftState,
  encodeDriftState,
  parseDriftState,
  stripChunks,
} from "../drift/drift-state.js";
import { UserError } from "../errors/user-error.js";
import { mergeProfiles } from "../profile/merge-profiles.js";
import type { Profile } from "../profile/profile.js";
import { type ClassProbabilityWindowState, mergeClassProbabilityWindows } from "./class-probability-tally.js";
import type { KpiWindowState } from "./kpi-tally.js";
import type { OperationsState } from "./operations-tally.js";
import { mergePredictionWindows, type PredictionWindowState } from "./prediction-tally.js";

/** One window of reconstruction errors: rows and the sum of their errors. */
export interface ReconstructionWindowState {
  start: number;
  rows: number;
  sum: number;
}

/** One segment's counts: its rows, per-window profiles and realised accuracy, and its own layers. */
export interface SegmentCounts {
  slice: string;
  value: string;
  rows: number;
  /** In time order. */
  windows: { start: number; profile: Profile }[];
  accuracy: { start: number; labelled: number; correct: number }[];
  layers: Pick<LayerStates, "operations" | "prediction" | "kpis">;
}

/** What a segment monitor counted: the slices the logs had, and every segment's counts. */
export interface SegmentMonitorState {
  seen: string[];
  segments: SegmentCounts[];
}

/**
 * What the monitoring layers besides drift have counted, per window: the part of a sharded drift
 * check that its merge needs to give one run's result.
 */
export interface LayerStates {
  operations?: OperationsState | undefined;
  prediction?: PredictionWindowState[] | undefined;
  /** Multiclass models with `monitoring.probabilities`: the class probabilities the estimate reads. */
  estimate?: ClassProbabilityWindowState[] | undefined;
  kpis?: KpiWindowState[] | undefined;
  multivariate?: ReconstructionWindowState[] | undefined;
  segments?: SegmentMonitorState | undefined;
}

/**
 * Adds the layer states of disjoint sets of rows (shards) window by window. Counts and the sorted
 * latencies are exactly one run's; KPI and reconstruction-error sums are added in another order,
 * so they agree to the last few bits, not bit for bit.
 *
 * @example
 * mergeLayerStates([{ prediction: [{ start: 0, scored: 3, lowConfidence: 1, classes: { positive: 3 } }] },
 *   { prediction: [{ start: 0, scored: 2, lowConfidence: 0, classes: { negative: 2 } }] }]).prediction;
 * // [{ start: 0, scored: 5, lowConfidence: 1, classes: { positive: 3, negative: 2 } }]
 */
export function mergeLayerStates(states: readonly LayerStates[]): LayerStates {
  const out: LayerStates = {};
  const operations = states.flatMap((s) => (s.operations ? [s.operations] : []));
  if (operations.length > 0) {
    const windows = byStart(
      operations.flatMap((o) => o.windows),
      (a, b) => ({
        start: a.start,
        rows: a.rows + b.rows,
        latencies: concat(a.latencies, b.latencies),
        errorRows: a.errorRows + b.errorRows,
        errors: a.errors + b.errors,
      }),
    );
    for (const w of windows) w.latencies.sort();
    out.operations = {
      windows,
      seen: {
        latency: operations.some((o) => o.seen.latency),
        error: operations.some((o) => o.seen.error),
      },
    };
  }
  if (states.some((s) => s.prediction))
    out.prediction = mergePredictionWindows(states.flatMap((s) => s.prediction ?? []));
  // Whole counts: the merged estimate is the single run's exactly.
  if (states.some((s) => s.estimate))
    out.estimate = byStart(
      states.flatMap((s) => s.estimate ?? []),
      mergeClassProbabilityWindows,
    );
  if (states.some((s) => s.kpis))
    out.kpis = byStart(
      states.flatMap((s) => s.kpis ?? []),
      (a, b) => {
        const kpis = { ...a.kpis };
        for (const [name, k] of Object.entries(b.kpis)) {
          const x = kpis[name] ?? { n: 0, sum: 0, sumSquares: 0 };
          kpis[name] = { n: x.n + k.n, sum: x.sum + k.sum, sumSquares: x.sumSquares + k.sumSquares };
        }
        return { start: a.start, rows: a.rows + b.rows, kpis };
      },
    );
  if (states.some((s) => s.multivariate))
    out.multivariate = byStart(
      states.flatMap((s) => s.multivariate ?? []),
      (a, b) => ({ start: a.start, rows: a.rows + b.rows, sum: a.sum + b.sum }),
    );
  const segments = states.flatMap((s) => (s.segments ? [s.segments] : []));
  if (segments.length > 0) out.segments = mergeSegments(segments);
  return out;
}

/** Segments of the same slice and value added: rows, window profiles (merged), accuracy, layers. */
function mergeSegments(states: readonly SegmentMonitorState[]): SegmentMonitorState {
  const merged = new Map<string, SegmentCounts>();
  for (const segment of states.flatMap((s) => s.segments)) {
    const key = JSON.stringify([segment.slice, segment.value]);
    const seen = merged.get(key);
    merged.set(
      key,
      seen
        ? {
            slice: seen.slice,
            value: seen.value,
            rows: seen.rows + segment.rows,
            windows: byStart([...seen.windows, ...segment.windows], (a, b) => ({
              start: a.start,
              profile: stripChunks(mergeProfiles(a.profile, b.profile)),
            })),
            accuracy: byStart([...seen.accuracy, ...segment.accuracy], (a, b) => ({
              start: a.start,
              labelled: a.labelled + b.labelled,
              correct: a.correct + b.correct,
            })),
            layers: mergeLayerStates([seen.layers, segment.layers]),
          }
        : segment,
    );
  }
  const order = [...new Set(states.flatMap((s) => s.seen))];
  return { seen: order, segments: [...merged.values()] };
}

/** Windows with the same start combined, in time order; the inputs are not changed. */
function byStart<T extends { start: number }>(windows: readonly T[], add: (a: T, b: T) => T): T[] {
  const merged = new Map<number, T>();
  for (const w of windows) {
    const seen = merged.get(w.start);
    merged.set(w.start, seen ? add(seen, w) : w);
  }
  return [...merged.values()].sort((a, b) => a.start - b.start);
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Layer states as JSON (latencies as plain number arrays).
 *
 * @example
 * JSON.stringify(encodeLayerStates(states)); // '{"operations":{"windows":[{"start":…,"latencies":[12,40,…]…'
 */
export function encodeLayerStates(states: LayerStates): unknown {
  return {
    ...states,
    ...(states.segments
      ? {
          segments: {
            seen: states.segments.seen,
            segments: states.segments.segments.map((seg) => ({
              ...seg,
              // The window profiles travel as a drift state's do: kept values as base64, bit for bit.
              windows: encodeDriftState(profilesAsState(seg.windows)).windows.map(({ start, profile }) => ({
                start,
                profile,
              })),
              layers: encodeLayerStates(seg.layers),
            })),
          },
        }
      : {}),
    ...(states.operations
      ? {
          operations: {
            ...states.operations,
            windows: states.operations.windows.map((w) => ({ ...w, latencies: [...w.latencies] })),
          },
        }
      : {}),
  };
}

const count = z.number().int().min(0);
const finite = z.number().refine(Number.isFinite);
const layerStatesSchema = z.object({
  operations: z
    .object({
      windows: z.array(
        z.object({
          start: finite,
          rows: count,
          latencies: z.array(z.number().min(0).refine(Number.isFinite)),
          errorRows: count,
          errors: count,
        }),
      ),
      seen: z.object({ latency: z.boolean(), error: z.boolean() }),
    })
    .optional(),
  prediction: z
    .array(
      z.object({
        start: finite,
        scored: count,
        lowConfidence: count,
        classes: z.record(z.string(), count),
        labelled: z
          .object({
            seen: count,
            predicted: z.array(z.union([z.string(), finite])),
            actual: z.array(z.union([z.string(), finite])),
          })
          .refine((l) => l.predicted.length === l.actual.length && l.actual.length <= l.seen)
          .optional(),
      }),
    )
    .optional(),
  estimate: z
    .array(
      z.object({ start: finite, rows: count, counts: z.record(z.string().regex(/^\d+:\d+:\d+$/), count) }),
    )
    .optional(),
  kpis: z
    .array(
      z.object({
        start: finite,
        rows: count,
        kpis: z.record(z.string(), z.object({ n: count, sum: finite, sumSquares: finite })),
      }),
    )
    .optional(),
  multivariate: z.array(z.object({ start: finite, rows: count, sum: finite })).optional(),
  segments: z
    .object({
      seen: z.array(z.string()),
      segments: z.array(
        z.object({
          slice: z.string(),
          value: z.string(),
          rows: count,
          windows: z.array(z.object({ start: finite, profile: z.unknown() })),
          accuracy: z.array(z.object({ start: finite, labelled: count, correct: count })),
          layers: z.unknown(),
        }),
      ),
    })
    .optional(),
});

/** Window profiles in a drift state's shape, to encode and check them as a drift state's are. */
function profilesAsState(windows: readonly { start: number; profile: Profile }[]): DriftState {
  return {
    schema: DRIFT_STATE_SCHEMA,
    rows: { read: 0, used: 0, skipped: {}, otherVersions: {} },
    windows: windows.map((w) => ({ ...w, tally: null })),
    labelled: null,
  } as unknown as DriftState;
}

/**
 * Reads layer states back from a part file (untrusted): a value of the wrong shape is a
 * {@link UserError} naming the file.
 *
 * @example
 * parseLayerStates(part.layers, "drift.part-1-of-3.json").prediction?.[0].scored; // 512
 */
export function parseLayerStates(value: unknown, file: string): LayerStates {
  const parsed = layerStatesSchema.safeParse(value ?? {});
  if (!parsed.success) {
    throw new UserError("the monitoring layers' counts in this part are not well formed", {
      file,
      fix: "merge only the drift.part-*.json files that drift-check wrote with shard; rerun the shard that wrote this one",
    });
  }
  const { operations, segments, ...rest } = parsed.data;
  return {
    ...rest,
    ...(segments
      ? {
          segments: {
            seen: segments.seen,
            segments: segments.segments.map((seg) => ({
              ...seg,
              windows: parseDriftState(
                {
                  ...(encodeDriftState(profilesAsState([])) as object),
                  windows: seg.windows.map((w) => ({ ...w, tally: null })),
                },
                file,
              ).windows.map(({ start, profile }) => ({ start, profile })),
              layers: parseLayerStates(seg.layers, file),
            })),
          },
        }
      : {}),
    ...(operations
      ? {
          operations: {
            seen: operations.seen,
            windows: operations.windows.map((w) => ({ ...w, latencies: Float64Array.from(w.latencies) })),
          },
        }
      : {}),
  };
}

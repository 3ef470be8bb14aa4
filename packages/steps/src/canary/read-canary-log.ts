import {
  type ArmSummary,
  type Batch,
  type CanaryObservation,
  type CanaryWindow,
  type Column,
  type CovariateMoments,
  GrowableDoubles,
  type Rollout,
  UserError,
  type WindowSums,
} from "@gauntlet/core";
import { readTable } from "@gauntlet/data";

/** Which versions to compare and from when. */
export interface CanaryArms {
  candidate: string;
  incumbent: string;
  /** When the stage began (ms since the epoch): earlier requests belong to an earlier stage. */
  since: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** More hourly windows than this are drawn per day instead. */
const MAX_HOURLY_WINDOWS = 48;

interface ArmAccumulator {
  requests: number;
  errorRows: number;
  errors: number;
  latencies: GrowableDoubles;
  scores: GrowableDoubles;
  outcomes: GrowableDoubles;
  kpis: Map<string, CovariateMoments>;
  served: CovariateMoments;
  classes: Map<string, number>;
  windows: Map<number, WindowSums>;
}

const noMoments = (): CovariateMoments => ({ n: 0, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 });
const noSums = (): WindowSums => ({
  requests: 0,
  errorRows: 0,
  errors: 0,
  latencyN: 0,
  latencySum: 0,
  scoreN: 0,
  scoreSum: 0,
  classes: {},
});

const emptyArm = (): ArmAccumulator => ({
  requests: 0,
  errorRows: 0,
  errors: 0,
  latencies: new GrowableDoubles(),
  scores: new GrowableDoubles(),
  outcomes: new GrowableDoubles(),
  kpis: new Map(),
  served: noMoments(),
  classes: new Map(),
  windows: new Map(),
});

/** A column's number at row i (booleans 0/1, timestamps in ms), or NaN when missing. */
function numberAt(column: Column | undefined, i: number): number {
  if (!column || column.nulls[i] === 1) return Number.NaN;
  if (column.kind === "category") return Number.NaN;
  return Number(column.values[i]);
}

/**
 * Reads the served-traffic log once through `@gauntlet/data` and sums what the canary checks need
 * per arm (requests, error flags, latencies, labelled scores, KPI and covariate moments) and per
 * time window (for the chart), counting requests whose version is neither arm's. Only requests at
 * or after `since` count. A log without the version or timestamp field is a {@link UserError}
 * naming the manifest field.
 *
 * @example
 * const obs = await readCanaryLog(rollout, { candidate: "1.4.0", incumbent: "1.3.0", since }, { cwd, file });
 * obs.candidate.requests; // 5123
 */
export async function readCanaryLog(
  rollout: Rollout,
  arms: CanaryArms,
  where: { cwd: string; file: string },
): Promise<CanaryObservation> {
  const versionField = rollout["version-field"];
  const kpis = rollout.checks.flatMap((c) => ("kpi" in c ? [{ kpi: c.kpi, covariate: c.covariate }] : []));
  const fields = [
    versionField,
    rollout.timestamp,
    rollout.latency,
    rollout.error,
    rollout.score,
    rollout.outcome,
    rollout.class,
    ...kpis.flatMap((k) => [k.kpi, k.covariate]),
  ].filter((f): f is string => f !== undefined);
  const acc = { candidate: emptyArm(), incumbent: emptyArm() };
  const unknown: Record<string, number> = {};
  let sawVersion = false;
  let sawTime = false;
  let rows = 0;
  const span = {
    first: Number.POSITIVE_INFINITY,
    last: Number.NEGATIVE_INFINITY,
    lastUnknown: Number.NEGATIVE_INFINITY,
  };
  // Without a class field, a class check sorts binary scores at its threshold.
  const classCheck = rollout.checks.find((c) => "prediction" in c && c.prediction === "class");
  const threshold = classCheck && "threshold" in classCheck ? (classCheck.threshold ?? 0.5) : 0.5;
  const scoreClasses = !rollout.class && classCheck !== undefined;
  for await (const batch of readTable(rollout.log, {
    cwd: where.cwd,
    origin: { file: where.file, field: "rollout.log" },
    columns: [...new Set(fields)],
    kinds: {
      [versionField]: "category",
      [rollout.timestamp]: "timestamp",
      ...(rollout.class ? { [rollout.class]: "category" } : {}),
    },
  })) {
    rows += batch.length;
    const version = batch.columns.get(versionField);
    const time = batch.columns.get(rollout.timestamp);
    sawVersion ||= version !== undefined;
    sawTime ||= time !== undefined;
    if (!version || !time) continue;
    addBatch(batch, { version, time, rollout, arms, acc, unknown, kpis, span, threshold, scoreClasses });
  }
  if (rows > 0 && !sawVersion) throw missingField(rollout, where.file, "version-field", versionField);
  if (rows > 0 && !sawTime) throw missingField(rollout, where.file, "timestamp", rollout.timestamp);
  return {
    candidate: finishArm(arms.candidate, acc.candidate),
    incumbent: finishArm(arms.incumbent, acc.incumbent),
    unknown,
    lastUnknown: Number.isFinite(span.lastUnknown) ? new Date(span.lastUnknown).toISOString() : null,
    // Without a known start (the command line's default), the stage began with its first request.
    stageStart: new Date(
      Number.isFinite(arms.since) ? arms.since : Number.isFinite(span.first) ? span.first : 0,
    ).toISOString(),
    lastRequest: Number.isFinite(span.last) ? new Date(span.last).toISOString() : null,
    windows: finishWindows(acc.candidate.windows, acc.incumbent.windows),
  };
}

function missingField(rollout: Rollout, file: string, field: string, name: string): UserError {
  return new UserError(`the logs ${rollout.log} have no field "${name}"`, {
    file,
    field: `rollout.${field}`,
    fix: `set rollout.${field} to the log field that holds it`,
  });
}

interface BatchContext {
  version: Column;
  time: Column;
  rollout: Rollout;
  arms: CanaryArms;
  acc: { candidate: ArmAccumulator; incumbent: ArmAccumulator };
  unknown: Record<string, number>;
  kpis: { kpi: string; covariate: string | undefined }[];
  /** The first and newest request time counted so far, and the newest of an unknown version. */
  span: { first: number; last: number; lastUnknown: number };
  /** Classes from scores (`positive` at or above the threshold) when the log has no class field. */
  scoreClasses: boolean;
  threshold: number;
}

/** Adds one batch's rows to the arms and widens `ctx.span` to their times. */
function addBatch(batch: Batch, ctx: BatchContext): void {
  const { rollout, arms } = ctx;
  const col = (name: string | undefined) => (name === undefined ? undefined : batch.columns.get(name));
  const latency = col(rollout.latency);
  const error = col(rollout.error);
  const score = col(rollout.score);
  const outcome = col(rollout.outcome);
  const served = col(rollout.class);
  const classes = served?.kind === "category" ? (served.values as string[]) : undefined;
  const kpis = ctx.kpis.map((k) => ({ name: k.kpi, y: col(k.kpi), x: col(k.covariate) }));
  const versions = ctx.version.values as string[];
  const { span } = ctx;
  for (let i = 0; i < batch.length; i++) {
    const t = numberAt(ctx.time, i);
    if (!(t >= arms.since)) continue;
    if (t > span.last) span.last = t;
    if (t < span.first) span.first = t;
    const version = ctx.version.nulls[i] === 1 ? "(missing)" : versions[i]!.replace(/^v/, "");
    const arm =
      version === arms.candidate ? ctx.acc.candidate : version === arms.incumbent ? ctx.acc.incumbent : null;
    if (!arm) {
      ctx.unknown[version] = (ctx.unknown[version] ?? 0) + 1;
      if (t > span.lastUnknown) span.lastUnknown = t;
      continue;
    }
    const key = Math.floor(t / HOUR) * HOUR;
    let w = arm.windows.get(key);
    if (!w) {
      w = noSums();
      arm.windows.set(key, w);
    }
    arm.requests++;
    w.requests++;
    const ms = numberAt(latency, i);
    if (Number.isFinite(ms)) {
      arm.latencies.push(ms);
      w.latencyN++;
      w.latencySum += ms;
    }
    const failed = numberAt(error, i);
    if (!Number.isNaN(failed)) {
      const bad = failed !== 0 ? 1 : 0;
      arm.errorRows++;
      arm.errors += bad;
      w.errorRows++;
      w.errors += bad;
    }
    const s = numberAt(score, i);
    let label: string | undefined;
    if (classes && served!.nulls[i] !== 1) label = classes[i];
    else if (ctx.scoreClasses && Number.isFinite(s)) label = s >= ctx.threshold ? "positive" : "negative";
    if (label !== undefined) {
      arm.classes.set(label, (arm.classes.get(label) ?? 0) + 1);
      w.classes[label] = (w.classes[label] ?? 0) + 1;
    }
    if (Number.isFinite(s)) {
      w.scoreN++;
      w.scoreSum += s;
      arm.served.n++;
      arm.served.sumY += s;
      arm.served.sumY2 += s * s;
      const o = numberAt(outcome, i);
      if (o === 0 || o === 1) {
        arm.scores.push(s);
        arm.outcomes.push(o);
      }
    }
    for (const k of kpis) {
      const y = numberAt(k.y, i);
      if (!Number.isFinite(y)) continue;
      const x = k.x ? numberAt(k.x, i) : 0;
      const xv = Number.isFinite(x) ? x : 0;
      let m = arm.kpis.get(k.name);
      if (!m) {
        m = noMoments();
        arm.kpis.set(k.name, m);
      }
      m.n++;
      m.sumY += y;
      m.sumY2 += y * y;
      m.sumX += xv;
      m.sumX2 += xv * xv;
      m.sumXY += xv * y;
    }
  }
}

function finishArm(version: string, acc: ArmAccumulator): ArmSummary {
  const latencies = acc.latencies.finish().sort();
  return {
    version,
    requests: acc.requests,
    errorRows: acc.errorRows,
    errors: acc.errors,
    latencies,
    scores: acc.scores.finish(),
    outcomes: Uint8Array.from(acc.outcomes.finish()),
    kpis: Object.fromEntries(acc.kpis),
    served: acc.served,
    classes: Object.fromEntries(acc.classes),
  };
}

/** Hourly windows, or daily ones when there would be more than {@link MAX_HOURLY_WINDOWS}. */
function finishWindows(
  candidate: Map<number, WindowSums>,
  incumbent: Map<number, WindowSums>,
): CanaryWindow[] {
  const keys = [...new Set([...candidate.keys(), ...incumbent.keys()])];
  if (keys.length === 0) return [];
  const span = Math.max(...keys) - Math.min(...keys);
  const width = span / HOUR + 1 > MAX_HOURLY_WINDOWS ? DAY : HOUR;
  const merged = new Map<number, CanaryWindow["arms"]>();
  const add = (into: WindowSums, from: WindowSums) => {
    for (const k of Object.keys(into) as (keyof WindowSums)[]) if (k !== "classes") into[k] += from[k];
    for (const [label, n] of Object.entries(from.classes))
      into.classes[label] = (into.classes[label] ?? 0) + n;
  };
  for (const [name, source] of [
    ["candidate", candidate],
    ["incumbent", incumbent],
  ] as const) {
    for (const [key, sums] of source) {
      const start = Math.floor(key / width) * width;
      let arms = merged.get(start);
      if (!arms) {
        arms = { candidate: noSums(), incumbent: noSums() };
        merged.set(start, arms);
      }
      add(arms[name], sums);
    }
  }
  return [...merged.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, arms]) => ({ start: new Date(start).toISOString(), arms }));
}

import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { type CommentSection, sliceText, UserError } from "@gauntlet/core";
import {
  compareShadow,
  evaluateModel,
  gateModel,
  type LoadedManifest,
  loadManifest,
  loadReference,
  localGateRefusal,
  planLocalPromotion,
  preparePromotion,
  resolveManifestPaths,
  runDriftCheck,
  validateData,
  writeResult,
} from "@gauntlet/steps";
import { assembleStickyComment, type CommentWrite } from "./demo-comment.js";
import { renderDemoIndex } from "./demo-index.js";
import { type DemoInput, generateDemoInputs } from "./demo-inputs.js";
import { localBaselineResolver, localReleaseProfile, releaseDir } from "./local-releases.js";
import {
  PRODUCTION_VERSION,
  type ProductionRelease,
  releaseProduction,
  standInCommit,
} from "./production-release.js";
import { PROMOTE_PLAN_SCHEMA, type PromotePlanResult, renderPromoteReport } from "./promote-report.js";

/** Where the demo reads and writes. */
export interface DemoOptions {
  /** The directory relative paths are resolved against (the process's working directory). */
  cwd: string;
  /** The example model repository, e.g. `examples/churn`. */
  example: string;
  /** Where every report goes, e.g. `demo-out`: created if needed, never inside the example. */
  out: string;
  /** Milliseconds clock for the timings. Default `performance.now`. */
  now?: () => number;
}

/** The steps in the order a pull request, its merge and the monitoring schedule run them. */
export type DemoStepName = "validate" | "evaluate" | "shadow" | "gate" | "promote" | "drift";

/** One step's outcome, as the summary and `index.md` show it. */
export interface DemoStep {
  name: DemoStepName;
  /** What triggers the step on GitHub. */
  when: "pull request" | "merge" | "schedule";
  /** The computed verdict: the result file's status, recommendation or level. */
  verdict: string;
  /** One line on why. */
  detail: string;
  /** Absolute paths of the Markdown report and the JSON result. */
  report: string;
  result: string;
  seconds: number;
}

/** What a demo run produced. */
export interface DemoRun {
  model: { name: string; version: string };
  manifestFile: string;
  exampleDir: string;
  outDir: string;
  production: ProductionRelease;
  inputs: DemoInput[];
  steps: DemoStep[];
  /** Absolute paths of the sticky comment, the index, and the model card. */
  comment: string;
  index: string;
  card: string;
  seconds: number;
}

const STAGE = "production";

/**
 * Runs the whole flow on the example, offline, with the same step functions as the CLI commands
 * and the actions: validate → evaluate against the production release → shadow against the
 * production model on logged traffic → gate → promote (dry run, against a described registry) →
 * drift on a drifted day of prediction logs against the production release's profile. Everything
 * beyond the committed example is generated (seeded) into `out`; every verdict is computed.
 *
 * @example
 * const run = await runDemo({ cwd: process.cwd(), example: "examples/churn", out: "demo-out" });
 * run.steps.map((s) => `${s.name}: ${s.verdict}`);
 * // ["validate: pass", "evaluate: warn", "shadow: promote to canary", "gate: fail", "promote: blocked", "drift: alert"]
 */
export async function runDemo(options: DemoOptions): Promise<DemoRun> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const exampleDir = resolve(options.cwd, options.example);
  const outDir = resolve(options.cwd, options.out);
  // Its own folders (`<out>/<model>/`, `<out>/logs/`) must not land in the example either.
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer + sep);
  if (within(outDir, exampleDir) || within(exampleDir, outDir)) {
    throw new UserError("the demo writes nothing into the example", {
      field: "--out",
      fix: `pick a folder that neither is in nor holds ${options.example}, e.g. --out demo-out`,
    });
  }
  const loaded = await loadExampleManifest(exampleDir, options.example);
  const { manifest } = loaded;
  const releasesDir = join(outDir, "releases");
  const inputs = generateDemoInputs(loaded, {
    production: join(releaseDir(releasesDir, manifest.name, PRODUCTION_VERSION), "model.onnx"),
    shadowLog: join(outDir, "logs", "shadow", "agreeing.jsonl"),
    predictions: join(outDir, "logs", "predictions", "drifted.jsonl"),
  });
  const production = await releaseProduction(loaded, {
    cwd: exampleDir,
    releasesDir,
    modelFile: inputs.production.path,
    registryFile: join(outDir, "registry.json"),
  });
  // Paths handed to the steps are relative to the example, as a workflow's are to the repository.
  const fromExample = (path: string) => relative(exampleDir, path);
  const cwd = exampleDir;
  const steps: DemoStep[] = [];
  const comment: CommentWrite[] = [];
  const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> => {
    const start = now();
    const value = await work();
    return { value, seconds: (now() - start) / 1000 };
  };
  const shown = (path: string) => relative(options.cwd, path) || ".";
  const record = async (
    step: Omit<DemoStep, "report" | "result">,
    kind: "validation" | "evaluation" | "shadow" | "gate" | "drift",
    value: unknown,
    markdown: string,
    section?: CommentSection,
  ) => {
    const written = await writeResult(outDir, manifest.name, kind, value, markdown);
    steps.push({ ...step, report: written.report!, result: written.result });
    if (section) comment.push({ section, markdown, fullReport: shown(written.report!) });
  };

  const validation = await timed(() => validateData(loaded, { cwd, now: new Date() }));
  const { summary } = validation.value.result;
  await record(
    {
      name: "validate",
      when: "pull request",
      verdict: validation.value.result.status,
      detail: `${summary.pass} of ${validation.value.result.checks.length} data contract checks passed, ${summary.warn} warned, ${summary.fail} failed`,
      seconds: validation.seconds,
    },
    "validation",
    validation.value.result,
    validation.value.markdown,
    "data",
  );

  const evaluation = await timed(() =>
    evaluateModel(loaded, { cwd, resolveBaseline: localBaselineResolver(production.releases) }),
  );
  await record(
    {
      name: "evaluate",
      when: "pull request",
      verdict: evaluation.value.result.status,
      detail: evaluationDetail(evaluation.value),
      seconds: evaluation.seconds,
    },
    "evaluation",
    evaluation.value.result,
    evaluation.value.markdown,
    "evaluation",
  );

  const shadow = await timed(() =>
    compareShadow(loaded, {
      cwd,
      log: fromExample(inputs.shadowLog.path),
      championModel: fromExample(inputs.production.path),
      championVersion: production.version,
    }),
  );
  await record(
    {
      name: "shadow",
      when: "pull request",
      verdict: shadow.value.result.recommendation,
      detail: `${shadow.value.result.status}: ${shadow.value.result.reasons[0] ?? "no checks"}`,
      seconds: shadow.seconds,
    },
    "shadow",
    shadow.value.result,
    shadow.value.markdown,
    "shadow",
  );

  const gate = await timed(() => gateModel(loaded, { cwd, resultsDir: outDir }));
  const failed = gate.value.result.reasons.find((r) => / failed: /.test(r));
  await record(
    {
      name: "gate",
      when: "pull request",
      verdict: gate.value.result.status,
      detail: `${failed ?? gate.value.result.reasons[0] ?? "no rules"}; approvals are not checked locally (they come from pull request reviews)`,
      seconds: gate.seconds,
    },
    "gate",
    gate.value.result,
    gate.value.markdown,
    "gate",
  );

  const promote = await timed(() => planPromote(loaded, { cwd, outDir, production }));
  steps.push({ ...promote.value.step, seconds: promote.seconds });

  const drift = await timed(async () => {
    const location = manifest.monitoring?.reference ?? STAGE;
    const reference = /^[a-z0-9-]+$/.test(location)
      ? await localReleaseProfile(production.releases, manifest, location)
      : await loadReference(location, { cwd, manifest });
    return runDriftCheck(loaded, { cwd, reference, predictions: fromExample(inputs.predictions.path) });
  });
  await record(
    {
      name: "drift",
      when: "schedule",
      verdict: drift.value.result.level,
      detail: drift.value.result.verdict,
      seconds: drift.seconds,
    },
    "drift",
    drift.value.result,
    drift.value.markdown,
  );

  const commentFile = join(outDir, "comment.md");
  await writeFile(commentFile, assembleStickyComment(manifest.name, comment));
  const run: DemoRun = {
    model: { name: manifest.name, version: manifest.version },
    manifestFile: join(exampleDir, loaded.file),
    exampleDir,
    outDir,
    production,
    inputs: [inputs.production, inputs.shadowLog, inputs.predictions],
    steps,
    comment: commentFile,
    index: join(outDir, "index.md"),
    card: promote.value.card,
    seconds: 0,
  };
  run.seconds = (now() - started) / 1000;
  await writeFile(run.index, renderDemoIndex(run));
  return run;
}

/** The example's one manifest, `models/<name>/model.yml`. */
async function loadExampleManifest(exampleDir: string, shownAs: string): Promise<LoadedManifest> {
  const paths = await resolveManifestPaths("models/*/model.yml", exampleDir).catch(() => []);
  if (paths.length !== 1) {
    throw new UserError(
      paths.length === 0
        ? `${shownAs} has no models/<name>/model.yml`
        : `${shownAs} has ${paths.length} manifests; the demo runs one model`,
      { field: "--example", fix: "pass --example examples/churn (the bundled example)" },
    );
  }
  return loadManifest(paths[0]!, exampleDir);
}

/** The evaluation's headline in one line: regressions, against what, and where in the main metric. */
function evaluationDetail(outcome: Awaited<ReturnType<typeof evaluateModel>>): string {
  const { result, regressions } = outcome;
  if (!result.baseline) return `no baseline: ${result.baselineNote ?? "none configured"}`;
  const source = result.baseline.source;
  const against =
    source.kind === "path"
      ? source.path
      : `${result.model.name} v${source.version}${source.kind === "alias" ? ` (alias ${source.reference})` : ""}`;
  const main = result.metrics[0]!;
  const where = regressions
    .filter((r) => r.metric === main)
    .map((r) => (r.slice === null ? "overall" : sliceText(r.slice)));
  const count = `${regressions.length} significant regression${regressions.length === 1 ? "" : "s"} against ${against}`;
  if (where.length === 0) return `${count}; none in ${main}`;
  const listed = where.slice(0, 3).join(", ") + (where.length > 3 ? `, +${where.length - 3} more` : "");
  return `${count}; ${main} worse in ${listed}`;
}

/**
 * Promote's dry run against the described registry: blocked when the gate would stop it on merge,
 * and then planned as with `require-gate: false` to show what merging would release.
 */
async function planPromote(
  loaded: LoadedManifest,
  options: { cwd: string; outDir: string; production: ProductionRelease },
): Promise<{ step: Omit<DemoStep, "seconds">; card: string }> {
  const { manifest } = loaded;
  const folder = join(options.outDir, manifest.name);
  const gateFile = join(folder, "gate.json");
  const prepared = await preparePromotion(loaded, { cwd: options.cwd, resultsDir: options.outDir });
  const refusal = localGateRefusal(prepared, gateFile);
  const commit = standInCommit(`${manifest.name}/v${manifest.version}`, prepared.artefact.sha256);
  const { plan, card } = planLocalPromotion(prepared, {
    registry: options.production.releases.registry,
    commit,
    stage: STAGE,
    requireGate: refusal === undefined,
    gateFile,
  });
  // Asset paths as the reader sees them, not as this machine stores them.
  const shownPlan = {
    ...plan,
    operations: plan.operations.map((op) =>
      op.kind === "upload-asset"
        ? { ...op, asset: { ...op.asset, path: relative(folder, op.asset.path) } }
        : op,
    ),
  };
  const result: PromotePlanResult = {
    schema: PROMOTE_PLAN_SCHEMA,
    model: { name: manifest.name, version: manifest.version, sha256: prepared.artefact.sha256 },
    dryRun: true,
    stage: STAGE,
    registry: relative(folder, options.production.registryFile),
    status: refusal ? "blocked" : "ready",
    reason: refusal?.problem ?? null,
    gate: prepared.gate?.status ?? null,
    requireGate: refusal === undefined,
    plan: shownPlan,
  };
  const cardFile = join(folder, "model-card.md");
  await mkdir(dirname(cardFile), { recursive: true });
  await writeFile(cardFile, card);
  const report = join(folder, "promote.md");
  const resultFile = join(folder, "promote.json");
  await writeFile(report, renderPromoteReport(result, { registry: result.registry, card: "model-card.md" }));
  await writeFile(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  const writes = plan.operations.length;
  const planned = `${writes} registry write${writes === 1 ? "" : "s"} planned (dry run)`;
  return {
    step: {
      name: "promote",
      when: "merge",
      verdict: result.status,
      detail: refusal
        ? `${refusal.problem}; ${planned} for when it passes`
        : `${planned}; ${plan.kept.length} kept`,
      report,
      result: resultFile,
    },
    card: cardFile,
  };
}

import { existsSync } from "node:fs";
import { cp, writeFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { type CommentSection, renderSite, UserError } from "@gauntlet/core";
import {
  checkBehaviour,
  compareShadow,
  evaluateModel,
  gateModel,
  type LoadedManifest,
  loadManifest,
  loadReference,
  offlineSnapshot,
  runDriftCheck,
  validateData,
  writeResult,
  writeSite,
} from "@gauntlet/steps";
import { assembleStickyComment, type CommentWrite } from "./demo-comment.js";
import { renderDemoIndex } from "./demo-index.js";
import { DEMO_COMPANION, generateDemoInputs } from "./demo-inputs.js";
import type { DemoCompanion, DemoOptions, DemoRun, DemoStep } from "./demo-types.js";
import { evaluationDetail } from "./evaluation-detail.js";
import { loadExampleManifest } from "./example-manifest.js";
import { localBaselineResolver, localReleaseProfile, releaseDir } from "./local-releases.js";
import { PRODUCTION_VERSION, type ProductionRelease, releaseProduction } from "./production-release.js";
import { planPromote, STAGE } from "./promote-plan.js";

export type { DemoCompanion, DemoOptions, DemoRun, DemoStep, DemoStepName } from "./demo-types.js";

/** The result files the demo's steps write (promote writes its own). */
type ResultKind = "validation" | "evaluation" | "shadow" | "behaviour" | "gate" | "drift";

/**
 * Runs the whole flow on the example, offline, with the same step functions as the CLI commands
 * and the actions: validate → evaluate against the production release → shadow against the
 * production model on logged traffic → behavioural tests on both models → gate → promote (dry run, against a described registry) →
 * drift on a drifted day of prediction logs against the production release's profile, then the
 * registry site of it all (`<out>/site/index.html`). When the example holds the multiclass
 * `models/plan` ({@link DEMO_COMPANION}), it runs the same pull request and merge beside the main
 * model (validate → evaluate → shadow on its logged classes → gate → promote), against its own
 * production release in the same registry, into `<out>/plan/`. Everything
 * beyond the committed example is generated (seeded) into `out`; every verdict is computed.
 *
 * @example
 * const run = await runDemo({ cwd: process.cwd(), example: "examples/churn", out: "demo-out" });
 * run.steps.map((s) => `${s.name}: ${s.verdict}`);
 * // ["validate: pass", "evaluate: warn", "shadow: promote to canary", "behaviour: fail", "gate: fail", "promote: blocked", "drift: alert"]
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
  const companionFile = `models/${DEMO_COMPANION.model}/model.yml`;
  const companionLoaded =
    manifest.name !== DEMO_COMPANION.model && existsSync(join(exampleDir, companionFile))
      ? await loadManifest(companionFile, exampleDir)
      : undefined;
  // The steps run on a copy of the example in --out, as a workflow runs on a checkout: the logs and
  // the production model made below then lie inside the workspace they read from, and every path
  // a step reads stays inside it (the workspace boundary), while the example stays untouched.
  await cp(exampleDir, outDir, { recursive: true });
  const releasesDir = join(outDir, "releases");
  const generated = generateDemoInputs(
    loaded,
    {
      production: join(releaseDir(releasesDir, manifest.name, PRODUCTION_VERSION), "model.onnx"),
      shadowLog: join(outDir, "logs", "shadow", "agreeing.jsonl"),
      predictions: join(outDir, "logs", "predictions", "drifted.jsonl"),
    },
    companionLoaded && {
      loaded: companionLoaded,
      targets: {
        production: join(releaseDir(releasesDir, DEMO_COMPANION.model, PRODUCTION_VERSION), "model.onnx"),
        shadowLog: join(outDir, "logs", "shadow", DEMO_COMPANION.model, "sample.jsonl"),
      },
    },
  );
  const { inputs } = generated;
  const registryFile = join(outDir, "registry.json");
  const production = await releaseProduction(loaded, {
    cwd: outDir,
    releasesDir,
    modelFile: inputs.production.path,
    registryFile,
  });
  // Paths handed to the steps are relative to the workspace, as a workflow's are to the repository.
  const fromWorkspace = (path: string) => relative(outDir, path);
  const cwd = outDir;
  const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> => {
    const start = now();
    const value = await work();
    return { value, seconds: (now() - start) / 1000 };
  };
  const shown = (path: string) => relative(options.cwd, path) || ".";
  const context = { cwd, outDir, timed, shown };

  const main = await pullRequestFlow(loaded, context, {
    production,
    shadowLog: fromWorkspace(inputs.shadowLog.path),
    championModel: fromWorkspace(inputs.production.path),
  });
  const { steps, record } = main;

  let companion: DemoCompanion | undefined;
  if (companionLoaded && generated.companion) {
    const companionProduction = await releaseProduction(companionLoaded, {
      cwd: outDir,
      releasesDir,
      modelFile: generated.companion.production.path,
      registryFile,
      registry: production.releases.registry,
    });
    // The served classes are logged, so the champion is read from the log, not replayed.
    const flow = await pullRequestFlow(companionLoaded, context, {
      production: companionProduction,
      shadowLog: fromWorkspace(generated.companion.shadowLog.path),
    });
    const comment = join(outDir, companionLoaded.manifest.name, "comment.md");
    await writeFile(comment, assembleStickyComment(companionLoaded.manifest.name, flow.comment));
    companion = {
      model: { name: companionLoaded.manifest.name, version: companionLoaded.manifest.version },
      production: companionProduction,
      inputs: [generated.companion.production, generated.companion.shadowLog],
      steps: flow.steps,
      comment,
      card: flow.card,
    };
  }

  const drift = await timed(async () => {
    const location = manifest.monitoring?.reference ?? STAGE;
    const reference = /^[a-z0-9-]+$/.test(location)
      ? await localReleaseProfile(production.releases, manifest, location)
      : await loadReference(location, { cwd, manifest });
    return runDriftCheck(loaded, { cwd, reference, predictions: fromWorkspace(inputs.predictions.path) });
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

  const snapshot = await offlineSnapshot({
    title: options.example,
    registry: production.releases.registry,
    releasesDir,
    resultsDir: outDir,
    manifests: companionLoaded ? [manifest, companionLoaded.manifest] : [manifest],
    generatedAt: new Date().toISOString(),
  });
  const site = await writeSite(join(outDir, "site"), renderSite(snapshot));
  const commentFile = join(outDir, "comment.md");
  await writeFile(commentFile, assembleStickyComment(manifest.name, main.comment));
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
    card: main.card,
    ...(companion ? { companion } : {}),
    site,
    seconds: 0,
  };
  run.seconds = (now() - started) / 1000;
  await writeFile(run.index, renderDemoIndex(run));
  return run;
}

/** What the pull request steps share: where they run and write, and the timer. */
interface FlowContext {
  cwd: string;
  outDir: string;
  timed: <T>(work: () => Promise<T>) => Promise<{ value: T; seconds: number }>;
  shown: (path: string) => string;
}

/**
 * One model's pull request and merge, as its workflows run them: validate → evaluate against the
 * production release → shadow on the logged traffic (against `championModel` replayed, or the
 * champion's logged scores) → check-behaviour when the manifest has `behaviour:` → gate →
 * promote's dry run. Reports and results go to `<out>/<model>/`; the sticky comment's sections
 * are returned for the caller to assemble.
 */
async function pullRequestFlow(
  loaded: LoadedManifest,
  context: FlowContext,
  options: { production: ProductionRelease; shadowLog: string; championModel?: string },
): Promise<{
  steps: DemoStep[];
  comment: CommentWrite[];
  card: string;
  record: (
    step: Omit<DemoStep, "report" | "result">,
    kind: ResultKind,
    value: unknown,
    markdown: string,
    section?: CommentSection,
  ) => Promise<void>;
}> {
  const { cwd, outDir, timed, shown } = context;
  const { manifest } = loaded;
  const { production } = options;
  const steps: DemoStep[] = [];
  const comment: CommentWrite[] = [];
  const record = async (
    step: Omit<DemoStep, "report" | "result">,
    kind: ResultKind,
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
      log: options.shadowLog,
      ...(options.championModel ? { championModel: options.championModel } : {}),
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

  if (manifest.behaviour && options.championModel) {
    const championModel = options.championModel;
    const behaviour = await timed(() => checkBehaviour(loaded, { cwd, productionModel: championModel }));
    const failing = behaviour.value.result.checks.filter((c) => c.status === "fail");
    await record(
      {
        name: "behaviour",
        when: "pull request",
        verdict: behaviour.value.result.status,
        detail:
          failing.length === 0
            ? `all ${behaviour.value.result.tests.length} behavioural tests pass`
            : `${failing.length} of ${behaviour.value.result.tests.length} behavioural tests fail: ${failing[0]!.reason}`,
        seconds: behaviour.seconds,
      },
      "behaviour",
      behaviour.value.result,
      behaviour.value.markdown,
      "behaviour",
    );
  }

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
  return { steps, comment, card: promote.value.card, record };
}

import { cp, writeFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { type CommentSection, renderSite, UserError } from "@gauntlet/core";
import {
  checkBehaviour,
  compareShadow,
  evaluateModel,
  gateModel,
  loadReference,
  offlineSnapshot,
  runDriftCheck,
  validateData,
  writeResult,
  writeSite,
} from "@gauntlet/steps";
import { assembleStickyComment, type CommentWrite } from "./demo-comment.js";
import { renderDemoIndex } from "./demo-index.js";
import { generateDemoInputs } from "./demo-inputs.js";
import type { DemoOptions, DemoRun, DemoStep } from "./demo-types.js";
import { evaluationDetail } from "./evaluation-detail.js";
import { loadExampleManifest } from "./example-manifest.js";
import { localBaselineResolver, localReleaseProfile, releaseDir } from "./local-releases.js";
import { PRODUCTION_VERSION, releaseProduction } from "./production-release.js";
import { planPromote, STAGE } from "./promote-plan.js";

export type { DemoOptions, DemoRun, DemoStep, DemoStepName } from "./demo-types.js";

/**
 * Runs the whole flow on the example, offline, with the same step functions as the CLI commands
 * and the actions: validate → evaluate against the production release → shadow against the
 * production model on logged traffic → behavioural tests on both models → gate → promote (dry run, against a described registry) →
 * drift on a drifted day of prediction logs against the production release's profile, then the
 * registry site of it all (`<out>/site/index.html`). Everything
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
  // The steps run on a copy of the example in --out, as a workflow runs on a checkout: the logs and
  // the production model made below then lie inside the workspace they read from, and every path
  // a step reads stays inside it (the workspace boundary), while the example stays untouched.
  await cp(exampleDir, outDir, { recursive: true });
  const releasesDir = join(outDir, "releases");
  const inputs = generateDemoInputs(loaded, {
    production: join(releaseDir(releasesDir, manifest.name, PRODUCTION_VERSION), "model.onnx"),
    shadowLog: join(outDir, "logs", "shadow", "agreeing.jsonl"),
    predictions: join(outDir, "logs", "predictions", "drifted.jsonl"),
  });
  const production = await releaseProduction(loaded, {
    cwd: outDir,
    releasesDir,
    modelFile: inputs.production.path,
    registryFile: join(outDir, "registry.json"),
  });
  // Paths handed to the steps are relative to the workspace, as a workflow's are to the repository.
  const fromWorkspace = (path: string) => relative(outDir, path);
  const cwd = outDir;
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
    kind: "validation" | "evaluation" | "shadow" | "behaviour" | "gate" | "drift",
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
      log: fromWorkspace(inputs.shadowLog.path),
      championModel: fromWorkspace(inputs.production.path),
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

  const behaviour = await timed(() =>
    checkBehaviour(loaded, { cwd, productionModel: fromWorkspace(inputs.production.path) }),
  );
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
    manifests: [manifest],
    generatedAt: new Date().toISOString(),
  });
  const site = await writeSite(join(outDir, "site"), renderSite(snapshot));
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
    site,
    seconds: 0,
  };
  run.seconds = (now() - started) / 1000;
  await writeFile(run.index, renderDemoIndex(run));
  return run;
}

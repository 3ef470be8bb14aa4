import {
  CANARY_LABEL,
  canaryIssueMarker,
  describePlan,
  planCanaryIssue,
  renderCanaryReport,
} from "@gauntlet/core";
import {
  actionPaths,
  applyDriftPlan,
  booleanInput,
  type CanaryTarget,
  checkVerdict,
  commonInputs,
  createGitHubClient,
  expandCanary,
  findMarkedIssue,
  finishModelRun,
  forEachModel,
  type GitHubClient,
  type RunContext,
  readCanaryPosition,
  readInputs,
  readRunContext,
  rollbackCanary,
  verifyCanaryPosition,
  writeSummary,
} from "@gauntlet/github";
import {
  type CanaryOutcome,
  isManifestGlob,
  loadManifest,
  resolveManifestPaths,
  rolloutOf,
  runCanaryCheck,
  writeResult,
} from "@gauntlet/steps";
import * as z from "zod";

/** Mirrors action.yml. */
const inputsSchema = z.object({
  ...commonInputs,
  "dry-run": booleanInput().default(false),
});

type Inputs = z.output<typeof inputsSchema>;

/**
 * canary-check: for each manifest with `rollout:`, reads where its version stands in the registry,
 * compares the version's served traffic with the incumbent's since the stage began, and acts on
 * the verdict — `expand` moves the next stage's alias and records a deployment with its share,
 * `rollback` opens or updates the owner issue and moves the aliases back to the incumbent,
 * `hold` writes only the report. Writes `<results-dir>/<model>/canary.json` and the job summary;
 * with `dry-run` it prints the registry plan instead of applying it.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = readInputs(inputsSchema, env);
  const context = readRunContext(env);
  const { cwd, resultsDir } = actionPaths(inputs, env);
  const client = createGitHubClient(inputs["github-token"], { apiUrl: context.apiUrl });
  const models = await forEachModel(
    await resolveManifestPaths(inputs.manifest, cwd),
    async (path, outputs) => {
      const loaded = await loadManifest(path, cwd);
      const { manifest } = loaded;
      // A glob (models/*/model.yml) checks the models being rolled out; a path names one that must be.
      if (!manifest.rollout && isManifestGlob(inputs.manifest)) {
        console.log(`${manifest.name}: no rollout: section, skipped`);
        outputs["verdict"] = "none";
        return "pass";
      }
      const target: CanaryTarget = {
        ...context.repo,
        model: manifest.name,
        version: manifest.version,
        manifestFile: loaded.file,
        rollout: rolloutOf(loaded),
      };
      const position = await readCanaryPosition(client, target);
      if (position.kind !== "at-stage") {
        const line =
          position.kind === "complete"
            ? `${manifest.name} ${manifest.version} serves production: the rollout is complete, nothing to check`
            : `${manifest.name} ${manifest.version}: ${position.reason}; nothing to check`;
        console.log(line);
        await writeSummary(`### gauntlet canary-check\n\n${line}\n`);
        Object.assign(outputs, { verdict: position.kind === "complete" ? "complete" : "none" });
        if (position.kind === "complete") outputs["stage"] = "production";
        return "pass";
      }
      const outcome = await runCanaryCheck(loaded, {
        stage: position.stage,
        incumbent: position.incumbent.version,
        since: position.since,
        cwd,
      });
      const { result } = outcome;
      // Kept even when acting fails (a moved registry, GitHub unavailable): the look was made.
      await writeResult(resultsDir, manifest.name, "canary", result, outcome.markdown);
      const acted = await act(client, { target, position, outcome, inputs, context, env });
      const markdown = renderCanaryReport(result, acted.actions);
      const written = await writeResult(resultsDir, manifest.name, "canary", result, markdown);
      await writeSummary(markdown, { fullReport: context.runUrl });
      Object.assign(outputs, {
        result: written.result,
        report: written.report ?? "",
        verdict: result.verdict,
        stage: acted.stage,
        ...(acted.issue === undefined ? {} : { "issue-number": String(acted.issue) }),
      });
      return result.status;
    },
  );
  finishModelRun(models, checkVerdict(models, inputs["fail-on"]));
}

interface ActInput {
  target: CanaryTarget;
  position: Extract<Awaited<ReturnType<typeof readCanaryPosition>>, { kind: "at-stage" }>;
  outcome: CanaryOutcome;
  inputs: Inputs;
  context: RunContext;
  env: NodeJS.ProcessEnv;
}

/** Carries out the verdict (or, with dry-run, plans it) and says what was done, for the report. */
async function act(
  client: GitHubClient,
  { target, position, outcome, inputs, context, env }: ActInput,
): Promise<{ actions: string[]; stage: string; issue?: number }> {
  const { result } = outcome;
  const dryRun = inputs["dry-run"];
  const options = { runUrl: context.runUrl, log: (line: string) => console.log(`  ${line}`), dryRun };
  const prefix = dryRun ? "dry run, would: " : "";
  const writes = result.verdict === "rollback" || (result.verdict === "expand" && result.next);
  // The verdict was decided on the registry as it stood when the check started: if another run
  // (or a person) moved the rollout since, acting on it would undo or repeat their move.
  if (writes && !dryRun) await verifyCanaryPosition(client, target, position);
  if (result.verdict === "expand" && result.next) {
    const plan = await expandCanary(client, target, position.stage, options);
    console.log(
      `${dryRun ? "Would expand" : "Expanded"} ${target.model} ${target.version} to ${result.next.name}:\n${describePlan(plan)}`,
    );
    return {
      actions: [
        `${prefix}${planLine(plan.operations.length, `expand to ${result.next.name} (${share(result.next.traffic)})`)}`,
      ],
      stage: dryRun ? position.stage : result.next.name,
    };
  }
  if (result.verdict !== "rollback") return { actions: [], stage: position.stage };
  const actions: string[] = [];
  let issue: number | undefined;
  if (inputs.comment) {
    const where = { ...context.repo, label: CANARY_LABEL, marker: canaryIssueMarker(target.model) };
    const existing = await findMarkedIssue(client, where);
    const plan = planCanaryIssue({
      model: target.model,
      version: target.version,
      incumbent: position.incumbent.version,
      report: renderCanaryReport(result),
      owner: outcome.manifest.owner,
      existing,
      runUrl: context.runUrl,
    });
    if (dryRun)
      actions.push(`${prefix}${existing ? `update issue #${existing.number}` : "open the canary issue"}`);
    else {
      const applied = await applyDriftPlan(client, context.repo, plan, existing, context.runUrl);
      issue = applied.issueNumber;
      actions.push(`${applied.created ? "opened" : "updated"} issue #${applied.issueNumber}`);
    }
  }
  const run = {
    ...options,
    runId: context.runId,
    actor: env["GITHUB_ACTOR"] ?? "canary-check",
    now: new Date(),
  };
  const plans = await rollbackCanary(client, target, position, run);
  for (const plan of plans) console.log(describePlan(plan));
  actions.push(
    `${prefix}${planLine(
      plans.reduce((n, p) => n + p.operations.length, 0),
      `roll ${position.stages.join(", ")} back to ${position.incumbent.version}`,
    )}`,
  );
  return { actions, stage: dryRun ? position.stage : "none", ...(issue === undefined ? {} : { issue }) };
}

function planLine(operations: number, what: string): string {
  return operations === 0
    ? `${what}: already done, nothing written`
    : `${what} (${operations} registry writes)`;
}

const share = (x: number): string => `${Number((x * 100).toPrecision(3))}%`;

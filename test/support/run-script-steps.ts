import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WorkflowJob, WorkflowStep } from "./example-workflow.js";
import { parseFileCommand } from "./workflow-commands.js";

/** What the expressions of a job's `run:` steps may read. */
export interface ScriptContext {
  inputs: Record<string, string>;
  secrets: Record<string, string>;
  github: Record<string, string>;
}

/** One `run:` step as it ran. */
export interface ScriptStepRun {
  name: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

type Step = WorkflowStep & { name?: string; id?: string; env?: Record<string, string> };

/**
 * Runs the `run:` steps of a workflow job as the runner does on ubuntu-latest (`bash --noprofile
 * --norc -eo pipefail`, job and step `env:` evaluated, `GITHUB_OUTPUT` read back into
 * `steps.<id>.outputs`), skipping `uses:` steps (the test prepares the checkout). Stops at the first
 * failing step. `before` runs ahead of each step: the test plays GitHub's part there (a pushed
 * branch arriving in the API).
 *
 * @example
 * const runs = await runScriptSteps(workflow.jobs["retrain"]!, { cwd, env, context });
 * runs.at(-1)!.exitCode; // 0
 */
export async function runScriptSteps(
  job: WorkflowJob & { env?: Record<string, string> },
  options: {
    cwd: string;
    /** The runner's own variables: PATH, GITHUB_API_URL, GITHUB_REPOSITORY, ... */
    env: Record<string, string>;
    context: ScriptContext;
    before?: (step: Step) => void;
  },
): Promise<ScriptStepRun[]> {
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  const evaluate = (text: string): string =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_whole, expression: string) => {
      // `a || b`: the first alternative with a value, as the runner's `||` does on strings.
      for (const alternative of expression.split("||").map((a) => a.trim())) {
        const [scope, ...path] = alternative.split(".");
        let value: unknown = { ...options.context, steps }[scope as keyof ScriptContext];
        if (value === undefined) throw new Error(`cannot evaluate \${{ ${expression} }}: unknown ${scope}`);
        for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
        if (typeof value === "string" && value !== "") return value;
      }
      return "";
    });
  const evaluateAll = (env: Record<string, string> | undefined) =>
    Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, evaluate(String(v))]));
  const jobEnv = evaluateAll(job.env);
  const runs: ScriptStepRun[] = [];
  const temp = mkdtempSync(join(tmpdir(), "gauntlet-steps-"));
  try {
    for (const [index, step] of (job.steps as Step[]).entries()) {
      if (step.run === undefined) continue;
      options.before?.(step);
      const script = join(temp, `step-${index}.sh`);
      const output = join(temp, `output-${index}`);
      writeFileSync(script, step.run);
      writeFileSync(output, "");
      // Asynchronously: the step may call the test's GitHub API server, which runs in this process.
      const result = await run(script, {
        cwd: options.cwd,
        env: { ...options.env, ...jobEnv, ...evaluateAll(step.env), GITHUB_OUTPUT: output },
      });
      const outputs = parseFileCommand(readFileSync(output, "utf8"));
      if (step.id) steps[step.id] = { outputs };
      runs.push({
        name: step.name ?? step.run.split("\n")[0]!,
        exitCode: result.status ?? -1,
        stdout: result.stdout,
        stderr: result.stderr,
        outputs,
      });
      if (result.status !== 0) break;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return runs;
}

function run(
  script: string,
  options: { cwd: string; env: Record<string, string> },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], options);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import type { PermissionMap } from "./permissions.js";

/** One step of a workflow job, as written. */
export interface WorkflowStep {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

/** One job of a workflow, as written. */
export interface WorkflowJob {
  if?: string;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  needs?: string | string[];
  permissions?: PermissionMap;
  steps: WorkflowStep[];
}

/** A workflow file of examples/churn, parsed. */
export interface ExampleWorkflow {
  name: string;
  on: Record<string, unknown>;
  jobs: Record<string, WorkflowJob>;
}

const DIR = join(import.meta.dirname, "..", "..", "examples", "churn", ".github", "workflows");

/**
 * Reads `examples/churn/.github/workflows/<file>`, so end-to-end tests run the steps, inputs and
 * permissions that the documented workflow declares rather than a copy of them.
 *
 * @example
 * const fork = exampleWorkflow("pr-fork.yml");
 * Object.keys(fork.on); // ["pull_request_target"]
 */
export function exampleWorkflow(file: string): ExampleWorkflow {
  return parse(readFileSync(join(DIR, file), "utf8")) as ExampleWorkflow;
}

/**
 * Reads this repository's own `.github/workflows/<file>` (the reusable workflows users call).
 *
 * @example
 * Object.keys(repoWorkflow("model-pr.yml").on); // ["workflow_call"]
 */
export function repoWorkflow(file: string): ExampleWorkflow {
  return parse(
    readFileSync(join(DIR, "..", "..", "..", "..", ".github", "workflows", file), "utf8"),
  ) as ExampleWorkflow;
}

/**
 * The gauntlet steps of a job (`uses: OWNER/gauntlet/actions/<name>@v1`) as the action folder to
 * run and its `with:` values as the runner passes them (strings).
 *
 * @example
 * gauntletSteps(fork.jobs["compute"]!);
 * // [{ action: "actions/validate-data", inputs: { manifest: "models/*\/model.yml", workspace: "head", … } }, …]
 */
export function gauntletSteps(job: WorkflowJob): { action: string; inputs: Record<string, string> }[] {
  return job.steps.flatMap((step) => {
    const match = /^OWNER\/gauntlet\/(actions\/[a-z-]+)@v1$/.exec(step.uses ?? "");
    if (!match) return [];
    const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v)]));
    return [{ action: match[1]!, inputs }];
  });
}

/**
 * Every file under `dir`, relative to it, with its content: what actions/upload-artifact zips.
 *
 * @example
 * server.seed.artifact({ name: "gauntlet-results-5e6f…", runId, files: filesUnder(ws.path(".gauntlet")) });
 */
export function filesUnder(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full)] = readFileSync(full);
    }
  };
  walk(dir);
  return out;
}

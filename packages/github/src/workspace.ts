import { realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { UserError } from "@gauntlet/core";

type Env = Record<string, string | undefined>;

/** Where an action reads its files from and keeps its results. */
export interface ActionPaths {
  /**
   * The folder that manifest, data, artefact and log paths are relative to: the `workspace`
   * input (for example the pull request's head checked out as data into `head/`), or the job's
   * `GITHUB_WORKSPACE` without it. Absolute.
   */
  cwd: string;
  /**
   * `results-dir`, absolute and always relative to `GITHUB_WORKSPACE`, never to `workspace`: a
   * fork's checkout cannot bring result files of its own into the directory the gate reads.
   */
  resultsDir: string;
}

/**
 * Resolves the `workspace` and `results-dir` inputs against the job's `GITHUB_WORKSPACE`. The
 * workspace must be an existing folder inside it (also after following symlinks), so a
 * workflow cannot point the actions at the runner's own files.
 *
 * @example
 * // GITHUB_WORKSPACE=/home/runner/work/models/models
 * actionPaths({ workspace: "head", "results-dir": ".gauntlet" });
 * // { cwd: "/home/runner/work/models/models/head", resultsDir: "/home/runner/work/models/models/.gauntlet" }
 */
export function actionPaths(
  inputs: { workspace?: string | undefined; "results-dir": string },
  env: Env = process.env,
): ActionPaths {
  const root = resolve(env["GITHUB_WORKSPACE"] || process.cwd());
  const resultsDir = resolve(root, inputs["results-dir"]);
  if (inputs.workspace === undefined) return { cwd: root, resultsDir };
  const given = inputs.workspace;
  const cwd = resolve(root, given);
  const where = {
    field: "workspace",
    fix: "set `workspace:` to a folder inside the job's workspace that an earlier step filled, e.g. `head` after `actions/checkout` with `path: head`",
  };
  if (!inside(root, cwd)) {
    throw new UserError(`input 'workspace' is '${given}', outside the job's workspace ${root}`, where);
  }
  let real: string;
  try {
    real = realpathSync(cwd);
  } catch {
    throw new UserError(`input 'workspace': the folder '${given}' does not exist`, where);
  }
  if (!statSync(real).isDirectory()) {
    throw new UserError(`input 'workspace': '${given}' is not a folder`, where);
  }
  if (!inside(realpathSync(root), real)) {
    throw new UserError(
      `input 'workspace': '${given}' is a symlink to ${real}, outside the job's workspace`,
      where,
    );
  }
  return { cwd, resultsDir };
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!isAbsolute(rel) && rel !== ".." && !rel.startsWith(`..${sep}`));
}

import { execFileSync } from "node:child_process";
import { join } from "node:path";
import {
  describePlan,
  planRollback,
  type RegistryFile,
  type RegistryPlan,
  registryStateOf,
  rollbackTarget,
  UserError,
} from "@gauntlet/core";
import { createGitHubClient, promoteModel, rollbackModel } from "@gauntlet/github";
import {
  type LoadedManifest,
  loadManifest,
  planLocalPromotion,
  preparePromotion,
  readRegistryFile,
  resolveManifestPaths,
} from "@gauntlet/steps";
import { parseOptions, requireOption } from "../args.js";
import type { Command } from "../io.js";

const usage = `Usage: gauntlet promote --dry-run --manifest <path|glob> --repo <owner/name> [options]
       gauntlet promote --dry-run --manifest <path|glob> --registry <file> [options]

Prints exactly what promote would create or move in the registry (tags, release, assets, alias,
deployment) for each manifest, after the same checks: artefact hash, results, gate, versions.
It reads the registry with GITHUB_TOKEN (or GH_TOKEN) and writes nothing; releases are written by
the promote action on merge. With --registry it works offline: the registry is described by a
JSON file ({"schema": "gauntlet/registry@1", "tags": [], "releases": [], "aliases": {},
"deployments": []} is an empty one) and the gate is checked on <results-dir>/<model>/gate.json
(its rules; approvals are only known on the pull request).

Options:
  --dry-run               required: plan only
  --manifest <path|glob>  model.yml, or a glob such as models/*/model.yml (required)
  --repo <owner/name>     the repository holding the registry (default: GITHUB_REPOSITORY)
  --registry <file>       plan offline against this registry description instead of the GitHub API
  --sha <commit>          the commit to release (default: git rev-parse HEAD)
  --results-dir <dir>     where evaluation.json and gate.json are (default: .gauntlet)
  --stage <name>          alias and environment stage (default: production)
  --no-gate               do not check the gate (as require-gate: false)
  --rollback              plan a rollback of the stage instead
  --to <version>          with --rollback: the released version to go to`;

/** `gauntlet promote --dry-run`: the promote action's plan, printed without writing. */
export const promoteCommand: Command = {
  name: "promote",
  summary: "print what promote would tag, release and move (--dry-run)",
  usage,
  async run(args, io) {
    const options = parseOptions(
      args,
      {
        "dry-run": { type: "boolean" },
        manifest: { type: "string" },
        repo: { type: "string" },
        registry: { type: "string" },
        sha: { type: "string" },
        "results-dir": { type: "string" },
        stage: { type: "string" },
        "no-gate": { type: "boolean" },
        rollback: { type: "boolean" },
        to: { type: "string" },
      },
      usage,
    );
    if (!options["dry-run"]) {
      throw new UserError("promote writes the registry only from the workflow; locally it plans", {
        fix: "add --dry-run to see what would be created or moved",
      });
    }
    const manifests = await resolveManifestPaths(requireOption(options, "manifest", usage), io.cwd);
    const stage = options.stage ?? "production";
    const resultsDir = options["results-dir"] ?? ".gauntlet";
    if (options.registry !== undefined) {
      const registry = await readRegistryFile(options.registry, io.cwd);
      for (const path of manifests) {
        const loaded = await loadManifest(path, io.cwd);
        const plan = options.rollback
          ? planLocalRollback(loaded, registry, stage, options.to)
          : planLocalPromotion(await preparePromotion(loaded, { cwd: io.cwd, resultsDir }), {
              registry,
              commit: options.sha ?? headCommit(io.cwd),
              stage,
              requireGate: !options["no-gate"],
              gateFile: join(resultsDir, loaded.manifest.name, "gate.json"),
            }).plan;
        io.stdout(`${describePlan(plan)}\n`);
      }
      return 0;
    }
    const token = process.env["GITHUB_TOKEN"] || process.env["GH_TOKEN"];
    if (!token)
      throw new UserError("a dry run reads the registry, and no token is set", {
        fix: "set GITHUB_TOKEN (e.g. GITHUB_TOKEN=$(gh auth token)), or plan offline with --registry <file>",
      });
    const [owner, repo] = (options.repo ?? process.env["GITHUB_REPOSITORY"] ?? "").split("/");
    if (!owner || !repo)
      throw new UserError("which repository holds the registry?", { fix: "pass --repo owner/name" });
    const client = createGitHubClient(token, { apiUrl: process.env["GITHUB_API_URL"] || undefined });
    const run = { runUrl: "(dry run)", log: () => {}, dryRun: true };
    for (const path of manifests) {
      const loaded = await loadManifest(path, io.cwd);
      const plan = options.rollback
        ? await rollbackModel(
            client,
            {
              owner,
              repo,
              model: loaded.manifest.name,
              manifestFile: loaded.file,
              stage,
              to: options.to,
              runId: 0,
              actor: "you",
              now: new Date(),
            },
            run,
          )
        : await promoteModel(
            client,
            {
              owner,
              repo,
              ...(await preparePromotion(loaded, { cwd: io.cwd, resultsDir })),
              commit: options.sha ?? headCommit(io.cwd),
              stage,
              requireGate: !options["no-gate"],
            },
            run,
          );
      io.stdout(`${describePlan(plan)}\n`);
    }
    return 0;
  },
};

/** The rollback plan over a described registry, read as `rollbackModel` reads the API's. */
function planLocalRollback(
  loaded: LoadedManifest,
  registry: RegistryFile,
  stage: string,
  to: string | undefined,
): RegistryPlan {
  const model = loaded.manifest.name;
  const request = { model, manifestFile: loaded.file, stage, to, runId: 0 };
  // Deployments matter at the target's commit, which is known once the target is.
  const base = registryStateOf(registry, { model, stage, commit: "" });
  const target = rollbackTarget({ ...request, state: base });
  const state = registryStateOf(registry, { model, stage, commit: target.to.commit });
  return planRollback({ ...request, state, runUrl: "(dry run)", actor: "you", now: new Date() });
}

function headCommit(cwd: string): string {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd, encoding: "utf8" }).trim();
  } catch {
    throw new UserError("cannot tell which commit to release (git rev-parse HEAD failed)", {
      fix: "pass --sha <commit>",
    });
  }
}

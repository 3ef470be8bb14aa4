import { execFileSync } from "node:child_process";
import { describePlan, UserError } from "@gauntlet/core";
import { createGitHubClient, promoteModel, rollbackModel } from "@gauntlet/github";
import { loadManifest, preparePromotion, resolveManifestPaths } from "@gauntlet/steps";
import { parseOptions, requireOption } from "../args.js";
import type { Command } from "../io.js";

const usage = `Usage: gauntlet promote --dry-run --manifest <path|glob> --repo <owner/name> [options]

Prints exactly what promote would create or move in the registry (tags, release, assets, alias,
deployment) for each manifest, after the same checks: artefact hash, results, gate, versions.
It reads the registry with GITHUB_TOKEN (or GH_TOKEN) and writes nothing; releases are written by
the promote action on merge.

Options:
  --dry-run               required: plan only
  --manifest <path|glob>  model.yml, or a glob such as models/*/model.yml (required)
  --repo <owner/name>     the repository holding the registry (default: GITHUB_REPOSITORY)
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
    const token = process.env["GITHUB_TOKEN"] || process.env["GH_TOKEN"];
    if (!token)
      throw new UserError("a dry run reads the registry, and no token is set", {
        fix: "set GITHUB_TOKEN (e.g. GITHUB_TOKEN=$(gh auth token))",
      });
    const [owner, repo] = (options.repo ?? process.env["GITHUB_REPOSITORY"] ?? "").split("/");
    if (!owner || !repo)
      throw new UserError("which repository holds the registry?", { fix: "pass --repo owner/name" });
    const client = createGitHubClient(token, { apiUrl: process.env["GITHUB_API_URL"] || undefined });
    const stage = options.stage ?? "production";
    const run = { runUrl: "(dry run)", log: () => {}, dryRun: true };
    for (const path of await resolveManifestPaths(requireOption(options, "manifest", usage), io.cwd)) {
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
              ...(await preparePromotion(loaded, {
                cwd: io.cwd,
                resultsDir: options["results-dir"] ?? ".gauntlet",
              })),
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

function headCommit(cwd: string): string {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd, encoding: "utf8" }).trim();
  } catch {
    throw new UserError("cannot tell which commit to release (git rev-parse HEAD failed)", {
      fix: "pass --sha <commit>",
    });
  }
}

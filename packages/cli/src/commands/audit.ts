import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type AuditReleaseLookup, auditFindings, renderAuditReport, UserError } from "@gauntlet/core";
import { createGitHubClient, registryReleaseLookup } from "@gauntlet/github";
import { auditRequest, loadManifest, readRegistryFile } from "@gauntlet/steps";
import { parseOptions, requireOption } from "../args.js";
import { localReleaseLookup } from "../audit/local-release-lookup.js";
import type { Command } from "../io.js";

const usage = `Usage: gauntlet audit --manifest <file> --request <id> [--date YYYY-MM-DD] --registry <file> --releases <dir>
       gauntlet audit --manifest <file> --request <id> [--date YYYY-MM-DD] --repo <owner/name>

Reconstructs one logged prediction: finds the request in the prediction logs (monitoring.predictions,
or --log), takes the model version that served it (monitoring.version-field), re-scores the logged
inputs with that version's released model and compares the result with the logged score (within
16 float32 epsilons, about 1.9e-6). Then prints the chain behind the version: release, commit,
pull request, approvers, gate verdict, evaluation headline, training data digest and training code.

A score that does not reproduce (skew between serving and the released model, or serving that
cannot be reproduced), a released model whose digest is not the one the release recorded, or a
version tag that moved is a finding: the exit code is then 1. The exit code is 0 when everything
checks out, and 1 with one error line on a mistake (unknown request id, version not released).

Offline, the registry is a description file and a folder of release assets, as gauntlet demo
writes them (demo-out/registry.json and demo-out/releases). With --repo, the release is read through
the GitHub API with GITHUB_TOKEN (or GH_TOKEN) at GITHUB_API_URL (GitHub Enterprise Server:
https://<host>/api/v3), and its model asset is downloaded to a temporary folder.

Options:
  --manifest <file>   the model's model.yml (required)
  --request <id>      the logged request id (monitoring.id) (required)
  --date <day>        the UTC day it was served, when the id repeats across days
  --log <file|glob>   the prediction logs (default: monitoring.predictions)
  --registry <file>   an offline registry description (with --releases)
  --releases <dir>    the offline release assets, <model>-v<version>/ per release
  --repo <owner/name> read the releases through the GitHub API instead`;

/** `gauntlet audit`: why was this prediction made, and does it reproduce? */
export const auditCommand: Command = {
  name: "audit",
  summary: "reconstruct a logged prediction: re-score it and print the release chain behind it",
  usage,
  async run(args, io) {
    const options = parseOptions(
      args,
      {
        manifest: { type: "string" },
        request: { type: "string" },
        date: { type: "string" },
        log: { type: "string" },
        registry: { type: "string" },
        releases: { type: "string" },
        repo: { type: "string" },
      },
      usage,
    );
    const loaded = await loadManifest(requireOption(options, "manifest", usage), io.cwd);
    const request = requireOption(options, "request", usage);
    const scratch = options.repo === undefined ? undefined : await mkdtemp(join(tmpdir(), "gauntlet-audit-"));
    try {
      const releases = await releaseLookup(options, loaded.manifest.name, loaded.file, io.cwd, scratch);
      const report = await auditRequest(loaded, {
        cwd: io.cwd,
        request,
        date: options.date,
        log: options.log,
        releases,
      });
      io.stdout(renderAuditReport(report));
      return auditFindings(report).length === 0 ? 0 : 1;
    } finally {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    }
  },
};

async function releaseLookup(
  options: { registry?: string | undefined; releases?: string | undefined; repo?: string | undefined },
  model: string,
  manifestFile: string,
  cwd: string,
  scratch: string | undefined,
): Promise<AuditReleaseLookup> {
  if (options.repo !== undefined) {
    const [owner, repo, extra] = options.repo.split("/");
    if (!owner || !repo || extra !== undefined) {
      throw new UserError(`--repo: expected owner/name, got '${options.repo}'`, {
        field: "--repo",
        fix: "pass the repository holding the registry, e.g. --repo acme/models",
      });
    }
    const token = process.env["GITHUB_TOKEN"] || process.env["GH_TOKEN"];
    if (!token) {
      throw new UserError("an audit with --repo reads the registry, and no token is set", {
        fix: "set GITHUB_TOKEN (e.g. GITHUB_TOKEN=$(gh auth token)), or audit offline with --registry and --releases",
      });
    }
    const client = createGitHubClient(token, { apiUrl: process.env["GITHUB_API_URL"] || undefined });
    return registryReleaseLookup(client, { owner, repo }, { model, manifestFile, downloadDir: scratch! });
  }
  if (options.registry === undefined || options.releases === undefined) {
    throw new UserError("an audit needs the registry: offline files, or a repository on GitHub", {
      field: options.registry === undefined ? "--registry" : "--releases",
      fix: "pass --registry <file> --releases <dir> (gauntlet demo writes demo-out/registry.json and demo-out/releases), or --repo owner/name",
    });
  }
  const registry = await readRegistryFile(options.registry, cwd);
  return localReleaseLookup(
    { registry, dir: resolve(cwd, options.releases) },
    { model, registryFile: options.registry },
  );
}

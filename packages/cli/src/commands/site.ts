import { relative, resolve } from "node:path";
import { renderSite, UserError } from "@gauntlet/core";
import { loadManifest, offlineSnapshot, readRegistryFile, writeSite } from "@gauntlet/steps";
import { parseOptions } from "../args.js";
import type { Command } from "../io.js";

const usage = `Usage: gauntlet site --registry <file> --releases <dir> [--results <dir>] [--manifest <file>] [--out <dir>]

Builds a static site of the registry: an index of models (owner, task, version per stage, last
gate verdict, open alerts), a page per model (timeline of releases, promotions and rollbacks,
headline metrics across versions with their intervals, worst slices, drift and health per
window) and a page per version (gate and model card). Plain HTML with inline CSS and SVG: no
script, no request to any other host; open index.html in a browser or publish the folder with
GitHub Pages.

This command reads an offline registry, as gauntlet demo writes it: a registry description
(gauntlet/registry@1), a releases folder with each release's assets in <model>-v<version>/, and
optionally a results folder of a candidate (<results>/<model>/evaluation.json, gate.json,
drift.json, model-card.md). In a workflow, the registry-site action reads the registry through
the GitHub API instead and builds the same pages (docs/site.md).

Options:
  --registry <file>   the registry description (required)
  --releases <dir>    where the release assets are (required)
  --results <dir>     results of a candidate and of monitoring
  --manifest <file>   a model.yml, for the model's owner and task
  --title <text>      what the site calls the registry (default: the registry file's folder)
  --out <dir>         where the site is written (default: site)`;

/** `gauntlet site`: a static site of an offline registry. */
export const siteCommand: Command = {
  name: "site",
  summary: "build a static site of the registry: models, versions, stages, trends",
  usage,
  async run(args, io) {
    const options = parseOptions(
      args,
      {
        registry: { type: "string" },
        releases: { type: "string" },
        results: { type: "string" },
        manifest: { type: "string" },
        title: { type: "string" },
        out: { type: "string" },
      },
      usage,
    );
    if (options.registry === undefined || options.releases === undefined) {
      throw new UserError("gauntlet site needs the registry description and its releases folder", {
        field: options.registry === undefined ? "--registry" : "--releases",
        fix: "pass --registry <file> --releases <dir> (gauntlet demo writes demo-out/registry.json and demo-out/releases)",
      });
    }
    const registry = await readRegistryFile(options.registry, io.cwd);
    const manifests =
      options.manifest === undefined ? [] : [(await loadManifest(options.manifest, io.cwd)).manifest];
    const snapshot = await offlineSnapshot({
      title: options.title ?? (relative(io.cwd, resolve(io.cwd, options.registry, "..")) || "."),
      registry,
      releasesDir: resolve(io.cwd, options.releases),
      resultsDir: options.results === undefined ? undefined : resolve(io.cwd, options.results),
      manifests,
      generatedAt: new Date().toISOString(),
    });
    const files = renderSite(snapshot);
    const index = await writeSite(resolve(io.cwd, options.out ?? "site"), files);
    io.stdout(
      `gauntlet site: ${Object.keys(files).length} pages for ${snapshot.models.length} model(s) in ${relative(io.cwd, index)}\n`,
    );
    return 0;
  },
};

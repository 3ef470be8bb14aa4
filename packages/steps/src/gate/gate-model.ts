import { resolve } from "node:path";
import {
  type ApprovalInput,
  evaluateGate,
  type GateResult,
  type Manifest,
  renderGateSection,
  UserError,
} from "@gauntlet/core";
import { resolveInside } from "@gauntlet/data";
import { sha256File } from "@gauntlet/model";
import type { LoadedManifest } from "../load-manifest.js";
import { readJsonFile, resultPath } from "../result-files.js";

/** What {@link gateModel} needs besides the manifest. */
export interface GateOptions {
  /** The workspace (repository root): the artefact path and `resultsDir` are relative to it. */
  cwd: string;
  /** Where earlier steps wrote `<model>/{validation,evaluation,shadow,behaviour}.json`. */
  resultsDir: string;
  /** Reviews fetched from GitHub; without them approvals stay pending (the CLI). */
  approvals?: ApprovalInput | undefined;
}

/** One model's gate: the `gate.json` content and its comment section. */
export interface GateOutcome {
  manifest: Manifest;
  result: GateResult;
  markdown: string;
}

const KINDS = ["validation", "evaluation", "shadow", "behaviour"] as const;

/**
 * The release gate of one model over the files on disk: reads the earlier results (bounded in
 * size, untrusted), hashes the artefact at `artefact.path` so results of another build cannot
 * vouch for this one, and evaluates the manifest's `gate:`. This is `gauntlet gate` and the
 * `release-gate` action, minus fetching reviews and publishing.
 *
 * @example
 * const { result } = await gateModel(await loadManifest("models/churn/model.yml", cwd), { cwd, resultsDir: ".gauntlet" });
 * result.status; // "pending" (approvals are not checked without reviews)
 */
export async function gateModel(loaded: LoadedManifest, options: GateOptions): Promise<GateOutcome> {
  const { manifest, file } = loaded;
  if (!manifest.gate) {
    throw new UserError("there is no release gate to check", {
      file,
      field: "gate",
      fix: "add a gate: section (rules, approvals, require) to the manifest, or drop release-gate for this model",
    });
  }
  const path = manifest.artefact.path;
  if (!path) {
    throw new UserError("the gate checks the artefact's sha256, so it needs the file", {
      file,
      field: "artefact.path",
      fix: "set artefact.path to where the file is (an earlier step may download it there from artefact.uri)",
    });
  }
  const where = { file, field: "artefact.path" };
  const artefactSha256 = await sha256File(await resolveInside(options.cwd, path, where), where);
  const results: Record<string, unknown> = {};
  const files: Record<string, string> = {};
  for (const kind of KINDS) {
    const shown = resultPath(options.resultsDir, manifest.name, kind);
    const raw = await readJsonFile(resolve(options.cwd, shown));
    if (raw === undefined) continue;
    results[kind] = raw;
    files[kind] = shown;
  }
  const result = evaluateGate({
    manifest,
    results,
    artefactSha256,
    files,
    ...(options.approvals ? { approvals: options.approvals } : {}),
  });
  return { manifest, result, markdown: renderGateSection(result) };
}

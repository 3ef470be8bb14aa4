import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { UserError } from "@gauntlet/core";
import { type FixtureFile, writeFixtures } from "@gauntlet/fixtures";
import type { LoadedManifest } from "@gauntlet/steps";

/**
 * The fixture call the example comes from: the same options as `examples/churn/generate.mjs`, so
 * the example's model is the generator's `models/pipeline.onnx` (checked by digest) and the
 * production model, logs and data below belong to the same synthetic world.
 */
export const DEMO_FIXTURE_OPTIONS = { rows: 5000, trainRows: 20_000, seed: 7, now: "2025-06-01T00:00:00Z" };

/** Fixture file the example's candidate model is, to check the example was made by this call. */
const CANDIDATE = "models/pipeline.onnx";

/** What the demo generates besides the committed example: demo path <- fixture path. */
export const DEMO_INPUTS = {
  /** The model now in production: the baseline of the evaluation and the champion of the shadow run. */
  production: { path: "models/production.onnx", about: "the model in production: its release's model.onnx" },
  /** Logged traffic with the candidate's scores beside the champion's. */
  shadowLog: {
    path: "logs/shadow-agreeing.jsonl",
    about: "logged shadow traffic (champion and challenger scores)",
  },
  /** A day of production predictions whose inputs drifted. */
  predictions: {
    path: "logs/predictions-drifted.jsonl",
    about: "a day of production prediction logs whose inputs drifted",
  },
} as const;

/**
 * The example's multiclass model (`models/plan`), which the demo takes through the pull request
 * and the merge beside the main model: its artefact is the generator's plan classifier, and the
 * demo generates the plan model in production and its logged traffic.
 */
export const DEMO_COMPANION = {
  model: "plan",
  candidate: "models/multiclass.onnx",
  inputs: {
    production: {
      path: "models/multiclass-production.onnx",
      about: "the plan model in production: its release's model.onnx",
    },
    shadowLog: {
      path: "logs/shadow-multiclass.jsonl",
      about: "the plan model's logged traffic (the class production served, outcomes on half the rows)",
    },
  },
} as const;

/** What the demo generates for {@link DEMO_COMPANION}. */
export type CompanionInputs = Record<keyof typeof DEMO_COMPANION.inputs, DemoInput>;

/** One generated input: where the demo put it, and the fixture file it is. */
export interface DemoInput {
  path: string;
  fixture: string;
  sha256: string;
  bytes: number;
  about: string;
}

/**
 * Generates the fixture set into a scratch directory (seeded: identical bytes on every machine),
 * checks that the example's artefacts are the generator's candidates, and copies the inputs the demo
 * needs to `targets` (and, with `companion`, those of {@link DEMO_COMPANION}). The scratch
 * directory is removed; nothing is written into the example.
 *
 * @example
 * const { inputs } = generateDemoInputs(loaded, { production: "demo-out/releases/churn-v1.2.0/model.onnx", ... });
 * inputs.production.sha256; // the digest of the fixture's models/production.onnx
 */
export function generateDemoInputs(
  loaded: LoadedManifest,
  targets: Record<keyof typeof DEMO_INPUTS, string>,
  companion?: { loaded: LoadedManifest; targets: Record<keyof typeof DEMO_COMPANION.inputs, string> },
): { inputs: Record<keyof typeof DEMO_INPUTS, DemoInput>; companion?: CompanionInputs } {
  const scratch = mkdtempSync(join(tmpdir(), "gauntlet-demo-"));
  try {
    const { files } = writeFixtures(scratch, DEMO_FIXTURE_OPTIONS);
    const file = (path: string): FixtureFile => {
      const found = files.find((f) => f.path === path);
      if (!found) throw new Error(`the fixture generator no longer writes ${path}`);
      return found;
    };
    const requireCandidate = (manifest: LoadedManifest, fixture: string) => {
      const candidate = file(fixture);
      const pinned = manifest.manifest.artefact.sha256?.toLowerCase();
      if (pinned !== candidate.sha256) {
        throw new UserError(
          `the demo runs on the example made by the fixture generator, but artefact.sha256 is ${pinned ?? "not set"} and the generator's ${fixture} is ${candidate.sha256}`,
          {
            file: manifest.file,
            field: "artefact.sha256",
            fix: "run the demo on examples/churn, regenerated with `node examples/churn/generate.mjs` after `npm run build`",
          },
        );
      }
    };
    const copy = <K extends string>(
      specs: Record<K, { path: string; about: string }>,
      to: Record<K, string>,
    ): Record<K, DemoInput> => {
      const out = {} as Record<K, DemoInput>;
      for (const key of Object.keys(specs) as K[]) {
        const { path, about } = specs[key];
        const source = file(path);
        mkdirSync(dirname(to[key]), { recursive: true });
        copyFileSync(join(scratch, path), to[key]);
        out[key] = { path: to[key], fixture: path, sha256: source.sha256, bytes: source.bytes, about };
      }
      return out;
    };
    requireCandidate(loaded, CANDIDATE);
    if (!companion) return { inputs: copy(DEMO_INPUTS, targets) };
    requireCandidate(companion.loaded, DEMO_COMPANION.candidate);
    return {
      inputs: copy(DEMO_INPUTS, targets),
      companion: copy(DEMO_COMPANION.inputs, companion.targets),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

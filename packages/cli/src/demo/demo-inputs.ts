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
 * checks that the example's artefact is the generator's candidate, and copies the inputs the demo
 * needs to `targets`. The scratch directory is removed; nothing is written into the example.
 *
 * @example
 * const inputs = generateDemoInputs(loaded, { production: "demo-out/releases/churn-v1.2.0/model.onnx", ... });
 * inputs.production.sha256; // the digest of the fixture's models/production.onnx
 */
export function generateDemoInputs(
  loaded: LoadedManifest,
  targets: Record<keyof typeof DEMO_INPUTS, string>,
): Record<keyof typeof DEMO_INPUTS, DemoInput> {
  const scratch = mkdtempSync(join(tmpdir(), "gauntlet-demo-"));
  try {
    const { files } = writeFixtures(scratch, DEMO_FIXTURE_OPTIONS);
    const file = (path: string): FixtureFile => {
      const found = files.find((f) => f.path === path);
      if (!found) throw new Error(`the fixture generator no longer writes ${path}`);
      return found;
    };
    const candidate = file(CANDIDATE);
    const pinned = loaded.manifest.artefact.sha256?.toLowerCase();
    if (pinned !== candidate.sha256) {
      throw new UserError(
        `the demo runs on the example made by the fixture generator, but artefact.sha256 is ${pinned ?? "not set"} and the generator's ${CANDIDATE} is ${candidate.sha256}`,
        {
          file: loaded.file,
          field: "artefact.sha256",
          fix: "run the demo on examples/churn, regenerated with `node examples/churn/generate.mjs` after `npm run build`",
        },
      );
    }
    const out = {} as Record<keyof typeof DEMO_INPUTS, DemoInput>;
    for (const key of Object.keys(DEMO_INPUTS) as (keyof typeof DEMO_INPUTS)[]) {
      const { path, about } = DEMO_INPUTS[key];
      const source = file(path);
      mkdirSync(dirname(targets[key]), { recursive: true });
      copyFileSync(join(scratch, path), targets[key]);
      out[key] = { path: targets[key], fixture: path, sha256: source.sha256, bytes: source.bytes, about };
    }
    return out;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

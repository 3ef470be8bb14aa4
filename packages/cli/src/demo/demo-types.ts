import type { DemoInput } from "./demo-inputs.js";
import type { ProductionRelease } from "./production-release.js";

/** Where the demo reads and writes. */
export interface DemoOptions {
  /** The directory relative paths are resolved against (the process's working directory). */
  cwd: string;
  /** The example model repository, e.g. `examples/churn`. */
  example: string;
  /** Where every report goes, e.g. `demo-out`: created if needed, never inside the example. */
  out: string;
  /** Milliseconds clock for the timings. Default `performance.now`. */
  now?: () => number;
}

/** The steps in the order a pull request, its merge and the monitoring schedule run them. */
export type DemoStepName = "validate" | "evaluate" | "shadow" | "behaviour" | "gate" | "promote" | "drift";

/** One step's outcome, as the summary and `index.md` show it. */
export interface DemoStep {
  name: DemoStepName;
  /** What triggers the step on GitHub. */
  when: "pull request" | "merge" | "schedule";
  /** The computed verdict: the result file's status, recommendation or level. */
  verdict: string;
  /** One line on why. */
  detail: string;
  /** Absolute paths of the Markdown report and the JSON result. */
  report: string;
  result: string;
  seconds: number;
}

/** The second model the demo takes through its pull request and merge (the example's multiclass model). */
export interface DemoCompanion {
  model: { name: string; version: string };
  production: ProductionRelease;
  inputs: DemoInput[];
  steps: DemoStep[];
  /** Absolute paths of its sticky comment and its model card. */
  comment: string;
  card: string;
}

/** What a demo run produced. */
export interface DemoRun {
  model: { name: string; version: string };
  manifestFile: string;
  exampleDir: string;
  outDir: string;
  production: ProductionRelease;
  inputs: DemoInput[];
  steps: DemoStep[];
  /** Absolute paths of the sticky comment, the index, and the model card. */
  comment: string;
  index: string;
  card: string;
  /** The example's multiclass model, when it holds one: its pull request and merge. */
  companion?: DemoCompanion;
  /** The registry site's `index.html` (`gauntlet site` on the demo's registry and results). */
  site: string;
  seconds: number;
}

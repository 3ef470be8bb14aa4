import { type CheckStatus, type FailOn, failsStep, worstStatus } from "@gauntlet/core";
import type { ModelStep, ModelStepRun, StepOutcome } from "@gauntlet/steps";
import { failOnOption, type OptionSpec, type OptionValues, parseOptions, requireOption } from "./args.js";
import type { Command } from "./io.js";

/** The options every model command takes, as its action takes the inputs. */
const COMMON_OPTIONS = {
  manifest: { type: "string" },
  "results-dir": { type: "string" },
  "fail-on": { type: "string" },
} as const satisfies OptionSpec;

/** What {@link modelCommand} hands a command to set its step up with. */
export interface CommandSetup<T extends OptionSpec> {
  options: OptionValues<T & typeof COMMON_OPTIONS>;
  /** `--manifest`: a path or a glob. */
  manifest: string;
  /** `--results-dir` (default `.gauntlet`). */
  resultsDir: string;
  cwd: string;
}

/** A command's step over its models, and how it prints each one and decides the exit code. */
export interface CommandStep<O extends StepOutcome> {
  step: ModelStep<O>;
  /** What is printed for one model (default: its report, then `→ <result file>`). */
  print?: (run: ModelStepRun<O>) => string;
  /** The exit code from every model's status (default: {@link exitCodeFor}). */
  exitCode?: (statuses: O["result"]["status"][], failOn: FailOn) => number;
}

/**
 * Puts a command's step and how it prints together, so `print` is typed by the step's outcome.
 *
 * @example
 * commandStep(await modelStep(manifest, "shadow", place, (loaded) => compareShadow(loaded, options)), {
 *   print: ({ outcome, written }) => `${outcome.markdown}\n\n→ ${written.result}\n`,
 * });
 */
export function commandStep<O extends StepOutcome>(
  step: ModelStep<O>,
  rest: Omit<CommandStep<O>, "step"> = {},
): CommandStep<O> {
  return { step, ...rest };
}

/**
 * A step's command, run the one way the actions run it (`modelStep`: load → step → write the result
 * and its report), printing instead of publishing: parses `--manifest`, `--results-dir`,
 * `--fail-on` and the command's own `options`, lets the command set its step up (`define`), prints
 * each model's report and returns the exit code. Unlike the actions, a command stops at the first
 * user mistake: `main` prints it as one `error:` line and exits 1.
 *
 * @example
 * export const validateCommand = modelCommand(
 *   { name: "validate", summary: "check data against the manifest's data contract", usage, options: { data: { type: "string" } } },
 *   async ({ options, manifest, resultsDir, cwd }) =>
 *     commandStep(await modelStep(manifest, "validation", { cwd, resultsDir }, (loaded) =>
 *       validateData(loaded, { cwd, data: options.data, now: new Date() }))),
 * );
 * // gauntlet validate --manifest models/churn/model.yml → the report, "→ .gauntlet/churn/validation.json", exit 0
 */
export function modelCommand<T extends OptionSpec>(
  spec: Omit<Command, "run"> & { options: T },
  define: (setup: CommandSetup<T>) => Promise<AnyCommandStep>,
): Command {
  const { options: own, ...command } = spec;
  return {
    ...command,
    async run(args, io) {
      const options = parseOptions(args, { ...COMMON_OPTIONS, ...own }, spec.usage);
      const failOn = failOnOption(options);
      const manifest = requireOption(options, "manifest", spec.usage);
      const given = options["results-dir"];
      const resultsDir = typeof given === "string" ? given : ".gauntlet";
      const { step, print, exitCode } = await define({ options, manifest, resultsDir, cwd: io.cwd });
      const statuses: string[] = [];
      for (const path of step.paths) {
        const run = await step.run(path);
        if (run === undefined) continue;
        io.stdout(print ? print(run) : `${run.outcome.markdown}\n\n→ ${run.written.result}\n`);
        statuses.push(run.outcome.result.status);
      }
      return (exitCode ?? exitCodeFor)(statuses as CheckStatus[], failOn);
    },
  };
}

/** A {@link CommandStep} of any outcome: {@link commandStep} has typed its hooks. */
// biome-ignore lint/suspicious/noExplicitAny: the outcome type is existential here, checked by commandStep
type AnyCommandStep = CommandStep<any>;

/**
 * The exit code of a command whose models end `pass`, `warn` or `fail`: 1 when the worst of them
 * fails the step under `--fail-on`, else 0.
 *
 * @example
 * exitCodeFor(["pass", "warn"], "error"); // 0
 * exitCodeFor(["pass", "warn"], "warning"); // 1
 */
export function exitCodeFor(statuses: Iterable<CheckStatus>, failOn: FailOn): number {
  return failsStep(worstStatus(statuses), failOn) ? 1 : 0;
}

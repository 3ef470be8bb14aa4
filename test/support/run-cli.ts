import { main } from "../../packages/cli/src/main.js";

/**
 * Runs the `gauntlet` CLI in this process with `env` added to the environment for the call (a
 * token, `GITHUB_API_URL`), and returns its exit code and output.
 *
 * @example
 * await runCli(["audit", "--manifest", "models/churn/model.yml", "--request", "r-1", "--repo", "acme/models"], { cwd, env: { GITHUB_TOKEN: token } });
 * // { code: 0, stdout: "Request r-1 …", stderr: "" }
 */
export async function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const saved = { ...process.env };
  Object.assign(process.env, options.env ?? {});
  try {
    const code = await main(args, {
      cwd: options.cwd,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    return { code, stdout, stderr };
  } finally {
    process.env = saved;
  }
}

import { failsStep, isUserError, type UserError, worstStatus } from "@gauntlet/core";
import {
  commonInputs,
  publishModelResult,
  readInputs,
  readRunContext,
  reportFailure,
  setOutputs,
} from "@gauntlet/github";
import { loadManifest, resolveManifestPaths, validateData, writeResult } from "@gauntlet/steps";
import * as z from "zod";

/** Mirrors action.yml. */
const inputsSchema = z.object({
  ...commonInputs,
  data: z.string().optional(),
  reference: z.string().optional(),
});

/**
 * validate-data: checks each manifest's data against its contract, writes
 * `<results-dir>/<model>/validation.json`, and publishes the "Data" section.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = readInputs(inputsSchema, env);
  const context = readRunContext(env);
  const cwd = env["GITHUB_WORKSPACE"] ?? process.cwd();
  const statuses: ("pass" | "warn" | "fail")[] = [];
  const errors: UserError[] = [];
  const outputs: Record<string, string> = {};

  for (const path of await resolveManifestPaths(inputs.manifest, cwd)) {
    try {
      const loaded = await loadManifest(path, cwd);
      const { manifest, result, markdown } = await validateData(loaded, {
        cwd,
        data: inputs.data,
        reference: inputs.reference,
        now: new Date(),
      });
      const written = await writeResult(inputs["results-dir"], manifest.name, "validation", result, markdown);
      const { commentId } = await publishModelResult({
        context,
        token: inputs["github-token"],
        comment: inputs.comment,
        model: manifest.name,
        section: "data",
        markdown,
        checks: result.checks,
        manifestFile: loaded.file,
      });
      statuses.push(result.status);
      Object.assign(outputs, { result: written.result, report: written.report ?? "", status: result.status });
      if (commentId !== undefined) outputs["comment-id"] = String(commentId);
    } catch (error) {
      // One model's mistake must not hide the others' results: report it and go on.
      if (!isUserError(error)) throw error;
      errors.push(error);
    }
  }

  const status = errors.length > 0 ? "fail" : worstStatus(statuses);
  setOutputs({
    ...outputs,
    status,
    passed: String(!failsStep(status, inputs["fail-on"]) && errors.length === 0),
  });
  // Each user mistake is its own ::error line (and exit code 1).
  for (const error of errors) reportFailure(error);
  if (failsStep(status, inputs["fail-on"])) process.exitCode = 1;
}

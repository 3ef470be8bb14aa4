import {
  booleanInput,
  checkVerdict,
  commonInputs,
  finishModelRun,
  forEachModel,
  publishModelResult,
  readInputs,
  readRunContext,
} from "@gauntlet/github";
import { compareShadow, loadManifest, resolveManifestPaths, writeResult } from "@gauntlet/steps";
import * as z from "zod";

/** Mirrors action.yml. */
const inputsSchema = z.object({
  ...commonInputs,
  log: z.string().optional(),
  "champion-model": z.string().optional(),
  "champion-version": z.string().optional(),
  "version-field": z.string().optional(),
  outcome: z.string().optional(),
  "challenger-latency": z.string().optional(),
  "show-rows": booleanInput().default(false),
});

/**
 * shadow-compare: compares each manifest's candidate with the served champion on logged traffic,
 * writes `<results-dir>/<model>/shadow.json`, and publishes the "Shadow" section.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = readInputs(inputsSchema, env);
  const context = readRunContext(env);
  const cwd = env["GITHUB_WORKSPACE"] ?? process.cwd();
  const models = await forEachModel(
    await resolveManifestPaths(inputs.manifest, cwd),
    async (path, outputs) => {
      const loaded = await loadManifest(path, cwd);
      const { manifest, result, markdown } = await compareShadow(loaded, {
        cwd,
        log: inputs.log,
        championModel: inputs["champion-model"],
        championVersion: inputs["champion-version"],
        versionField: inputs["version-field"],
        outcome: inputs.outcome,
        challengerLatency: inputs["challenger-latency"],
        showRows: inputs["show-rows"],
      });
      const written = await writeResult(inputs["results-dir"], manifest.name, "shadow", result, markdown);
      const { commentId } = await publishModelResult({
        context,
        token: inputs["github-token"],
        comment: inputs.comment,
        model: manifest.name,
        section: "shadow",
        markdown,
        checks: result.checks,
        manifestFile: loaded.file,
      });
      Object.assign(outputs, {
        result: written.result,
        report: written.report ?? "",
        status: result.status,
        recommendation: result.recommendation,
        disagreement: String(result.agreement.disagreement ?? ""),
      });
      if (commentId !== undefined) outputs["comment-id"] = String(commentId);
      return result.status;
    },
  );
  finishModelRun(models, checkVerdict(models, inputs["fail-on"]));
}

import * as core from "@actions/core";
import type { Check, CommentSection } from "@gauntlet/core";
import type { GitHubClient } from "./client.js";
import type { RunContext } from "./context.js";
import { annotate, writeSummary } from "./publish.js";
import { upsertStickyComment } from "./sticky-comment.js";

/** One model's result, ready to publish. */
export interface ModelResultToPublish {
  context: RunContext;
  /** The step's one client (tests hand in one pointed at a fake GitHub). */
  client: GitHubClient;
  /** The `comment` input: write the sticky PR comment section. */
  comment: boolean;
  model: string;
  section: CommentSection;
  /** The section's Markdown (data-derived text already escaped). */
  markdown: string;
  /** Checks to annotate, pointed at `manifestFile`. */
  checks?: readonly Check[];
  manifestFile: string;
  /** Where the full report is, for truncation notes (the results artifact or the run). */
  fullReport?: string;
}

/**
 * Publishes one model's section the same way in every action: the job summary, annotations for
 * failing and warning checks, and — on a pull request with `comment: true` — the model's sticky
 * comment. Returns the comment's id when one was written.
 *
 * @example
 * const { commentId } = await publishModelResult({ context, client, comment: true, model: "churn",
 *   section: "data", markdown, checks: result.checks, manifestFile: "models/churn/model.yml" });
 */
export async function publishModelResult(
  input: ModelResultToPublish,
): Promise<{ commentId: number | undefined }> {
  await writeSummary(input.markdown, input.fullReport === undefined ? {} : { fullReport: input.fullReport });
  if (input.checks) annotate(input.checks, { file: input.manifestFile });
  const pr = input.context.pullRequest;
  if (!input.comment) return { commentId: undefined };
  if (!pr) {
    core.info(`Not a pull request (${input.context.eventName}): no comment written for ${input.model}.`);
    return { commentId: undefined };
  }
  const written = await upsertStickyComment(input.client, {
    ...input.context.repo,
    issueNumber: pr.number,
    model: input.model,
    section: input.section,
    markdown: input.markdown,
    fullReport: input.fullReport ?? input.context.runUrl,
  });
  core.info(`${written.created ? "Created" : written.updated ? "Updated" : "Unchanged"}: ${written.url}`);
  return { commentId: written.id };
}

/** What is the same for every model a step publishes: the run, the client and the `comment` input. */
export type PublishTarget = Pick<ModelResultToPublish, "context" | "client" | "comment">;

/** One model's own part of {@link ModelResultToPublish}. */
export type ModelSection = Pick<ModelResultToPublish, "section" | "markdown" | "checks" | "fullReport">;

/**
 * {@link publishModelResult} bound to one step's target, for the per-model loop: each model then
 * names only its loaded manifest (the section's model and the annotations' file) and its section.
 * Returns the step outputs publishing sets — `comment-id` when a comment was written — to merge
 * into the step's outputs.
 *
 * @example
 * const publish = modelPublisher({ context, client, comment: inputs.comment });
 * Object.assign(outputs, await publish(loaded, { section: "data", markdown, checks: result.checks }));
 * // outputs gains { "comment-id": "1234" } on a pull request with comment: true, else nothing
 */
export function modelPublisher(
  target: PublishTarget,
): (
  loaded: { file: string; manifest: { name: string } },
  section: ModelSection,
) => Promise<{ "comment-id"?: string }> {
  return async (loaded, section) => {
    const { commentId } = await publishModelResult({
      ...target,
      ...section,
      model: loaded.manifest.name,
      manifestFile: loaded.file,
    });
    return commentId === undefined ? {} : { "comment-id": String(commentId) };
  };
}

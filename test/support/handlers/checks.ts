import { checkRunShape } from "../delivery-shapes.js";
import { type CheckRunState, nextId, timestamp } from "../github-state.js";
import { type Handler, type HandlerContext, notFound, validationFailed } from "./context.js";
import { resolveCommit } from "./git.js";

function runOf(ctx: HandlerContext): CheckRunState {
  const run = ctx.state.checkRuns.find((r) => r.id === Number(ctx.params["check_run_id"]));
  if (!run) throw notFound();
  return run;
}

/** Applies the fields create and update share, including GitHub's 50-annotations-per-request cap. */
function applyFields(ctx: HandlerContext, run: CheckRunState): void {
  const b = ctx.body ?? {};
  if (b.name !== undefined) run.name = String(b.name);
  if (b.external_id !== undefined) run.externalId = b.external_id;
  if (b.details_url !== undefined) run.detailsUrl = b.details_url;
  if (b.started_at !== undefined) run.startedAt = b.started_at;
  if (b.status !== undefined) run.status = b.status;
  if (b.conclusion !== undefined) {
    run.conclusion = b.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed") {
    if (!run.conclusion) throw validationFailed("CheckRun", "conclusion", "missing_field");
    run.completedAt = b.completed_at ?? run.completedAt ?? timestamp(ctx.state);
  }
  if (b.output) {
    const annotations = (b.output.annotations ?? []) as unknown[];
    if (annotations.length > 50)
      throw validationFailed("CheckRun", "annotations", "invalid", "at most 50 annotations per request");
    run.output = {
      title: b.output.title ?? run.output.title,
      summary: b.output.summary ?? run.output.summary,
      text: b.output.text ?? run.output.text,
      annotations: [...run.output.annotations, ...annotations],
    };
  }
}

/** Check runs: create, update, get and list for a ref. */
export const checkHandlers: Record<string, Handler> = {
  "checks/create": (ctx) => {
    const run: CheckRunState = {
      id: nextId(ctx.state),
      name: String(ctx.body.name),
      headSha: String(ctx.body.head_sha),
      status: "queued",
      conclusion: null,
      externalId: null,
      detailsUrl: null,
      startedAt: timestamp(ctx.state),
      completedAt: null,
      output: { title: null, summary: null, text: null, annotations: [] },
    };
    if (!ctx.state.commits.has(run.headSha))
      throw validationFailed("CheckRun", "head_sha", "invalid", "No commit found for SHA");
    applyFields(ctx, run);
    ctx.state.checkRuns.push(run);
    return { status: 201, body: checkRunShape(ctx.shapes, run) };
  },
  "checks/update": (ctx) => {
    const run = runOf(ctx);
    applyFields(ctx, run);
    return { status: 200, body: checkRunShape(ctx.shapes, run) };
  },
  "checks/get": (ctx) => ({ status: 200, body: checkRunShape(ctx.shapes, runOf(ctx)) }),
  "checks/list-for-ref": (ctx) => {
    const commit = resolveCommit(ctx.state, String(ctx.params["ref"]));
    if (!commit)
      throw validationFailed("CheckRun", "ref", "invalid", `No commit found for SHA: ${ctx.params["ref"]}`);
    const name = ctx.query["check_name"];
    const status = ctx.query["status"];
    const runs = ctx.state.checkRuns
      .filter((r) => r.headSha === commit.sha)
      .filter((r) => name === undefined || r.name === name)
      .filter((r) => status === undefined || r.status === status)
      .sort((a, b) => b.id - a.id);
    // `filter=latest` (the default) keeps the newest run per name.
    const latest =
      ctx.query["filter"] === "all"
        ? runs
        : runs.filter((r, i) => runs.findIndex((o) => o.name === r.name) === i);
    const perPage = Math.min(Number(ctx.query["per_page"] ?? 30), 100);
    const page = Number(ctx.query["page"] ?? 1);
    const slice = latest.slice((page - 1) * perPage, page * perPage);
    return {
      status: 200,
      body: { total_count: latest.length, check_runs: slice.map((r) => checkRunShape(ctx.shapes, r)) },
    };
  },
};

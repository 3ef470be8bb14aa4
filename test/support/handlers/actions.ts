import { type Handler, HttpError, notFound, requireRepo } from "./context.js";

/** Path prefix of the artifact downloads that `actions/download-artifact` redirects to. */
export const ARTIFACT_BLOB_PATH = "/_blob/artifacts/";

/** Workflow runs and their artifacts: listing by name, reading a run, downloading an archive. */
export const actionHandlers: Record<string, Handler> = {
  "actions/list-artifacts-for-repo": (ctx) => {
    requireRepo(ctx);
    const name = ctx.query["name"];
    const all = ctx.state.artifacts
      .filter((a) => name === undefined || a.name === name)
      .sort((a, b) => b.id - a.id);
    const perPage = Math.min(Math.max(Number(ctx.query["per_page"] ?? 30), 1), 100);
    const page = Math.max(Number(ctx.query["page"] ?? 1), 1);
    const artifacts = all.slice((page - 1) * perPage, page * perPage).map((a) => ctx.shapes.artifact(a));
    return { status: 200, body: { total_count: all.length, artifacts } };
  },
  "actions/get-workflow-run": (ctx) => {
    requireRepo(ctx);
    const run = ctx.state.workflowRuns.find((r) => r.id === Number(ctx.params["run_id"]));
    if (!run) throw notFound();
    return { status: 200, body: ctx.shapes.workflowRun(run) };
  },
  "actions/download-artifact": (ctx) => {
    requireRepo(ctx);
    const artifact = ctx.state.artifacts.find((a) => a.id === Number(ctx.params["artifact_id"]));
    if (!artifact || ctx.params["archive_format"] !== "zip") throw notFound();
    if (artifact.expired) throw new HttpError(410, "Artifact has expired");
    // GitHub answers with a short-lived link to blob storage, which needs no token.
    const location = `${ctx.url.origin}${ARTIFACT_BLOB_PATH}${artifact.id}.zip?sig=${artifact.createdAt}`;
    return { status: 302, headers: { location } };
  },
};

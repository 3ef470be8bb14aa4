import { deploymentShape, deploymentStatusShape } from "../delivery-shapes.js";
import { type DeploymentState, nextId, timestamp } from "../github-state.js";
import { type Handler, type HandlerContext, HttpError, notFound, paginate } from "./context.js";
import { resolveCommit } from "./git.js";

function deploymentOf(ctx: HandlerContext): DeploymentState {
  const deployment = ctx.state.deployments.find((d) => d.id === Number(ctx.params["deployment_id"]));
  if (!deployment) throw notFound();
  return deployment;
}

/** Deployments and their statuses. */
export const deploymentHandlers: Record<string, Handler> = {
  "repos/create-deployment": (ctx) => {
    const ref = String(ctx.body.ref);
    const commit = resolveCommit(ctx.state, ref);
    if (!commit) throw new HttpError(422, `No ref found for: ${ref}`);
    const environment = String(ctx.body.environment ?? "production");
    const deployment: DeploymentState = {
      id: nextId(ctx.state),
      ref,
      sha: commit.sha,
      task: String(ctx.body.task ?? "deploy"),
      environment,
      description: ctx.body.description ?? null,
      payload:
        typeof ctx.body.payload === "string"
          ? JSON.parse(ctx.body.payload || "{}")
          : (ctx.body.payload ?? {}),
      creator: ctx.actor,
      productionEnvironment: ctx.body.production_environment ?? environment === "production",
      transientEnvironment: ctx.body.transient_environment ?? false,
      createdAt: timestamp(ctx.state),
      statuses: [],
    };
    ctx.state.deployments.push(deployment);
    return { status: 201, body: deploymentShape(ctx.shapes, deployment) };
  },
  "repos/list-deployments": (ctx) => {
    const { environment, ref, sha, task } = ctx.query;
    const list = ctx.state.deployments
      .filter((d) => environment === undefined || d.environment === environment)
      .filter((d) => ref === undefined || d.ref === ref)
      .filter((d) => sha === undefined || d.sha === sha)
      .filter((d) => task === undefined || d.task === task)
      .sort((a, b) => b.id - a.id);
    return paginate(ctx, list, (d) => deploymentShape(ctx.shapes, d));
  },
  "repos/get-deployment": (ctx) => ({ status: 200, body: deploymentShape(ctx.shapes, deploymentOf(ctx)) }),
  "repos/create-deployment-status": (ctx) => {
    const deployment = deploymentOf(ctx);
    const status = {
      id: nextId(ctx.state),
      state: String(ctx.body.state),
      description: String(ctx.body.description ?? ""),
      environment: String(ctx.body.environment ?? deployment.environment),
      environmentUrl: String(ctx.body.environment_url ?? ""),
      logUrl: String(ctx.body.log_url ?? ctx.body.target_url ?? ""),
      creator: ctx.actor,
      createdAt: timestamp(ctx.state),
    };
    deployment.statuses.push(status);
    // auto_inactive (default true) marks earlier successful deployments to the same environment inactive.
    if (status.state === "success" && ctx.body.auto_inactive !== false) {
      for (const other of ctx.state.deployments) {
        if (other === deployment || other.environment !== deployment.environment) continue;
        if (other.statuses.at(-1)?.state !== "success") continue;
        other.statuses.push({ ...status, id: nextId(ctx.state), state: "inactive", description: "" });
      }
    }
    return { status: 201, body: deploymentStatusShape(ctx.shapes, deployment, status) };
  },
  "repos/list-deployment-statuses": (ctx) => {
    const deployment = deploymentOf(ctx);
    const statuses = [...deployment.statuses].reverse();
    return paginate(ctx, statuses, (s) => deploymentStatusShape(ctx.shapes, deployment, s));
  },
};

/** One `<model>/v<version>` tag and the commit it points at (annotated tags peeled). */
export interface VersionTagState {
  version: string;
  tag: string;
  commit: string;
}

/** A release of the model and the assets it already has. */
export interface ReleaseState {
  id: number;
  tag: string;
  name: string;
  body: string;
  uploadUrl: string;
  assets: { name: string; size: number }[];
}

/** A deployment to the stage's environment and its statuses, oldest first. */
export interface DeploymentState {
  id: number;
  commit: string;
  states: string[];
  /** When the deployment was created (ISO 8601): a rollout stage began then. */
  createdAt?: string;
}

/**
 * What the registry holds for one model and stage, read from the API before planning, so a plan
 * only contains what is missing and a re-run after a partial failure finishes the job.
 *
 * @example
 * const state: RegistryState = { tags: [], releases: [], alias: null, deployments: [] };
 */
export interface RegistryState {
  tags: VersionTagState[];
  releases: ReleaseState[];
  /** The stage's alias tag and the commit it points at; `null` before the first promotion. */
  alias: { tag: string; commit: string } | null;
  /** Deployments to the environment at the commit the plan is about, newest first. */
  deployments: DeploymentState[];
}

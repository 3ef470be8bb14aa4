import { actionHandlers } from "./actions.js";
import { checkHandlers } from "./checks.js";
import type { Handler } from "./context.js";
import { deploymentHandlers } from "./deployments.js";
import { gitHandlers } from "./git.js";
import { issueHandlers } from "./issues.js";
import { pullHandlers } from "./pulls.js";
import { releaseHandlers } from "./releases.js";
import { repoHandlers } from "./repos.js";

/** Every operation the server implements, by the spec's operationId. */
export const handlers: Record<string, Handler> = {
  ...issueHandlers,
  ...pullHandlers,
  ...checkHandlers,
  ...gitHandlers,
  ...repoHandlers,
  ...releaseHandlers,
  ...deploymentHandlers,
  ...actionHandlers,
};

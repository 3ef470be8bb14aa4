import { githubError, isRequestFailure, type PermissionNeed } from "./github-error.js";

export type { PermissionNeed };

/**
 * Runs GitHub calls and reports a failure in the caller's words — a missing permission, GitHub
 * being unavailable — as a {@link UserError} (through {@link githubError}) instead of a raw HTTP
 * error with a stack trace. A 404 from a read is rethrown unchanged: a missing tag or release is
 * often an answer the caller handles; if nobody does, the action's error boundary translates it.
 *
 * @example
 * await withPermission({ action: "create check run gauntlet/churn", permission: "checks: write" }, () =>
 *   client.rest.checks.create({ owner, repo, name: "gauntlet/churn", head_sha }),
 * );
 */
export async function withPermission<T>(need: PermissionNeed, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isReadNotFound(error)) throw error;
    throw githubError(error, need);
  }
}

function isReadNotFound(error: unknown): boolean {
  if (!isRequestFailure(error) || error.status !== 404) return false;
  const method = (error.request.method ?? "GET").toUpperCase();
  return method === "GET" || method === "HEAD";
}

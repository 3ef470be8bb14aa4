import { UserError } from "@gauntlet/core";

/** What a call is for, in words a workflow author reads, and the job permission it needs. */
export interface PermissionNeed {
  /** Completes "the token cannot …", e.g. `comment on pull request #12`. */
  action: string;
  /** As written under `permissions:` in the workflow, e.g. `pull-requests: write`. */
  permission: string;
}

interface HttpFailure {
  status: number;
  message: string;
  request?: { method?: string };
}

function isHttpFailure(error: unknown): error is HttpFailure {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as HttpFailure).status === "number" &&
    typeof (error as HttpFailure).message === "string"
  );
}

/**
 * Turns GitHub's answer to a call the token was not allowed to make into a {@link UserError}
 * that names the missing permission and where to add it; any other error is returned as is.
 * GitHub answers 403 "Resource not accessible by integration" for a missing job permission, and
 * 404 for a write to something the token cannot see, so a 404 is only mapped for writes (a
 * missing thing on a read is the caller's business).
 *
 * @example
 * permissionError(error, { action: "comment on pull request #12", permission: "pull-requests: write" });
 * // UserError: the token cannot comment on pull request #12: it needs `permissions: pull-requests: write` in the workflow job. Fix: ...
 */
export function permissionError(error: unknown, need: PermissionNeed): unknown {
  if (!isHttpFailure(error)) return error;
  const method = (error.request?.method ?? "GET").toUpperCase();
  const isWrite = method !== "GET" && method !== "HEAD";
  const notAccessible = error.status === 403 && /not accessible by/i.test(error.message);
  if (error.status === 401) {
    return new UserError(`GitHub rejected the token (401 ${error.message}) while trying to ${need.action}`, {
      field: "github-token",
      fix: `pass a valid token, e.g. \`github-token: \${{ github.token }}\` (the default)`,
    });
  }
  if (!notAccessible && !(isWrite && error.status === 404)) return error;
  return new UserError(
    `the token cannot ${need.action} (GitHub answered ${error.status} ${error.message}): ` +
      `it needs \`permissions: ${need.permission}\` in the workflow job`,
    {
      fix:
        `add \`${need.permission}\` under \`permissions:\` of the job (jobs.<job>.permissions) in the workflow file; ` +
        "pull requests from forks only get a read-only token, so run there with `comment: false` and " +
        "publish from a `workflow_run` workflow",
    },
  );
}

/**
 * Runs GitHub calls and reports a missing permission as a {@link UserError} instead of a raw
 * HTTP error with a stack trace.
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
    throw permissionError(error, need);
  }
}

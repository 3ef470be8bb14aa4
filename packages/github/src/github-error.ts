import { UserError } from "@gauntlet/core";

/** What a call is for, in words a workflow author reads, and the job permission it needs. */
export interface PermissionNeed {
  /** Completes "the token cannot …", e.g. `comment on pull request #12`. */
  action: string;
  /** As written under `permissions:` in the workflow, e.g. `pull-requests: write`. */
  permission: string;
}

/** The parts of Octokit's `RequestError` that say what failed (duck-typed: bundles may hold two copies). */
interface RequestFailure {
  status: number;
  message: string;
  request: { method?: string; url?: string };
  response?: { headers?: Record<string, string | number | undefined> };
}

/**
 * True for an error Octokit threw for an HTTP request: it carries the status and the request.
 *
 * @example
 * isRequestFailure(new RequestError("Not Found", 404, { request })); // true
 * isRequestFailure(new TypeError("x")); // false
 */
export function isRequestFailure(error: unknown): error is RequestFailure {
  if (typeof error !== "object" || error === null) return false;
  const e = error as Partial<RequestFailure>;
  return (
    typeof e.status === "number" &&
    typeof e.message === "string" &&
    typeof e.request === "object" &&
    e.request !== null
  );
}

const UNAVAILABLE_FIX =
  "re-run the job; if it keeps failing, check https://www.githubstatus.com (the result files of this run are kept)";

/**
 * The one translation of a failed GitHub call into a {@link UserError}, used by every caller:
 * - 401: the token is invalid (names the `github-token` input);
 * - 403 or 404: the token may not do this; names the operation and the job permission it needs
 *   (GitHub answers 404 for what a token cannot see);
 * - 5xx, a network failure, or a rate limit that outlasted the client's retries:
 *   "GitHub is unavailable: re-run".
 * `need` names the operation in the caller's words; without it, the operation and permission are
 * derived from the request's method and route (see {@link describeRequest}). Anything else
 * (a 422, a value that is not a request failure) is returned unchanged: that is a gauntlet bug.
 *
 * @example
 * githubError(error); // for GET /repos/acme/models/pulls/9/reviews answered 403:
 * // UserError: the token cannot read pull request reviews (GET /repos/acme/models/pulls/9/reviews,
 * // GitHub answered 403 Forbidden): it needs `permissions: pull-requests: read` in the workflow job. Fix: …
 */
export function githubError(error: unknown, need?: PermissionNeed): unknown {
  if (!isRequestFailure(error)) return error;
  const method = (error.request.method ?? "GET").toUpperCase();
  const route = routeOf(error.request.url);
  const { action, permission } = need ?? describeRequest(method, route);
  const answered = `GitHub answered ${error.status} ${error.message}`;
  const where = need && route ? ` (${method} ${route})` : "";
  if (error.status === 401) {
    return new UserError(
      `GitHub rejected the token (401 ${error.message}) while trying to ${action}${where}`,
      {
        field: "github-token",
        fix: `pass a valid token, e.g. \`github-token: \${{ github.token }}\` (the default)`,
      },
    );
  }
  if (isRateLimit(error)) {
    return new UserError(
      `GitHub is unavailable: re-run. The API rate limit outlasted the retries while trying to ${action}${where} (${answered})`,
      { fix: UNAVAILABLE_FIX },
    );
  }
  if (error.status >= 500 || error.status === 0) {
    return new UserError(
      `GitHub is unavailable: re-run. Trying to ${action}${where} failed after retries (${answered})`,
      { fix: UNAVAILABLE_FIX },
    );
  }
  if (error.status !== 403 && error.status !== 404) return error;
  const hidden = error.status === 404 ? " (GitHub answers 404 for what the token cannot see)" : "";
  return new UserError(
    `the token cannot ${action}${where} (${answered})${hidden}: ` +
      `it needs \`permissions: ${permission}\` in the workflow job`,
    {
      fix:
        `add \`${permission}\` under \`permissions:\` of the job (jobs.<job>.permissions) in the workflow file; ` +
        "pull requests from forks only get a read-only token, so run there with `comment: false` and " +
        "publish from a `workflow_run` workflow",
    },
  );
}

/** GitHub signals an exhausted limit with 403 or 429, and says so in the headers or message. */
function isRateLimit(error: RequestFailure): boolean {
  if (error.status !== 403 && error.status !== 429) return false;
  const headers = error.response?.headers ?? {};
  return (
    error.status === 429 ||
    String(headers["x-ratelimit-remaining"]) === "0" ||
    headers["retry-after"] !== undefined ||
    /rate limit/i.test(error.message)
  );
}

/** The request's path without the API root and query: `/repos/acme/models/pulls/9/reviews`. */
function routeOf(url: string | undefined): string {
  if (!url) return "";
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, "").replace(/[?#].*$/, "");
  // GHES serves the API under /api/v3.
  return path.replace(/^\/api\/v3(?=\/)/, "");
}

const ROUTES: readonly [pattern: RegExp, noun: string, scope: string][] = [
  [/^\/repos\/[^/]+\/[^/]+\/issues\/(\d+\/)?comments/, "issue and pull request comments", "pull-requests"],
  [/^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/reviews/, "pull request reviews", "pull-requests"],
  [/^\/repos\/[^/]+\/[^/]+\/pulls/, "pull requests", "pull-requests"],
  [/^\/repos\/[^/]+\/[^/]+\/commits\/[^/]+\/pulls/, "the pull requests of a commit", "pull-requests"],
  [/^\/repos\/[^/]+\/[^/]+\/issues/, "issues", "issues"],
  [/^\/repos\/[^/]+\/[^/]+\/(check-runs|check-suites|commits\/[^/]+\/check-runs)/, "check runs", "checks"],
  [/^\/repos\/[^/]+\/[^/]+\/releases/, "releases", "contents"],
  [/^\/repos\/[^/]+\/[^/]+\/deployments/, "deployments", "deployments"],
  [/^\/repos\/[^/]+\/[^/]+\/actions\//, "workflows and artifacts", "actions"],
  [/^\/repos\/[^/]+\/[^/]+\/collaborators/, "the repository's collaborators", "contents"],
  [/^\/orgs\/[^/]+\/teams\//, "organisation team membership", "members"],
  [
    /^\/repos\/[^/]+\/[^/]+\/(git|contents|compare|commits|tags|branches)\b/,
    "the repository's contents",
    "contents",
  ],
];

const VERBS: Record<string, string> = { GET: "read", HEAD: "read", POST: "create", DELETE: "delete" };

/**
 * The operation and job permission of a REST request, in a workflow author's words, for errors
 * that no caller described. Unknown routes name the request itself.
 *
 * @example
 * describeRequest("GET", "/repos/acme/models/issues/9/comments");
 * // { action: "read issue and pull request comments (GET /repos/acme/models/issues/9/comments)",
 * //   permission: "pull-requests: read" }
 */
export function describeRequest(method: string, route: string): PermissionNeed {
  const m = method.toUpperCase();
  const request = route ? `${m} ${route}` : `${m} request`;
  const match = ROUTES.find(([pattern]) => pattern.test(route));
  if (!match) return { action: `make the request ${request}`, permission: "the scope this request needs" };
  const [, noun, scope] = match;
  const read = m === "GET" || m === "HEAD";
  return {
    action: `${VERBS[m] ?? "update"} ${noun} (${request})`,
    permission: `${scope}: ${read ? "read" : "write"}`,
  };
}

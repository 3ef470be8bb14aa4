import type { GitHubState } from "./github-state.js";
import type { Operation } from "./openapi.js";

/** A GitHub Actions `permissions:` map, e.g. `{ "pull-requests": "write", contents: "read" }`. */
export type PermissionMap = Partial<Record<PermissionScope, "read" | "write" | "none">>;

export type PermissionScope =
  | "actions"
  | "checks"
  | "contents"
  | "deployments"
  | "issues"
  | "members"
  | "metadata"
  | "pull-requests"
  | "statuses";

/** The default `GITHUB_TOKEN` of these tests: every scope writable. */
export const ALL_WRITE: PermissionMap = {
  actions: "write",
  checks: "write",
  contents: "write",
  deployments: "write",
  issues: "write",
  members: "read",
  metadata: "read",
  "pull-requests": "write",
  statuses: "write",
};

interface Requirement {
  /** Any one of these scopes at `level` suffices (PR comments: issues or pull-requests). */
  scopes: PermissionScope[];
  level: "read" | "write";
}

/** Which permission an operation needs, mapped from its path the way GitHub documents it. */
export function requiredPermission(
  operation: Operation,
  params: Record<string, unknown>,
  state: GitHubState,
): Requirement {
  const level = operation.method === "GET" || operation.method === "HEAD" ? "read" : "write";
  const path = operation.template.replace(/^\/repos\/\{owner\}\/\{repo\}/, "");
  const isPull = (): boolean => {
    const number = params["issue_number"];
    if (number !== undefined) return state.issues.get(Number(number))?.isPullRequest ?? false;
    const comment = state.comments.find((c) => c.id === Number(params["comment_id"]));
    return comment ? (state.issues.get(comment.issueNumber)?.isPullRequest ?? false) : false;
  };
  if (operation.template.startsWith("/orgs/")) return { scopes: ["members"], level: "read" };
  if (path === "" || path.startsWith("/collaborators")) return { scopes: ["metadata"], level };
  if (path.startsWith("/issues") || path.startsWith("/labels")) {
    return { scopes: isPull() ? ["issues", "pull-requests"] : ["issues"], level };
  }
  if (/^\/commits\/\{commit_sha\}\/pulls/.test(path) || path.startsWith("/pulls"))
    return { scopes: ["pull-requests"], level };
  if (path.startsWith("/check-") || /\/check-(runs|suites)$/.test(path)) return { scopes: ["checks"], level };
  if (path.startsWith("/deployments")) return { scopes: ["deployments"], level };
  if (path.startsWith("/actions")) return { scopes: ["actions"], level };
  if (path.startsWith("/statuses") || /\/status(es)?$/.test(path)) return { scopes: ["statuses"], level };
  return { scopes: ["contents"], level };
}

/** True when the token's map grants the requirement; metadata is always readable, as on GitHub. */
export function isAllowed(permissions: PermissionMap, requirement: Requirement): boolean {
  return requirement.scopes.some((scope) => {
    const granted = scope === "metadata" ? "read" : permissions[scope];
    if (requirement.level === "read") return granted === "read" || granted === "write";
    return granted === "write";
  });
}

import { isUserError } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { describeRequest, githubError } from "./github-error.js";
import { withPermission } from "./permission.js";

const need = { action: "create check run gauntlet/churn", permission: "checks: write" };
const API = "https://api.github.com";
/** The shape Octokit's RequestError has: status, message, the request, and the response's headers. */
const httpError = (
  status: number,
  message: string,
  method = "POST",
  path = "/repos/acme/models/check-runs",
  headers: Record<string, string> = {},
) =>
  Object.assign(new Error(message), {
    status,
    request: { method, url: `${API}${path}?per_page=100` },
    response: { headers },
  });
const messageOf = (mapped: unknown) => {
  expect(isUserError(mapped)).toBe(true);
  return (mapped as Error).message;
};

describe("githubError", () => {
  it("maps 403 'Resource not accessible by integration' to a user error naming the permission and the fix", () => {
    const message = messageOf(githubError(httpError(403, "Resource not accessible by integration"), need));
    expect(message).toContain(
      "the token cannot create check run gauntlet/churn (POST /repos/acme/models/check-runs)",
    );
    expect(message).toContain("it needs `permissions: checks: write` in the workflow job");
    expect(message).toMatch(/Fix: add `checks: write` under `permissions:`/);
    expect(message).toContain("workflow_run");
  });

  it.each([
    [
      "GET",
      "/repos/acme/models/issues/9/comments",
      "read issue and pull request comments",
      "pull-requests: read",
    ],
    ["GET", "/repos/acme/models/pulls/9/reviews", "read pull request reviews", "pull-requests: read"],
    ["GET", "/repos/acme/models/releases", "read releases", "contents: read"],
    ["POST", "/repos/acme/models/issues", "create issues", "issues: write"],
    [
      "PATCH",
      "/repos/acme/models/issues/comments/4",
      "update issue and pull request comments",
      "pull-requests: write",
    ],
    ["GET", "/repos/acme/models/compare/a...b", "read the repository's contents", "contents: read"],
    [
      "GET",
      "/repos/acme/models/commits/abc/pulls",
      "read the pull requests of a commit",
      "pull-requests: read",
    ],
    ["POST", "/repos/acme/models/deployments", "create deployments", "deployments: write"],
  ])(
    "names %s %s by its operation and permission when no caller described it",
    (method, path, action, permission) => {
      const message = messageOf(githubError(httpError(403, "Forbidden", method, path)));
      expect(message).toContain(`the token cannot ${action} (${method} ${path})`);
      expect(message).toContain(`it needs \`permissions: ${permission}\``);
    },
  );

  it("maps a 404 on a read too, saying GitHub hides what the token cannot see", () => {
    const message = messageOf(githubError(httpError(404, "Not Found", "GET", "/repos/acme/models/releases")));
    expect(message).toContain(
      "the token cannot read releases (GET /repos/acme/models/releases) (GitHub answered 404 Not Found)",
    );
    expect(message).toContain("GitHub answers 404 for what the token cannot see");
  });

  it.each([
    ["a persistent 500", httpError(500, "Server Error", "GET", "/repos/acme/models/pulls/9/reviews")],
    ["a 502", httpError(502, "Bad Gateway", "GET", "/repos/acme/models/pulls/9/reviews")],
    [
      "a network failure (Octokit reports status 500)",
      httpError(500, "fetch failed", "GET", "/repos/acme/models/pulls/9/reviews"),
    ],
    [
      "a primary rate limit",
      httpError(
        403,
        "API rate limit exceeded for installation",
        "GET",
        "/repos/acme/models/pulls/9/reviews",
        {
          "x-ratelimit-remaining": "0",
        },
      ),
    ],
    [
      "a secondary rate limit",
      httpError(
        403,
        "You have exceeded a secondary rate limit",
        "GET",
        "/repos/acme/models/pulls/9/reviews",
        {
          "retry-after": "60",
        },
      ),
    ],
    ["a 429", httpError(429, "Too Many Requests", "GET", "/repos/acme/models/pulls/9/reviews")],
  ])("says GitHub is unavailable on %s, naming the operation", (_name, error) => {
    const message = messageOf(githubError(error));
    expect(message).toMatch(/^GitHub is unavailable: re-run\./);
    expect(message).toContain("read pull request reviews (GET /repos/acme/models/pulls/9/reviews)");
    expect(message).toContain("Fix: re-run the job");
    expect(message).not.toContain("permissions:");
  });

  it("maps 401 to a user error about the github-token input", () => {
    expect(messageOf(githubError(httpError(401, "Bad credentials", "GET"), need))).toMatch(
      /^github-token: GitHub rejected the token/,
    );
  });

  it("returns other errors unchanged: they are gauntlet bugs", () => {
    const other = httpError(422, "Validation Failed");
    expect(githubError(other, need)).toBe(other);
    expect(githubError("boom", need)).toBe("boom");
    const plain = Object.assign(new Error("x"), { status: 500 });
    expect(githubError(plain)).toBe(plain);
  });
});

describe("describeRequest", () => {
  it("names an unknown route by the request itself", () => {
    expect(describeRequest("GET", "/meta")).toEqual({
      action: "make the request GET /meta",
      permission: "the scope this request needs",
    });
  });
});

describe("withPermission", () => {
  it("passes results through and rethrows mapped errors", async () => {
    await expect(withPermission(need, async () => 42)).resolves.toBe(42);
    const failing = withPermission(need, async () => {
      throw httpError(403, "Resource not accessible by integration");
    });
    await expect(failing).rejects.toMatchObject({ name: "UserError" });
  });

  it("maps a 404 from a write, but rethrows a 404 from a read for the caller to handle", async () => {
    const write = withPermission(need, async () => {
      throw httpError(404, "Not Found", "PATCH");
    });
    await expect(write).rejects.toMatchObject({ name: "UserError" });
    const read = httpError(404, "Not Found", "GET");
    await expect(
      withPermission(need, async () => {
        throw read;
      }),
    ).rejects.toBe(read);
  });
});

import { describe, expect, it } from "vitest";
import { trustedResultsArtifact, untrustedBecause } from "./trusted-results.js";

const HEAD = "5e6f0a1b2c3d4e5f60718293a4b5c6d7e8f90123";
const run = (fields: Partial<Parameters<typeof untrustedBecause>[0]>) => ({
  id: 77,
  event: "pull_request_target",
  path: ".github/workflows/pr-fork.yml",
  head_sha: "0000000000000000000000000000000000000000",
  repository: { full_name: "acme/models" },
  head_repository: { full_name: "acme/models" },
  ...fields,
});

describe("untrustedBecause", () => {
  it("trusts the base branch's workflow on pull_request_target, whatever commit the run names", () => {
    expect(untrustedBecause(run({}), "acme/models", HEAD)).toBeUndefined();
  });

  it("trusts a branch of this repository at exactly the head commit", () => {
    for (const event of ["pull_request", "pull_request_review"]) {
      expect(untrustedBecause(run({ event, head_sha: HEAD }), "ACME/models", HEAD)).toBeUndefined();
      expect(untrustedBecause(run({ event, head_sha: "1".repeat(40) }), "acme/models", HEAD)).toBe(
        "run 77 ran for 1111111, not 5e6f0a1",
      );
    }
  });

  it("refuses a fork's own workflow, another repository's run and any other event", () => {
    const fork = run({ event: "pull_request", head_sha: HEAD, head_repository: { full_name: "eve/models" } });
    expect(untrustedBecause(fork, "acme/models", HEAD)).toBe(
      "run 77 ran the fork eve/models's own copy of .github/workflows/pr-fork.yml on pull_request",
    );
    expect(untrustedBecause({ ...fork, head_repository: null }, "acme/models", HEAD)).toContain(
      "the fork (deleted)",
    );
    expect(untrustedBecause(run({ repository: { full_name: "eve/models" } }), "acme/models", HEAD)).toBe(
      "run 77 belongs to eve/models",
    );
    expect(untrustedBecause(run({ event: "push" }), "acme/models", HEAD)).toContain(
      "on push, which does not compute pull request results",
    );
  });

  it("names the artifact after the head commit", () => {
    expect(trustedResultsArtifact(HEAD)).toBe(`gauntlet-results-${HEAD}`);
  });
});

import { describe, expect, it } from "vitest";
import { computeApprovals, type Review } from "./compute-approvals.js";

const HEAD = "head000000";
let clock = 0;
const review = (user: string, state: Review["state"], commitId = HEAD): Review => ({
  user,
  state,
  commitId,
  submittedAt: new Date(Date.UTC(2024, 4, 1) + ++clock * 60_000).toISOString(),
});
const approvals = (reviews: Review[], extra: Partial<Parameters<typeof computeApprovals>[0]> = {}) =>
  computeApprovals({
    reviews,
    headSha: HEAD,
    author: "dev",
    from: ["octocat", "@acme/risk-leads"],
    min: 1,
    ...extra,
  });

describe("computeApprovals", () => {
  it("counts an approval of the head commit from a listed user", () => {
    const result = approvals([review("octocat", "APPROVED")]);
    expect(result).toEqual({
      required: 1,
      counted: [{ user: "octocat", via: "octocat" }],
      ignored: [],
      status: "pass",
      eligible: ["octocat", "@acme/risk-leads"],
    });
  });

  it("is pending, not failing, without enough approvals and says who can approve", () => {
    const result = approvals([review("octocat", "COMMENTED")], { min: 2 });
    expect(result.status).toBe("pending");
    expect(result.eligible).toEqual(["octocat", "@acme/risk-leads"]);
    expect(result.counted).toEqual([]);
  });

  it("ignores an approval of an older commit", () => {
    const result = approvals([review("octocat", "APPROVED", "old1234567")]);
    expect(result.status).toBe("pending");
    expect(result.ignored).toEqual([
      { user: "octocat", reason: "approved an older commit old1234; approve again on head000" },
    ]);
  });

  it("never counts the author's own approval", () => {
    const result = approvals([review("Dev", "APPROVED")], { from: ["dev"] });
    expect(result.counted).toEqual([]);
    expect(result.ignored[0]!.reason).toBe("the PR author's own approval never counts");
  });

  it("lets the latest review decide: dismissed and changes requested withdraw, a comment does not", () => {
    const dismissed = approvals([review("octocat", "APPROVED"), review("octocat", "DISMISSED")]);
    expect(dismissed.status).toBe("pending");
    expect(dismissed.ignored[0]!.reason).toBe("approval dismissed; their latest review decides");
    const changes = approvals([review("octocat", "APPROVED"), review("octocat", "CHANGES_REQUESTED")]);
    expect(changes.ignored[0]!.reason).toBe("requested changes; their latest review decides");
    expect(approvals([review("octocat", "CHANGES_REQUESTED"), review("octocat", "APPROVED")]).status).toBe(
      "pass",
    );
    expect(approvals([review("octocat", "APPROVED"), review("octocat", "COMMENTED")]).status).toBe("pass");
  });

  it("orders reviews by submission time, not list order", () => {
    const approve = review("octocat", "APPROVED");
    const withdraw = review("octocat", "CHANGES_REQUESTED");
    expect(approvals([withdraw, approve]).status).toBe("pending");
  });

  it("counts members of a listed team and ignores everyone else", () => {
    const result = approvals([review("alice", "APPROVED"), review("mallory", "APPROVED")], {
      teamMembers: { "@acme/risk-leads": ["Alice", "bob"] },
    });
    expect(result.counted).toEqual([{ user: "alice", via: "@acme/risk-leads" }]);
    expect(result.ignored).toEqual([{ user: "mallory", reason: "not in approvals.from" }]);
  });

  it("without approvals.from counts writers only", () => {
    const reviews = [review("alice", "APPROVED"), review("eve", "APPROVED")];
    const result = approvals(reviews, { from: undefined, writers: ["alice", "dev"] });
    expect(result.counted).toEqual([{ user: "alice", via: "write access" }]);
    expect(result.ignored).toEqual([{ user: "eve", reason: "no write access to the repository" }]);
    expect(result.eligible).toEqual(["alice"]);
    const unchecked = approvals(reviews, { from: undefined });
    expect(unchecked.status).toBe("pending");
    expect(unchecked.ignored[0]!.reason).toBe("write access was not checked");
  });

  it("handles a long merged list of 250 reviews", () => {
    const reviews: Review[] = [];
    for (let round = 0; round < 5; round++) {
      for (let u = 0; u < 50; u++) {
        const last = round === 4;
        const state: Review["state"] = last
          ? u % 2 === 0
            ? "APPROVED"
            : "CHANGES_REQUESTED"
          : round % 2 === 0
            ? "APPROVED"
            : "COMMENTED";
        reviews.push(review(`user${u}`, state, last ? HEAD : "old0000000"));
      }
    }
    expect(reviews).toHaveLength(250);
    const members = Array.from({ length: 50 }, (_, u) => `user${u}`);
    const result = approvals(reviews.reverse(), { min: 25, teamMembers: { "@acme/risk-leads": members } });
    expect(result.counted).toHaveLength(25);
    expect(result.counted.every((c) => Number(c.user.slice(4)) % 2 === 0)).toBe(true);
    expect(result.ignored).toHaveLength(25);
    expect(result.status).toBe("pass");
  });
});

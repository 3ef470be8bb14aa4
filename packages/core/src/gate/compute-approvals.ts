import type { GateApprovals, IgnoredApproval } from "./gate-result.js";

/** A PR review as listed by GitHub (all pages merged by the caller, in any order). */
export interface Review {
  user: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  /** The commit the review was submitted on. */
  commitId: string;
  /** ISO 8601 time the review was submitted. */
  submittedAt: string;
}

/** Everything the caller fetched from GitHub to judge approvals. */
export interface ApprovalInput {
  reviews: readonly Review[];
  /** The PR's current head commit: only approvals of it count. */
  headSha: string;
  /** The PR author, whose own approval never counts. */
  author: string;
  /** Members of every `@org/team` named in `approvals.from`. */
  teamMembers?: Readonly<Record<string, readonly string[]>>;
  /** Users with write access; consulted only when `approvals.from` is absent. */
  writers?: readonly string[];
  /** `approvals.from: codeowners`: the owners CODEOWNERS gives the manifest, and the rule that did. */
  codeowners?: { file: string; line: number; owners: readonly string[] };
}

/** {@link ApprovalInput} plus the manifest's `approvals`. */
export interface ComputeApprovalsInput extends ApprovalInput {
  /** Users and `@org/team`s whose approvals count; anyone with write access when absent. */
  from?: readonly string[];
  min: number;
}

const login = (name: string) => name.replace(/^@/, "").toLowerCase();
const isTeam = (principal: string) => principal.includes("/");

/**
 * Counts the approvals of a PR as GitHub does: each user's latest review decides (APPROVED
 * approves, CHANGES_REQUESTED and DISMISSED withdraw, COMMENTED and PENDING change nothing); an
 * approval counts only on the head commit, never from the author, and only from `from` (users,
 * or members of `@org/team`s) or, without `from`, from users with write access. Missing approvals
 * make the result `pending`, never `fail`.
 *
 * @example
 * computeApprovals({ reviews: [{ user: "octocat", state: "APPROVED", commitId: "abc", submittedAt: "2024-05-01T10:00:00Z" }],
 *   headSha: "abc", author: "dev", from: ["octocat"], min: 1 });
 * // { required: 1, status: "pass", counted: [{ user: "octocat", via: "octocat" }], ignored: [], eligible: ["octocat"] }
 */
export function computeApprovals(input: ComputeApprovalsInput): GateApprovals {
  const latest = new Map<string, { user: string; review: Review | undefined; withdrawn?: Review["state"] }>();
  const order = input.reviews
    .map((review, i) => ({ review, i, at: Date.parse(review.submittedAt) }))
    // Ties and unparsable times keep GitHub's listing order, which is chronological.
    .sort((a, b) => (a.at === b.at || Number.isNaN(a.at - b.at) ? a.i - b.i : a.at - b.at));
  for (const { review } of order) {
    const key = login(review.user);
    if (review.state === "APPROVED") latest.set(key, { user: review.user, review });
    else if (review.state === "CHANGES_REQUESTED" || review.state === "DISMISSED") {
      latest.set(key, { user: review.user, review: undefined, withdrawn: review.state });
    }
  }
  const counted: GateApprovals["counted"] = [];
  const ignored: IgnoredApproval[] = [];
  const author = login(input.author);
  for (const [key, { user, review, withdrawn }] of latest) {
    if (!review) {
      const why = withdrawn === "DISMISSED" ? "approval dismissed" : "requested changes";
      ignored.push({ user, reason: `${why}; their latest review decides` });
    } else if (key === author) {
      ignored.push({ user, reason: "the PR author's own approval never counts" });
    } else if (review.commitId !== input.headSha) {
      ignored.push({
        user,
        reason: `approved an older commit ${review.commitId.slice(0, 7)}; approve again on ${input.headSha.slice(0, 7)}`,
      });
    } else {
      const via = qualifies(key, input);
      if (via) counted.push({ user, via });
      else ignored.push({ user, reason: input.from ? "not in approvals.from" : notWriterReason(input) });
    }
  }
  const eligible = input.from ? [...input.from] : (input.writers ?? []).filter((w) => login(w) !== author);
  return {
    required: input.min,
    counted,
    ignored,
    status: counted.length >= input.min ? "pass" : "pending",
    eligible,
  };
}

function qualifies(key: string, input: ComputeApprovalsInput): string | undefined {
  if (!input.from) return input.writers?.some((w) => login(w) === key) ? "write access" : undefined;
  for (const principal of input.from) {
    if (!isTeam(principal) && login(principal) === key) return principal;
  }
  for (const principal of input.from) {
    if (!isTeam(principal)) continue;
    const members = input.teamMembers?.[principal] ?? input.teamMembers?.[`@${login(principal)}`] ?? [];
    if (members.some((m) => login(m) === key)) return principal;
  }
  return undefined;
}

function notWriterReason(input: ComputeApprovalsInput): string {
  return input.writers ? "no write access to the repository" : "write access was not checked";
}

import { codeownersOf, parseCodeowners, UserError } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { fileAt } from "../registry/bumped-manifests.js";

/** Where GitHub looks for CODEOWNERS, in its order: the first that exists is used. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

/** The owners CODEOWNERS gives a path, and where that was decided. */
export interface CodeownersApprovers {
  /** The CODEOWNERS file read, and the line of the rule that decided. */
  file: string;
  line: number;
  /** `@user` and `@org/team` owners; e-mail owners cannot be matched to reviewers and are left out. */
  owners: string[];
}

/**
 * `approvals: { from: codeowners }`: the owners of the manifest's path by the repository's
 * CODEOWNERS as of the pull request's base commit (as GitHub reads it for required reviews, so a
 * pull request cannot make its author an owner), the last matching rule winning. No CODEOWNERS,
 * no rule for the path, or a rule naming no user or team is a {@link UserError} on the manifest:
 * nobody could ever approve.
 *
 * @example
 * await codeownersApprovers(client, { owner: "acme", repo: "models", ref: baseSha, path: "models/churn/model.yml", manifestFile });
 * // { file: ".github/CODEOWNERS", line: 3, owners: ["@acme/risk-ml", "@octocat"] }
 */
export async function codeownersApprovers(
  client: GitHubClient,
  request: { owner: string; repo: string; ref: string; path: string; manifestFile: string },
): Promise<CodeownersApprovers> {
  const where = { file: request.manifestFile, field: "gate.approvals.from" };
  for (const file of CODEOWNERS_PATHS) {
    const text = await fileAt(client, request, file, request.ref);
    if (text === undefined) continue;
    const rule = codeownersOf(parseCodeowners(text), request.path);
    const owners = rule?.owners.filter((o) => o.startsWith("@")) ?? [];
    if (!rule || owners.length === 0) {
      throw new UserError(
        rule
          ? `${file} line ${rule.line} gives ${request.path} ${rule.owners.length === 0 ? "no owner" : `only e-mail owners (${rule.owners.join(", ")}), which cannot be matched to reviewers`}, so no approval could count`
          : `${file} has no rule for ${request.path}, so no approval could count`,
        {
          ...where,
          fix: `add a line such as \`${request.path.replace(/[^/]*$/, "")} @your-org/your-team\` to ${file} on the base branch, or list the approvers in gate.approvals.from`,
        },
      );
    }
    return { file, line: rule.line, owners };
  }
  throw new UserError(
    `approvals come from CODEOWNERS, but the base branch has none (${CODEOWNERS_PATHS.join(", ")})`,
    {
      ...where,
      fix: "add .github/CODEOWNERS with an owner for the model's folder, or list the approvers in gate.approvals.from",
    },
  );
}

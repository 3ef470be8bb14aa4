import * as z from "zod";

/** What the hidden record in a model card starts with. */
const OPEN = "<!-- gauntlet:release ";
const CLOSE = " -->";

/**
 * The facts behind a release that an audit needs to read back, as JSON: the commit, the pull
 * request and its approvers, the gate, the artefact's digest and the training data's. The model
 * card shows the same facts as prose; this copy is for programs (`gauntlet audit`), so nobody has
 * to parse Markdown.
 */
export const releaseRecordSchema = z.object({
  model: z.string(),
  version: z.string(),
  commit: z.string(),
  artefact: z.object({ name: z.string(), sha256: z.string() }),
  /** The merged pull request, when promote verified its gate on GitHub. */
  pull: z
    .object({ number: z.number().int(), headSha: z.string(), approvers: z.array(z.string()) })
    .nullable(),
  /** Conclusion of check run `gauntlet/<model>` (GitHub), or `gate.json`'s status, or `null` when not required. */
  gate: z.string().nullable(),
  trainingData: z
    .object({ location: z.string(), sha256: z.string().nullable(), verified: z.string() })
    .nullable(),
  code: z.object({ path: z.string().nullable(), commit: z.string().nullable() }).nullable(),
});

/** The parsed hidden record of a model card. */
export type ReleaseRecord = z.output<typeof releaseRecordSchema>;

/**
 * The record as an HTML comment for the end of the model card: GitHub does not show it, and
 * `<`/`>` are escaped in the JSON so no value can close the comment early.
 *
 * @example
 * releaseRecordComment({ model: "churn", version: "1.3.0", commit: "9f8e…", ... });
 * // '<!-- gauntlet:release {"model":"churn","version":"1.3.0",...} -->'
 */
export function releaseRecordComment(record: ReleaseRecord): string {
  const json = JSON.stringify(record).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `${OPEN}${json}${CLOSE}`;
}

/**
 * The record hidden in a release body, or `undefined` when the body has none (a release made
 * before gauntlet wrote it, or by hand) or it does not parse.
 *
 * @example
 * readReleaseRecord(card)?.pull?.approvers; // ["octocat"]
 * readReleaseRecord("# churn v1.2.0"); // undefined
 */
export function readReleaseRecord(body: string): ReleaseRecord | undefined {
  const start = body.lastIndexOf(OPEN);
  if (start < 0) return undefined;
  const end = body.indexOf(CLOSE, start + OPEN.length);
  if (end < 0) return undefined;
  try {
    const parsed = releaseRecordSchema.safeParse(JSON.parse(body.slice(start + OPEN.length, end)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

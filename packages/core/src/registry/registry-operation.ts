/** A file to attach to a release. */
export interface AssetFile {
  /** Asset name on the release, e.g. `model.onnx`, `evaluation.json`. */
  name: string;
  /** Where the bytes are on the runner. */
  path: string;
  size: number;
  contentType: string;
}

/**
 * One write to the registry. A plan is a list of these, applied in order; each is derived from
 * what the registry lacked when it was read, so applying a plan twice writes nothing twice.
 */
export type RegistryOperation =
  | { kind: "create-tag"; tag: string; commit: string; message: string }
  | { kind: "create-release"; tag: string; name: string; commit: string; body: string }
  | { kind: "upload-asset"; tag: string; asset: AssetFile }
  | { kind: "move-alias"; tag: string; from: string | null; to: string; force: boolean }
  | {
      kind: "create-deployment";
      environment: string;
      ref: string;
      commit: string;
      description: string;
      /** The deployment's payload, e.g. a rollout stage's traffic share; serving stacks read it. */
      payload?: Record<string, unknown>;
    }
  | {
      kind: "complete-deployment";
      environment: string;
      deploymentId: number;
      commit: string;
      description: string;
    }
  | { kind: "note-release"; tag: string; marker: string; note: string };

/** What to write, and what was found already in place (for logs and `--dry-run`). */
export interface RegistryPlan {
  model: string;
  version: string;
  commit: string;
  operations: RegistryOperation[];
  /** One line per thing that already exists and is kept, e.g. `tag churn/v1.3.0 exists at 1a2b3c4`. */
  kept: string[];
}

const short = (sha: string | null): string => (sha === null ? "(none)" : sha.slice(0, 7));

/**
 * One line describing an operation, as `--dry-run` prints it.
 *
 * @example
 * describeOperation({ kind: "move-alias", tag: "churn/production", from: "1a2b3c4d", to: "9f8e7d6c", force: false });
 * // "move alias churn/production 1a2b3c4 → 9f8e7d6"
 */
export function describeOperation(op: RegistryOperation): string {
  switch (op.kind) {
    case "create-tag":
      return `create annotated tag ${op.tag} at ${short(op.commit)}`;
    case "create-release":
      return `create release "${op.name}" for tag ${op.tag} (model card: ${op.body.length} characters)`;
    case "upload-asset":
      return `upload asset ${op.asset.name} (${op.asset.size} bytes, ${op.asset.path}) to release ${op.tag}`;
    case "move-alias":
      return `${op.from === null ? "create" : "move"} alias ${op.tag} ${op.from === null ? "at" : `${short(op.from)} →`} ${short(op.to)}${op.force ? " (backwards)" : ""}`;
    case "create-deployment":
      return `create deployment of ${op.ref} to environment ${op.environment} with status success${op.payload ? ` (payload ${JSON.stringify(op.payload)})` : ""}`;
    case "complete-deployment":
      return `set status success on deployment ${op.deploymentId} (environment ${op.environment})`;
    case "note-release":
      return `add a note to release ${op.tag}: ${op.note}`;
  }
}

/**
 * The plan as text: what would be written, then what is already in place.
 *
 * @example
 * describePlan(plan);
 * // "churn 1.3.0 at 9f8e7d6:\n  + create annotated tag churn/v1.3.0 at 9f8e7d6\n  ..."
 */
export function describePlan(plan: RegistryPlan): string {
  const lines = [`${plan.model} ${plan.version} at ${short(plan.commit)}:`];
  for (const op of plan.operations) lines.push(`  + ${describeOperation(op)}`);
  for (const kept of plan.kept) lines.push(`  = ${kept}`);
  if (plan.operations.length === 0) lines.push("  nothing to do: the registry already holds this version");
  return lines.join("\n");
}

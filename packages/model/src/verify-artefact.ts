import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { UserError } from "@gauntlet/core";

/** Where a failed check points the user: the manifest that declares the hash and its field. */
export interface ArtefactLocation {
  /** The manifest file, e.g. `models/churn/model.yml`. */
  file: string;
  /** The field holding the expected hash, e.g. `artefact.sha256`. */
  field: string;
}

/**
 * Streams `path` through SHA-256 and checks it against the hash the manifest declares, so an
 * artefact that changed after review is never evaluated or promoted. Resolves to the hash.
 * The comparison ignores case because `sha256sum` prints lowercase but people paste either.
 *
 * @example
 * await verifyArtefact("models/churn/model.onnx", manifest.artefact.sha256!, {
 *   file: "models/churn/model.yml",
 *   field: "artefact.sha256",
 * }); // "9f86d08…" or throws UserError "…: artefact.sha256: the artefact's SHA-256 is 9f86… but the manifest says 2c26…"
 */
export async function verifyArtefact(
  path: string,
  expectedSha256: string,
  where: ArtefactLocation,
): Promise<string> {
  const actual = await sha256File(path, where);
  if (actual !== expectedSha256.toLowerCase()) {
    throw new UserError(`the SHA-256 of ${path} is ${actual} but the manifest says ${expectedSha256}`, {
      ...where,
      fix:
        `if the new file is intended, set ${where.field}: "${actual}" ` +
        `(the output of \`sha256sum ${path}\`); otherwise restore the reviewed file`,
    });
  }
  return actual;
}

/**
 * The lowercase hex SHA-256 of a file, read as a stream so large artefacts never sit in memory.
 * A missing or unreadable file is a {@link UserError} at `where`.
 *
 * @example
 * await sha256File("models/churn/model.onnx", { file: "models/churn/model.yml", field: "artefact.path" });
 * // "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
 */
export async function sha256File(path: string, where: ArtefactLocation): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw unreadable(path, error, where);
  }
  return hash.digest("hex");
}

function unreadable(path: string, error: unknown, where: ArtefactLocation): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    return new UserError(`the artefact ${path} does not exist`, {
      ...where,
      fix: "commit the model file at that path, or make an earlier step download it there",
    });
  }
  if (code === "EISDIR") {
    return new UserError(`the artefact ${path} is a directory`, {
      ...where,
      fix: "point it at the .onnx file",
    });
  }
  return new UserError(`cannot read the artefact ${path}: ${(error as Error).message}`, {
    ...where,
    fix: "check the file's permissions",
  });
}

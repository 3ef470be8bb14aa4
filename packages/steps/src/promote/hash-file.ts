import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/**
 * The lowercase hex SHA-256 and size of a file, streamed so a large artefact never sits in memory.
 * Rejects with the file system error (`ENOENT`, ...) for the caller to word.
 *
 * @example
 * await hashFile("models/churn/model.onnx"); // { sha256: "9f86d0…", size: 48213 }
 */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}

import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FixtureOptions, writeFixtures } from "@gauntlet/fixtures";

/** A generated fixture set in a temp directory, with ways to read its files. */
export interface FixtureSet {
  dir: string;
  bytes(path: string): Buffer;
  sha256(path: string): string;
  remove(): void;
}

/**
 * Writes the seeded fixture set into a fresh temp directory.
 *
 * @example
 * const fx = writeFixtureSet("gauntlet-eval-fx-", { rows: 5000, trainRows: 8000, seed: 7 });
 * fx.sha256("models/candidate.onnx"); // "9f86d0…"
 */
export function writeFixtureSet(prefix: string, options: FixtureOptions): FixtureSet {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFixtures(dir, options);
  const bytes = (path: string) => readFileSync(join(dir, path));
  return {
    dir,
    bytes,
    sha256: (path) => createHash("sha256").update(bytes(path)).digest("hex"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

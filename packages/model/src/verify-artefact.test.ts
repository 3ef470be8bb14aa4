import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isUserError, type UserError } from "@gauntlet/core";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256File, verifyArtefact } from "./verify-artefact.js";

// Known answer from FIPS 180-2: SHA-256("abc").
const ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const where = { file: "models/churn/model.yml", field: "artefact.sha256" };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-verify-"));
  await writeFile(join(dir, "abc.onnx"), "abc");
  // Larger than one stream chunk (64 KiB), so the hash is built from several updates.
  await writeFile(join(dir, "big.onnx"), Buffer.alloc(300_000, 7));
});

async function caught(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isUserError(error)).toBe(true);
  return error as UserError;
}

describe("verifyArtefact", () => {
  it("resolves to the hash when it matches, whatever its case", async () => {
    await expect(verifyArtefact(join(dir, "abc.onnx"), ABC, where)).resolves.toBe(ABC);
    await expect(verifyArtefact(join(dir, "abc.onnx"), ABC.toUpperCase(), where)).resolves.toBe(ABC);
  });

  it("streams large files to the same hash as hashing them at once", async () => {
    const { createHash } = await import("node:crypto");
    const expected = createHash("sha256").update(Buffer.alloc(300_000, 7)).digest("hex");
    await expect(sha256File(join(dir, "big.onnx"), where)).resolves.toBe(expected);
  });

  it("a mismatch names both hashes, the field and both fixes", async () => {
    const wrong = "0".repeat(64);
    const error = await caught(verifyArtefact(join(dir, "abc.onnx"), wrong, where));
    expect(error.file).toBe("models/churn/model.yml");
    expect(error.field).toBe("artefact.sha256");
    expect(error.problem).toContain(ABC);
    expect(error.problem).toContain(wrong);
    expect(error.fix).toContain(`artefact.sha256: "${ABC}"`);
    expect(error.fix).toContain("restore");
  });

  it("a missing file is a user error, not ENOENT", async () => {
    const error = await caught(verifyArtefact(join(dir, "missing.onnx"), ABC, where));
    expect(error.problem).toMatch(/missing\.onnx does not exist/);
    expect(error.fix).toBeDefined();
  });

  it("a directory is a user error", async () => {
    const error = await caught(verifyArtefact(dir, ABC, where));
    expect(error.problem).toMatch(/is a directory/);
  });
});

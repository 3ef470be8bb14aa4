import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { EXAMPLE_MANIFEST_YAML, isUserError, type UserError } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isManifestGlob, loadManifest, resolveManifestPaths } from "./load-manifest.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-manifest-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("loadManifest", () => {
  it("loads a manifest and reports its path relative to the workspace", async () => {
    mkdirSync(join(dir, "models", "churn"), { recursive: true });
    writeFileSync(join(dir, "models", "churn", "model.yml"), EXAMPLE_MANIFEST_YAML);
    const loaded = await loadManifest("models/churn/model.yml", dir);
    expect(loaded.file).toBe("models/churn/model.yml");
    expect(loaded.manifest.name).toBe("churn");
  });

  it("names a missing manifest and how to point at one", async () => {
    const error = await failure(loadManifest("models/nope/model.yml", dir));
    expect(error.file).toBe("models/nope/model.yml");
    expect(error.problem).toBe("the manifest does not exist");
    expect(error.fix).toContain("relative to the repository root");
  });

  it("refuses a manifest path that cannot be read as a file", async () => {
    mkdirSync(join(dir, "models", "dir.yml"), { recursive: true });
    const error = await failure(loadManifest("models/dir.yml", dir));
    expect(error.file).toBe("models/dir.yml");
    expect(error.problem).toBe('"models/dir.yml" is a folder, not a regular file');
  });

  it("refuses a manifest outside the workspace: .., an absolute path, a link leading out", async () => {
    const outside = mkdtempSync(join(tmpdir(), "gauntlet-outside-"));
    try {
      writeFileSync(join(outside, "model.yml"), EXAMPLE_MANIFEST_YAML);
      symlinkSync(join(outside, "model.yml"), join(dir, "linked.yml"));
      const relativePath = relative(dir, join(outside, "model.yml"));
      for (const path of [relativePath, join(outside, "model.yml")]) {
        const error = await failure(loadManifest(path, dir));
        expect(error.problem).toBe(`"${path}" is outside the workspace`);
        expect(error.field).toBe("manifest");
      }
      expect((await failure(loadManifest("linked.yml", dir))).problem).toMatch(
        /symbolic link .* leads outside/,
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("refuses a manifest over 1 MiB from its size, before reading it", async () => {
    writeFileSync(join(dir, "model.yml"), `${EXAMPLE_MANIFEST_YAML}# ${"x".repeat(1024 * 1024)}\n`);
    const error = await failure(loadManifest("model.yml", dir));
    expect(error.file).toBe("model.yml");
    expect(error.problem).toMatch(/^the manifest is \d+ bytes; the limit is 1048576 \(1 MiB\)$/);
  });

  it("turns bad YAML into one error naming the file and line, not a parser dump", async () => {
    writeFileSync(join(dir, "model.yml"), "name: churn\nversion: [1, 2\n");
    const error = await failure(loadManifest("model.yml", dir));
    expect(error.message.startsWith("model.yml:")).toBe(true);
    expect(error.message).not.toContain("YAMLParseError");
  });
});

describe("resolveManifestPaths", () => {
  it("expands a glob in sorted order and refuses one that matches nothing", async () => {
    for (const name of ["b", "a"]) {
      mkdirSync(join(dir, "models", name), { recursive: true });
      writeFileSync(join(dir, "models", name, "model.yml"), "");
    }
    expect(await resolveManifestPaths("models/*/model.yml", dir)).toEqual([
      "models/a/model.yml",
      "models/b/model.yml",
    ]);
    expect(await resolveManifestPaths("models/a/model.yml", dir)).toEqual(["models/a/model.yml"]);
    const error = await failure(resolveManifestPaths("nothing/*/model.yml", dir));
    expect(error.field).toBe("manifest");
    const outside = await failure(resolveManifestPaths("../*/models/*/model.yml", dir));
    expect(outside.problem).toBe('the glob "../*/models/*/model.yml" reaches outside the workspace');
  });

  it("refuses two manifests in one folder: they would be two models of one name", async () => {
    mkdirSync(join(dir, "models", "churn"), { recursive: true });
    mkdirSync(join(dir, "models", "fraud"), { recursive: true });
    for (const file of ["models/churn/model.yml", "models/churn/copy.yml", "models/fraud/model.yml"])
      writeFileSync(join(dir, file), "");
    const error = await failure(resolveManifestPaths("models/*/*.yml", dir));
    expect(error.field).toBe("manifest");
    expect(error.problem).toContain(
      "'models/*/*.yml' matches 2 manifests in folders of one name (models/churn/copy.yml, models/churn/model.yml)",
    );
    expect(error.fix).toContain("move or remove the extra ones in models/churn/");
    expect(await resolveManifestPaths("models/*/model.yml", dir)).toHaveLength(2);
    mkdirSync(join(dir, "old", "churn"), { recursive: true });
    writeFileSync(join(dir, "old", "churn", "model.yml"), "");
    expect((await failure(resolveManifestPaths("*/*/model.yml", dir))).problem).toContain(
      "(models/churn/model.yml, old/churn/model.yml)",
    );
  });

  it("refuses a name that differs from the manifest's folder, naming both and the fix", async () => {
    mkdirSync(join(dir, "models", "churn-v2"), { recursive: true });
    writeFileSync(join(dir, "models", "churn-v2", "model.yml"), EXAMPLE_MANIFEST_YAML);
    const error = await failure(loadManifest("models/churn-v2/model.yml", dir));
    expect(error.message).toBe(
      "models/churn-v2/model.yml: name: the model's name 'churn' differs from its folder 'churn-v2'. " +
        "Fix: a model lives in models/<name>/model.yml: set name: churn-v2, or move the manifest to models/churn/model.yml",
    );
    // A manifest at the workspace root has no folder to agree with.
    writeFileSync(join(dir, "model.yml"), EXAMPLE_MANIFEST_YAML);
    expect((await loadManifest("model.yml", dir)).manifest.name).toBe("churn");
  });
});

describe("isManifestGlob", () => {
  it("tells a glob from one manifest's path", () => {
    for (const glob of [
      "models/*/model.yml",
      "models/{churn,fraud}/model.yml",
      "models/churn?/model.yml",
      "m/[ab]/model.yml",
    ]) {
      expect(isManifestGlob(glob), glob).toBe(true);
    }
    expect(isManifestGlob("models/churn/model.yml")).toBe(false);
  });
});

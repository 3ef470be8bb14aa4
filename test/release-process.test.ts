// The action's own release: notes from CHANGELOG.md, version tags created once and never moved
// (compatible with immutable releases), only the major tag moved; the runtime platforms stated in
// every action.yml.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
// @ts-expect-error: a plain .mjs script, without types.
import { changelogSection } from "../scripts/release-notes.mjs";

const ROOT = join(import.meta.dirname, "..");
const CHANGELOG =
  "# Changelog\n\n## Unreleased\n\n- next\n\n## [1.4.0] - 2026-12-01\n\n### Added\n- x\n\n## 1.3.0\n\n- y\n";

describe("release notes", () => {
  it("are the version's changelog section, and nothing else", () => {
    expect(changelogSection(CHANGELOG, "1.4.0")).toBe("### Added\n- x");
    expect(changelogSection(CHANGELOG, "1.3.0")).toBe("- y");
    expect(changelogSection(CHANGELOG, "1.4")).toBeUndefined();
    expect(changelogSection(CHANGELOG, "1.5.0")).toBeUndefined();
  });

  it("refuse a version without a section, with one line saying how to fix it", () => {
    const dir = mkdtempSync(join(tmpdir(), "gauntlet-notes-"));
    try {
      writeFileSync(join(dir, "CHANGELOG.md"), CHANGELOG);
      const script = join(ROOT, "scripts", "release-notes.mjs");
      const ok = execFileSync("node", [script, "1.4.0", join(dir, "CHANGELOG.md")], { encoding: "utf8" });
      expect(ok).toBe("### Added\n- x\n");
      let stderr = "";
      try {
        execFileSync("node", [script, "1.5.0", join(dir, "CHANGELOG.md")], {
          encoding: "utf8",
          stdio: "pipe",
        });
      } catch (error) {
        stderr = String((error as { stderr: string }).stderr);
      }
      expect(stderr).toMatch(/^release-notes: .* has no '## 1\.5\.0' section/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the release workflow", () => {
  const text = readFileSync(join(ROOT, ".github", "workflows", "release.yml"), "utf8");
  const run = (parse(text).jobs.publish.steps as { run?: string }[]).map((s) => s.run ?? "").join("\n");

  it("creates the version tag once, moves only the major tag, and publishes a release with the changelog's notes", () => {
    expect(run).toMatch(/git tag -a "\$\{tag\}"/);
    expect(run).not.toMatch(/git tag (-f|--force)[^\n]*\$\{tag\}/);
    expect(run).toMatch(/git tag --force "\$\{major\}"/);
    // Only the major tag is force-pushed; the version tag push fails if the tag exists.
    for (const line of run.split("\n").filter((l) => /git push/.test(l))) {
      if (/--force/.test(line)) expect(line).not.toMatch(/\$\{tag\}/);
    }
    expect(run).toMatch(/node scripts\/release-notes\.mjs "\$\{VERSION\}"/);
    expect(run).toMatch(/gh release create "\$\{tag\}" [^\n]*--notes-file/);
  });
});

describe("action.yml", () => {
  it("states the runners the bundled binaries are built for, in every action", () => {
    for (const name of readdirSync(join(ROOT, "actions"))) {
      const action = parse(readFileSync(join(ROOT, "actions", name, "action.yml"), "utf8"));
      expect(action.description, name).toContain("Linux x64 and arm64");
    }
  });
});

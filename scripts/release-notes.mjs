#!/usr/bin/env node
// Prints the release notes of one version: its section of CHANGELOG.md (`## 1.4.0` or
// `## [1.4.0]`, up to the next `## ` heading), for the GitHub Release the release workflow creates.
// Exits 1 with one line on stderr when the version has no section, so a release cannot go out
// without notes.
//
//   node scripts/release-notes.mjs 1.4.0 [CHANGELOG.md]
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/**
 * The body of a version's section of a changelog, without its heading, trimmed; `undefined` when
 * the changelog has no section for it.
 *
 * @example
 * changelogSection("# Changelog\n\n## 1.4.0\n\n- Added x\n\n## 1.3.0\n", "1.4.0"); // "- Added x"
 */
export function changelogSection(changelog, version) {
  const lines = changelog.replace(/\r\n?/g, "\n").split("\n");
  const escaped = version.replace(/[.+]/g, (c) => `\\${c}`);
  const heading = new RegExp(`^## \\[?v?${escaped}\\]?(\\s|$)`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^## /.test(line));
  const body = (end < 0 ? rest : rest.slice(0, end)).join("\n").trim();
  return body === "" ? undefined : body;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [version, file = "CHANGELOG.md"] = process.argv.slice(2);
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
    console.error(`release-notes: expected a version such as 1.4.0, got '${version ?? ""}'`);
    process.exit(1);
  }
  const section = changelogSection(readFileSync(file, "utf8"), version);
  if (section === undefined) {
    console.error(
      `release-notes: ${file} has no '## ${version}' section with notes; rename '## Unreleased' to '## ${version}' (and start a new Unreleased) before releasing`,
    );
    process.exit(1);
  }
  process.stdout.write(`${section}\n`);
}

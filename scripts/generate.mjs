#!/usr/bin/env node
// Writes the generated files that are committed: the manifest JSON Schema for editors, the
// manifest reference, and the inputs/outputs tables of every action README (from action.yml).
// With --check, writes nothing and fails when any of them is stale (CI runs this).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { manifestJsonSchema, markdownTable, renderManifestReference } from "@gauntlet/core";
import { parse } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");
const stale = [];

function emit(path, content) {
  const full = join(root, path);
  const current = existsSync(full) ? readFileSync(full, "utf8") : undefined;
  if (current === content) return;
  if (check) stale.push(path);
  else {
    writeFileSync(full, content);
    console.log(`wrote ${path}`);
  }
}

function replaceBetween(text, name, body, file) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${file}: missing ${start} … ${end} markers`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

// markdownTable puts each cell on one line and escapes its pipes; descriptions end with a newline.
const cell = (text) => String(text ?? "").trim();

emit("schema/model.schema.json", `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
emit("docs/manifest.md", renderManifestReference());

for (const name of readdirSync(join(root, "actions"))) {
  const actionFile = join(root, "actions", name, "action.yml");
  if (!existsSync(actionFile)) continue;
  const action = parse(readFileSync(actionFile, "utf8"));
  const inputs = Object.entries(action.inputs ?? {}).map(([input, spec]) => [
    `\`${input}\``,
    cell(spec.description),
    spec.default === undefined ? (spec.required ? "required" : "") : `\`${cell(spec.default)}\``,
  ]);
  const outputs = Object.entries(action.outputs ?? {}).map(([output, spec]) => [
    `\`${output}\``,
    cell(spec.description),
  ]);
  const readmePath = join("actions", name, "README.md");
  const readme = readFileSync(join(root, readmePath), "utf8");
  // The one table renderer of the reports; a README is not a comment, so nothing is cut.
  const whole = { maxLength: Number.POSITIVE_INFINITY };
  let next = replaceBetween(
    readme,
    "inputs",
    markdownTable(["Input", "Description", "Default"], inputs, whole),
    readmePath,
  );
  next = replaceBetween(
    next,
    "outputs",
    markdownTable(["Output", "Description"], outputs, whole),
    readmePath,
  );
  emit(readmePath, next);
}

if (stale.length > 0) {
  console.error(
    `Generated files are stale: ${stale.join(", ")}\nRun \`npm run generate\` and commit the result.`,
  );
  process.exit(1);
}
if (check) console.log(`generated files are up to date (${relative(root, root) || "."})`);

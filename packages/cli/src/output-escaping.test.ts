import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXAMPLE_MANIFEST_YAML } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "./main.js";

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "gauntlet-cli-escape-"));
  mkdirSync(join(cwd, "models", "churn"), { recursive: true });
  writeFileSync(join(cwd, "models", "churn", "model.yml"), EXAMPLE_MANIFEST_YAML);
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

/** Lines the runner would execute: after trimming whitespace they start with `::` or `##[`. */
const commandLines = (text: string) =>
  text.split("\n").filter((line) => /^(::|##\[)/.test(line.replace(/^\s+/, "")));

describe("gauntlet output in a GitHub Actions job", () => {
  it("cannot be made to emit a workflow command by a file name holding a newline and ::set-output", async () => {
    const name = "data/x\n::set-output name=passed::true\n::add-mask::y.csv";
    mkdirSync(join(cwd, "data"), { recursive: true });
    writeFileSync(join(cwd, name), "customer_id,churned\n");
    let stdout = "";
    let stderr = "";
    const code = await main(["validate", "--manifest", "models/churn/model.yml", "--data", name], {
      cwd,
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
    });
    expect(code).toBe(1);
    // The file is named in the message, character for character apart from invisible joiners…
    expect(stderr.replace(/\u2060/g, "")).toContain(name);
    // …but no line of the output is a command.
    expect(commandLines(stdout + stderr)).toEqual([]);
    expect(stderr).toContain("\n:\u2060:set-output name=passed::true");
  });
});

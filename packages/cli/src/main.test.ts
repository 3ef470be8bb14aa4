import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { EXAMPLE_MANIFEST_YAML } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "./main.js";

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "gauntlet-cli-"));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

/** Runs the CLI in `cwd`, returning its exit code and what it wrote. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    cwd,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

function writeManifest(text: string): void {
  mkdirSync(join(cwd, "models", "churn"), { recursive: true });
  writeFileSync(join(cwd, "models", "churn", "model.yml"), text);
}

describe("gauntlet errors name the command line's options, not action inputs", () => {
  it("tells a user without evaluation data to pass --data", async () => {
    // No evaluation section (and no gate, whose rules need one): nothing says which data to check.
    const from = EXAMPLE_MANIFEST_YAML.indexOf("\nevaluation:\n");
    const to = EXAMPLE_MANIFEST_YAML.indexOf("\nshadow:\n");
    expect(0 < from && from < to).toBe(true);
    writeManifest(EXAMPLE_MANIFEST_YAML.slice(0, from) + EXAMPLE_MANIFEST_YAML.slice(to));
    const { code, stderr } = await run("validate", "--manifest", "models/churn/model.yml");
    expect(code).toBe(1);
    expect(stderr).toBe(
      "error: models/churn/model.yml: evaluation.data: no data to check. " +
        "Fix: pass `--data` (a file or glob), or set evaluation.data in the manifest\n",
    );
  });

  it("tells a user whose manifest does not exist to check --manifest", async () => {
    const { code, stderr } = await run("validate", "--manifest", "models/nope/model.yml");
    expect(code).toBe(1);
    expect(stderr).toContain("Fix: check `--manifest`: it is a path relative to the repository root");
    expect(stderr).not.toContain("input");
  });

  it("reports a bad --shard as the option, without workflow syntax", async () => {
    writeManifest(EXAMPLE_MANIFEST_YAML);
    const { code, stderr } = await run("evaluate", "--manifest", "models/churn/model.yml", "--shard", "5/3");
    expect(code).toBe(1);
    expect(stderr).toContain("error: --shard: expected i/n with 1 ≤ i ≤ n");
    expect(stderr).toContain("Fix: write it as i/n with i from 1 to n, e.g. 1/4");
    expect(stderr).not.toMatch(/input|matrix|\$\{\{/);
  });
});

describe("gauntlet validate on confusing data files: one error line naming the file and the fix", () => {
  beforeEach(() => {
    writeManifest(EXAMPLE_MANIFEST_YAML);
    mkdirSync(join(cwd, "data"));
  });

  it("names a header-only file", async () => {
    writeFileSync(join(cwd, "data", "eval.csv"), "customer_id,tenure_months,region\n");
    const { code, stdout, stderr } = await run("validate", "--manifest", "models/churn/model.yml");
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      "error: models/churn/model.yml: evaluation.data: the data data/eval.csv has a header and no rows. " +
        "Fix: point evaluation.data at a file with rows: a header alone has nothing to check\n",
    );
    writeFileSync(join(cwd, "data", "other.csv"), "customer_id\n");
    const given = await run("validate", "--manifest", "models/churn/model.yml", "--data", "data/other.csv");
    expect(given.stderr).toBe(
      "error: models/churn/model.yml: the data data/other.csv has a header and no rows. " +
        "Fix: point `--data` at a file with rows: a header alone has nothing to check\n",
    );
  });

  it("names the separator of a semicolon-separated file", async () => {
    writeFileSync(join(cwd, "data", "eval.csv"), "customer_id;tenure_months;region\nc1;3;AE\n");
    const { code, stderr } = await run("validate", "--manifest", "models/churn/model.yml");
    expect(code).toBe(1);
    expect(stderr.split("\n")).toEqual([
      'error: data/eval.csv:1: the header is one column, "customer_id;tenure_months;region": the file looks separated by semicolons, not commas. ' +
        'Fix: write it comma-separated (pandas: to_csv(sep=",")); a spreadsheet in a locale with decimal commas exports ";": choose comma as the separator',
      "",
    ]);
  });

  it("recognises a gzip file named .csv", async () => {
    writeFileSync(join(cwd, "data", "eval.csv"), gzipSync("customer_id,region\nc1,AE\n"));
    const { code, stderr } = await run("validate", "--manifest", "models/churn/model.yml");
    expect(code).toBe(1);
    expect(stderr).toBe(
      "error: data/eval.csv: is gzip-compressed, not text: it starts with the gzip signature 1f 8b. " +
        "Fix: name it data/eval.csv.gz (gzip files are read by that name), or decompress it in an earlier step (`gunzip -c data/eval.csv > plain.csv`) and point at the plain file\n",
    );
  });
});

describe("gauntlet on confusing manifests: one error line", () => {
  it("reports tab indentation once", async () => {
    writeManifest(
      EXAMPLE_MANIFEST_YAML.replace(
        "  data: data/eval.csv\n  label: churned",
        "\tdata: data/eval.csv\n\tlabel: churned",
      ),
    );
    const { code, stderr } = await run("validate", "--manifest", "models/churn/model.yml");
    expect(code).toBe(1);
    expect(stderr.split("\n")).toHaveLength(2);
    expect(stderr).toMatch(
      /^error: models\/churn\/model\.yml:\d+: invalid YAML: this line is indented with a tab \(and 1 more line\)/,
    );
  });

  it("says version: 1.3 must be semver text", async () => {
    writeManifest(EXAMPLE_MANIFEST_YAML.replace("version: 1.3.0", "version: 1.3"));
    const { code, stderr } = await run("validate", "--manifest", "models/churn/model.yml");
    expect(code).toBe(1);
    expect(stderr).toBe(
      'error: models/churn/model.yml:2: version: a version must be semver x.y.z text, found number 1.3. Fix: write three numbers in quotes, e.g. version: "1.3.0"\n',
    );
  });
});

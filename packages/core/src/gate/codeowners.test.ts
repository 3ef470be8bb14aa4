import { describe, expect, it } from "vitest";
import { codeownersOf, parseCodeowners } from "./codeowners.js";

const owners = (text: string, path: string) => codeownersOf(parseCodeowners(text), path)?.owners;

describe("parseCodeowners", () => {
  it("reads pattern and owners per line, skipping comments, blanks and what GitHub does not support", () => {
    const rules = parseCodeowners(
      [
        "# the whole repository",
        "*   @acme/all   # trailing comment",
        "",
        "models/churn/   @acme/risk-ml octocat@example.com",
        "!models/keep @x",
        "[abc].txt @y",
        "docs/\\#notes.md @writer",
        "/build/logs/",
      ].join("\n"),
    );
    expect(rules.map((r) => [r.pattern, r.owners, r.line])).toEqual([
      ["*", ["@acme/all"], 2],
      ["models/churn/", ["@acme/risk-ml", "octocat@example.com"], 4],
      ["docs/#notes.md", ["@writer"], 7],
      ["/build/logs/", [], 8],
    ]);
  });
});

describe("codeownersOf", () => {
  it("lets the last matching rule win", () => {
    const text = "* @all\nmodels/ @ml\nmodels/churn/model.yml @churn\n*.yml @yaml";
    expect(owners(text, "models/churn/model.yml")).toEqual(["@yaml"]);
    expect(owners(text, "models/churn/model.onnx")).toEqual(["@ml"]);
    expect(owners(text, "README.md")).toEqual(["@all"]);
    expect(owners("models/ @ml", "src/x.ts")).toBeUndefined();
  });

  it("un-owns a path with a rule that names nobody", () => {
    expect(owners("* @all\nmodels/experimental/", "models/experimental/m/model.yml")).toEqual([]);
  });

  it("matches an unanchored pattern at any depth, an anchored one from the root only", () => {
    expect(owners("model.yml @a", "models/churn/model.yml")).toEqual(["@a"]);
    expect(owners("/model.yml @a", "models/churn/model.yml")).toBeUndefined();
    expect(owners("/model.yml @a", "model.yml")).toEqual(["@a"]);
    expect(owners("apps/ @a", "src/apps/x.ts")).toEqual(["@a"]);
    // A pattern with a slash inside is relative to the root, as in gitignore.
    expect(owners("churn/model.yml @a", "models/churn/model.yml")).toBeUndefined();
    expect(owners("models/churn @a", "models/churn/model.yml")).toEqual(["@a"]);
  });

  it("keeps * within one directory, and lets ** cross them", () => {
    expect(owners("models/* @a", "models/README.md")).toEqual(["@a"]);
    // GitHub's documented example: `docs/*` owns docs/getting-started.md, not deeper files.
    expect(owners("docs/* @a", "docs/getting-started.md")).toEqual(["@a"]);
    expect(owners("docs/* @a", "docs/build-app/troubleshooting.md")).toBeUndefined();
    expect(owners("models/*.yml @a", "models/churn/model.yml")).toBeUndefined();
    expect(owners("models/**/model.yml @a", "models/churn/model.yml")).toEqual(["@a"]);
    expect(owners("models/**/model.yml @a", "models/model.yml")).toEqual(["@a"]);
    expect(owners("**/model.yml @a", "deep/er/model.yml")).toEqual(["@a"]);
    expect(owners("models/** @a", "models/churn/model.yml")).toEqual(["@a"]);
    expect(owners("model?.yml @a", "models/churn/model1.yml")).toEqual(["@a"]);
    expect(owners("*.onnx @a", "models/churn/model.yml")).toBeUndefined();
  });

  it("treats a trailing slash as a directory only, and ignores a leading ./ in the path", () => {
    expect(owners("models/churn/ @a", "models/churn")).toBeUndefined();
    expect(owners("models/churn/ @a", "./models/churn/model.yml")).toEqual(["@a"]);
    // `#` starts a comment: the line is `docs/` with no owners, which un-owns docs/.
    expect(owners("docs/#notes.md @w", "docs/#notes.md")).toEqual([]);
    expect(owners("docs/\\#notes.md @w", "docs/#notes.md")).toEqual(["@w"]);
  });
});

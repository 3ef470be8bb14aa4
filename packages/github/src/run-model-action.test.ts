import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { type FakeComment, type FakeGitHub, issueComments, startFakeGitHub } from "../test/fake-github.js";
import { commonInputs } from "./inputs.js";
import { type ModelStepOf, modelAction, runModelAction } from "./run-model-action.js";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
  name: string;
  examples: Record<string, unknown>[];
}[];
const pullRequestOpened = examples
  .find((e) => e.name === "pull_request")!
  .examples.find((x) => x["action"] === "opened")!;

const dir = mkdtempSync(join(tmpdir(), "gauntlet-run-model-action-"));
let fake: FakeGitHub | undefined;
let comments: FakeComment[] = [];
let output: string[] = [];
let outputFile = "";

beforeEach(async () => {
  comments = [];
  fake = await startFakeGitHub(issueComments(comments));
  output = [];
  process.exitCode = undefined;
  outputFile = join(dir, `output-${Math.random()}`);
  writeFileSync(outputFile, "");
  vi.stubEnv("GITHUB_OUTPUT", outputFile);
  vi.stubEnv("GITHUB_STEP_SUMMARY", join(dir, `summary-${Math.random()}`));
  writeFileSync(process.env["GITHUB_STEP_SUMMARY"]!, "");
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
  await fake?.close();
});

/** The runner's environment on a pull request, with INPUT_* for the common inputs. */
function actionEnv(inputs: Record<string, string>): NodeJS.ProcessEnv {
  const event = join(dir, `event-${Math.random()}.json`);
  writeFileSync(event, JSON.stringify(pullRequestOpened));
  return {
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: "Codertocat/Hello-World",
    GITHUB_SHA: "ffac537e6cbbf934b08745a378932722df287a53",
    GITHUB_RUN_ID: "42",
    GITHUB_API_URL: fake!.url,
    GITHUB_WORKSPACE: dir,
    "INPUT_GITHUB-TOKEN": "t0ken",
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
}

interface Outcome {
  result: { status: "pass" | "warn" | "fail"; score: number };
  markdown: string;
}

/** A step over named models: each ends as `outcomes` says (undefined: skipped, an Error: thrown). */
function fakeStep(
  outcomes: Record<string, Outcome | undefined | Error>,
  partOf: string[] = [],
): ModelStepOf<Outcome> {
  return {
    paths: Object.keys(outcomes),
    async run(name) {
      const outcome = outcomes[name];
      if (outcome instanceof Error) throw outcome;
      if (outcome === undefined) return undefined;
      const loaded = { file: `models/${name}/model.yml`, manifest: { name } };
      const report = partOf.includes(name) ? undefined : `.gauntlet/${name}/x.md`;
      return { loaded, outcome, written: { result: `.gauntlet/${name}/x.json`, report } };
    },
  };
}

/** GITHUB_OUTPUT as name → value, in order. */
function writtenOutputs(): Record<string, string> {
  const text = readFileSync(outputFile, "utf8");
  return Object.fromEntries(
    [...text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1]!, m[3]!]),
  );
}

const schema = z.object({ ...commonInputs });
const outcome = (status: Outcome["result"]["status"], score: number): Outcome => ({
  result: { status, score },
  markdown: `score ${score}`,
});

describe("runModelAction", () => {
  it("sets the result, report and the action's outputs, publishes each model's section, and ends with the worst status", async () => {
    await runModelAction(actionEnv({ manifest: "models/*/model.yml" }), schema, async () =>
      modelAction(fakeStep({ churn: outcome("pass", 0.9), fraud: outcome("warn", 0.7) }), {
        section: "data",
        outputs: ({ result }) => ({ score: String(result.score) }),
      }),
    );
    expect(writtenOutputs()).toMatchObject({
      result: ".gauntlet/fraud/x.json",
      report: ".gauntlet/fraud/x.md",
      score: "0.7",
      status: "warn",
      passed: "true",
    });
    expect(comments.map((c) => c.body.includes("score 0.9") || c.body.includes("score 0.7"))).toEqual([
      true,
      true,
    ]);
    expect(writtenOutputs()["comment-id"]).toBe(String(comments[1]!.id));
    expect(process.exitCode).toBeUndefined();
  });

  it("keeps a model's result outputs when its own outputs fail, reports the mistake and still runs the next model", async () => {
    const mistake = new UserError("reviews were not checked", { file: "models/churn/model.yml" });
    await runModelAction(actionEnv({ manifest: "models/*/model.yml" }), schema, async () =>
      modelAction(
        fakeStep({ churn: outcome("pass", 0.9), bad: new UserError("no such file", { file: "x.csv" }) }),
        {
          section: "gate",
          outputs: () => {
            throw mistake;
          },
        },
      ),
    );
    expect(writtenOutputs()).toMatchObject({
      result: ".gauntlet/churn/x.json",
      status: "fail",
      passed: "false",
    });
    expect(comments).toEqual([]);
    const errors = output
      .join("")
      .split("\n")
      .filter((line) => line.startsWith("::error"));
    expect(errors).toHaveLength(2);
    expect(errors.join("\n")).toContain("reviews were not checked");
    expect(errors.join("\n")).toContain("no such file");
    expect(process.exitCode).toBe(1);
  });

  it("passes a skipped model, publishes nothing for a part without a report, and sets the step's totals", async () => {
    await runModelAction(actionEnv({ manifest: "models/*/model.yml" }), schema, async () =>
      modelAction(fakeStep({ skipped: undefined, part: outcome("pass", 0.5) }, ["part"]), {
        section: "evaluation",
        totals: () => ({ regressions: "0" }),
      }),
    );
    expect(writtenOutputs()).toMatchObject({
      result: ".gauntlet/part/x.json",
      regressions: "0",
      passed: "true",
    });
    expect(writtenOutputs()["report"]).toBeUndefined();
    expect(fake!.requests).toEqual([]);
  });

  it("fails the step under fail-on: warning, and writes no comment with comment: false", async () => {
    const env = actionEnv({ manifest: "m.yml", "fail-on": "warning", comment: "false" });
    await runModelAction(env, schema, async () =>
      modelAction(fakeStep({ churn: outcome("warn", 0.7) }), { section: "data" }),
    );
    expect(writtenOutputs()).toMatchObject({ status: "warn", passed: "false" });
    expect(fake!.requests).toEqual([]);
    expect(process.exitCode).toBe(1);
  });
});

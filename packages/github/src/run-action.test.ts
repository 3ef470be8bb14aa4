import { UserError } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runAction } from "./run-action.js";

let output: string[] = [];
beforeEach(() => {
  output = [];
  process.exitCode = undefined;
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const errorLines = () =>
  output
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("::error"));

describe("runAction", () => {
  it("leaves the exit code alone when main succeeds", async () => {
    await runAction(async () => {});
    expect(process.exitCode).toBeUndefined();
    expect(errorLines()).toEqual([]);
  });

  it("turns a UserError into one ::error annotation with file and line, no stack, exit 1", async () => {
    await runAction(async () => {
      throw new UserError("expected ascending numbers", {
        file: "models/churn/model.yml",
        line: 12,
        field: "evaluation.slices[1].bins",
        fix: "sort the bin edges",
      });
    });
    const exitCode = process.exitCode;
    expect(exitCode).toBe(1);
    expect(errorLines()).toEqual([
      "::error title=gauntlet,file=models/churn/model.yml,line=12::models/churn/model.yml:12: " +
        "evaluation.slices[1].bins: expected ascending numbers. Fix: sort the bin edges",
    ]);
    expect(output.join("")).not.toContain("    at ");
  });

  it("reports any other Error as a gauntlet bug, with its stack in a group", async () => {
    await runAction(async () => {
      throw new TypeError("cannot read properties of undefined");
    });
    const exitCode = process.exitCode;
    expect(exitCode).toBe(1);
    expect(errorLines()).toEqual([
      "::error title=gauntlet bug::gauntlet bug: cannot read properties of undefined",
    ]);
    const text = output.join("");
    expect(text).toContain("::group::gauntlet bug details");
    expect(text).toContain("run-action.test.ts");
    expect(text).toContain("::endgroup::");
  });

  it("does not let a thrown string, undefined, or a synchronous throw pass silently", async () => {
    await runAction(async () => {
      throw "boom";
    });
    expect(process.exitCode).toBe(1);
    expect(errorLines()).toEqual(["::error title=gauntlet bug::gauntlet bug: boom"]);

    output = [];
    process.exitCode = undefined;
    await runAction(() => Promise.reject(undefined));
    expect(process.exitCode).toBe(1);
    expect(errorLines()).toEqual(["::error title=gauntlet bug::gauntlet bug: undefined"]);

    output = [];
    process.exitCode = undefined;
    await runAction((() => {
      throw new Error("sync");
    }) as () => Promise<void>);
    expect(process.exitCode).toBe(1);
    expect(errorLines()).toEqual(["::error title=gauntlet bug::gauntlet bug: sync"]);
  });

  it("reports a failed GitHub call as one ::error naming the operation, no bug, no stack, passed=false", async () => {
    await runAction(async () => {
      throw Object.assign(new Error("Server Error"), {
        status: 502,
        request: { method: "GET", url: "https://api.github.com/repos/acme/models/pulls/9/reviews" },
      });
    });
    expect(process.exitCode).toBe(1);
    const [line, ...more] = errorLines();
    expect(more).toEqual([]);
    expect(line).toContain("GitHub is unavailable: re-run.");
    expect(line).toContain("read pull request reviews (GET /repos/acme/models/pulls/9/reviews)");
    const text = output.join("");
    expect(text).not.toContain("gauntlet bug");
    expect(text).not.toContain("    at ");
    expect(text).toMatch(/passed.*false/);
  });
});

import { describe, expect, it } from "vitest";
import {
  ExpressionError,
  evaluateExpression,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  MAX_EXPRESSION_NODES,
  parseExpression,
} from "./expression.js";

const COUNTS = ["tp", "fp", "fn", "tn", "n"];
const run = (text: string, values: Record<string, number> = {}) =>
  evaluateExpression(
    parseExpression(text, Object.keys(values).length > 0 ? Object.keys(values) : COUNTS),
    values,
  );
const refusal = (text: string, variables = COUNTS): ExpressionError => {
  try {
    parseExpression(text, variables);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to be refused`);
};

describe("expression language: arithmetic", () => {
  it("follows the usual precedence and associativity", () => {
    expect(run("1 + 2 * 3")).toBe(7);
    expect(run("(1 + 2) * 3")).toBe(9);
    expect(run("10 - 4 - 3")).toBe(3);
    expect(run("16 / 4 / 2")).toBe(2);
    expect(run("2 ^ 3 ^ 2")).toBe(512);
    expect(run("-2 ^ 2")).toBe(-4);
    expect(run("2 * -3")).toBe(-6);
    expect(run("1.5e2 + .5")).toBe(150.5);
  });
  it("reads the confusion counts and computes the metrics they define", () => {
    const c = { tp: 40, fp: 10, fn: 20, tn: 30, n: 100 };
    expect(run("tp / (tp + fp)", c)).toBe(0.8);
    expect(run("(tp * 120 - fp * 15 - fn * 120) / n", c)).toBe(22.5);
    // Matthews correlation, as sklearn.metrics.matthews_corrcoef on these counts: 0.4082482904638631.
    expect(run("(tp * tn - fp * fn) / sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))", c)).toBeCloseTo(
      0.4082482904638631,
      12,
    );
  });
  it("has comparisons, if, min, max, abs, log, exp", () => {
    expect(run("if(tp > fp, 1, 2)", { tp: 3, fp: 1 })).toBe(1);
    expect(run("if(tp <= fp, 1, 2)", { tp: 3, fp: 1 })).toBe(2);
    expect(run("(tp == 3) + (tp != 3) * 10 + (tp >= 3) * 100 + (tp < 3) * 1000", { tp: 3 })).toBe(101);
    expect(run("max(1, 5, 3) - min(4, 2)")).toBe(3);
    expect(run("abs(-2) + log(exp(1))")).toBe(3);
  });
  it("is undefined (NaN), never infinite, where the arithmetic is", () => {
    expect(run("tp / (tp + fp)", { tp: 0, fp: 0 })).toBeNaN();
    expect(run("sqrt(0 - 1)")).toBeNaN();
    expect(run("log(0)")).toBeNaN();
    expect(run("0 ^ -1")).toBeNaN();
    expect(run("exp(1000)")).toBeNaN();
  });
});

describe("expression language: what it refuses", () => {
  it("names outside the allowed variables, listing them", () => {
    const e = refusal("tp / total");
    expect(e.message).toBe("unknown name total: use one of tp, fp, fn, tn, n");
    expect(e.position).toBe(5);
  });
  it("code: property access, strings, calls of anything but the listed functions, assignment", () => {
    expect(refusal("process.exit(1)").message).toMatch(/unexpected character "\."/);
    expect(refusal("constructor('return 1')()").message).toMatch(
      /unknown function constructor|unexpected character/,
    );
    expect(refusal("eval(1)").message).toBe(
      "unknown function eval: use one of abs, sqrt, log, exp, min, max, if",
    );
    expect(refusal("'a'").message).toMatch(/unexpected character "'"/);
    expect(refusal("tp = 1").message).toMatch(/unexpected character "="|unexpected =/);
    expect(refusal("tp; fp").message).toMatch(/unexpected character ";"/);
    expect(refusal("tp[0]").message).toMatch(/unexpected character "\["/);
    expect(refusal("__proto__", COUNTS).message).toMatch(/unknown name __proto__/);
    expect(refusal("toString(1)").message).toMatch(/unknown function toString/);
  });
  it("malformed expressions, with the position", () => {
    expect(refusal("tp +").message).toBe("the expression ends too early");
    expect(refusal("(tp + fp").message).toBe("expected a closing )");
    expect(refusal("tp fp").message).toBe("unexpected fp after a complete expression");
    expect(refusal("min(tp)").message).toBe("min takes 2 to 8 arguments, got 1");
    expect(refusal("").message).toBe("the expression ends too early");
  });
  it("oversized expressions: too long, too many parts, too deep", () => {
    expect(refusal("1 + ".repeat(200) + "1").message).toBe(
      `the expression is ${4 * 200 + 1} characters long; at most ${MAX_EXPRESSION_LENGTH} are allowed`,
    );
    expect(
      refusal(
        Array(MAX_EXPRESSION_NODES + 1)
          .fill("1")
          .join("+"),
      ).message,
    ).toBe(`the expression has more than ${MAX_EXPRESSION_NODES} parts`);
    const deep = `${"(".repeat(MAX_EXPRESSION_DEPTH + 2)}1${")".repeat(MAX_EXPRESSION_DEPTH + 2)}`;
    expect(refusal(deep).message).toBe(`the expression nests deeper than ${MAX_EXPRESSION_DEPTH} levels`);
    expect(refusal("-".repeat(MAX_EXPRESSION_DEPTH + 2) + "1").message).toMatch(/nests deeper/);
    // Just inside the limits parses.
    const ok = `${"(".repeat(MAX_EXPRESSION_DEPTH)}1${")".repeat(MAX_EXPRESSION_DEPTH)}`;
    expect(run(ok)).toBe(1);
  });
});

import type * as z from "zod";
import { type FieldPath, valueAt } from "./field-path.js";
import { FIX_SEPARATOR } from "./schema-helpers.js";
import { closestMatch } from "./suggest.js";

/** A schema issue translated for a person: where, what was expected, and how to fix it. */
export interface IssueProblem {
  path: FieldPath;
  problem: string;
  fix?: string;
}

type Issue = z.core.$ZodIssue;

const EXPECTED: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  tuple: "a list",
  object: "a mapping (key: value)",
  record: "a mapping (key: value)",
  literal: "a fixed value",
};

/**
 * Turns zod issues into one-line problems: never zod's own wording, always the field path (as a
 * path into `data`, the parsed YAML), what was expected, what was found and a fix. For a value
 * matching none of a union's shapes, the shape it was evidently meant to be (same type, fewest
 * problems) is reported rather than every alternative.
 *
 * @example
 * problemsFromIssues(schema.safeParse(data).error.issues, data);
 * // [{ path: ["task"], problem: 'expected one of binary, multiclass, regression, found "binray"', fix: 'did you mean "binary"?' }]
 */
export function problemsFromIssues(
  issues: readonly Issue[],
  data: unknown,
  base: FieldPath = [],
): IssueProblem[] {
  return issues
    .filter(
      (issue) =>
        valueAt(data, [...base, ...(issue.path as (string | number)[])]) !== undefined ||
        !isTypo(issue, issues),
    )
    .flatMap((issue) => problemsFromIssue(issue, data, [...base, ...(issue.path as (string | number)[])]));
}

/** `colum: x` makes `column` missing too; the unknown-key problem already says "did you mean column". */
function isTypo(issue: Issue, issues: readonly Issue[]): boolean {
  if (issue.code !== "invalid_type" || issue.path.length === 0) return false;
  const parent = issue.path.slice(0, -1).join("\u0000");
  const missing = String(issue.path.at(-1));
  return issues.some(
    (other) =>
      other.code === "unrecognized_keys" &&
      other.path.join("\u0000") === parent &&
      other.keys.some((key) => closestMatch(key, [missing]) === missing),
  );
}

function problemsFromIssue(issue: Issue, data: unknown, path: FieldPath): IssueProblem[] {
  const found = valueAt(data, path);
  if (issue.message.includes(FIX_SEPARATOR)) {
    const [problem = "", fix] = issue.message.split(FIX_SEPARATOR);
    const where =
      issue.code === "unrecognized_keys" && issue.keys.length === 1 ? [...path, issue.keys[0]!] : path;
    const shown =
      issue.code === "unrecognized_keys" || found === undefined
        ? problem
        : `${problem}, found ${describe(found)}`;
    return [{ path: where, problem: shown, fix }];
  }
  if (found === undefined && (issue.code === "invalid_type" || issue.code === "invalid_value")) {
    const name = path.at(-1);
    const wanted =
      issue.code === "invalid_type" ? expected(issue.expected) : `one of ${issue.values.join(", ")}`;
    return [
      {
        path,
        problem: `missing required field${typeof name === "string" ? ` "${name}"` : ""}`,
        fix: `add ${typeof name === "string" ? `${name}: ` : ""}(${wanted})`,
      },
    ];
  }
  switch (issue.code) {
    case "invalid_type":
      return [
        {
          path,
          problem: `expected ${expected(issue.expected)}, found ${describe(found)}`,
          fix:
            issue.expected === "string" && (typeof found === "number" || typeof found === "boolean")
              ? `quote it: "${found}"`
              : `write ${expected(issue.expected)}`,
        },
      ];
    case "invalid_value": {
      const options = issue.values.map(String);
      const guess = typeof found === "string" ? closestMatch(found, options) : undefined;
      return [
        {
          path,
          problem:
            options.length === 1
              ? `expected ${options[0]}, found ${describe(found)}`
              : `expected one of ${options.join(", ")}, found ${describe(found)}`,
          fix: guess
            ? `did you mean "${guess}"?`
            : `use ${options.length === 1 ? options[0] : "one of them"}`,
        },
      ];
    }
    case "too_small":
    case "too_big":
      return [{ path, problem: `${boundText(issue)}, found ${describe(found)}`, fix: "change the value" }];
    case "invalid_union":
      return unionProblems(issue, data, path);
    default:
      return [{ path, problem: issue.message }];
  }
}

function unionProblems(issue: z.core.$ZodIssueInvalidUnion, data: unknown, path: FieldPath): IssueProblem[] {
  // Branches that failed only inside the value are the shape the user meant; a branch that
  // rejected the value's type at the top is an alternative they did not choose.
  const meant = issue.errors
    .filter((branch) => !branch.some((i) => i.path.length === 0 && i.code === "invalid_type"))
    .sort((a, b) => a.length - b.length)[0];
  if (meant) return problemsFromIssues(meant, data, path);
  const types = [
    ...new Set(
      issue.errors.flatMap((branch) =>
        branch.map((i) => (i.code === "invalid_type" ? expected(i.expected) : "")),
      ),
    ),
  ].filter(Boolean);
  const wanted = types.length ? types.join(" or ") : "another value";
  return [
    { path, problem: `expected ${wanted}, found ${describe(valueAt(data, path))}`, fix: `write ${wanted}` },
  ];
}

function boundText(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === "too_small";
  const bound = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === "array")
    return small ? `expected at least ${bound} items` : `expected at most ${bound} items`;
  if (issue.origin === "string")
    return small ? "expected non-empty text" : `expected at most ${bound} characters`;
  const word = small ? (issue.inclusive ? "at least" : "above") : issue.inclusive ? "at most" : "below";
  return `expected a number ${word} ${bound}`;
}

function expected(type: string): string {
  return EXPECTED[type] ?? type;
}

/**
 * How a parsed YAML value is named in a message.
 *
 * @example
 * describe("abc"); // 'text "abc"'
 */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string")
    return `text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${value}`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return "a mapping";
}

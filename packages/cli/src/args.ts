import { parseArgs } from "node:util";
import { parseWindowWidth, UserError } from "@gauntlet/core";

/** A command's options, as `node:util` `parseArgs` takes them. */
export type OptionSpec = Record<
  string,
  { type: "string" | "boolean"; short?: string; default?: string | boolean }
>;

/** The values {@link parseOptions} returns for `T`: strings, or booleans for flags; absent when not given. */
export type OptionValues<T extends OptionSpec> = {
  [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string;
};

/**
 * Parses a subcommand's options with `node:util` `parseArgs`, turning its errors (unknown option,
 * missing value) into a `UserError` that shows the usage.
 *
 * @example
 * parseOptions(["--manifest", "m.yml"], { manifest: { type: "string" } }, "usage: …");
 * // { manifest: "m.yml" }
 */
export function parseOptions<T extends OptionSpec>(
  args: string[],
  options: T,
  usage: string,
): OptionValues<T> {
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    return values as OptionValues<T>;
  } catch (error) {
    throw new UserError((error as Error).message, { fix: `see the usage:\n${usage}` });
  }
}

/**
 * Reads a required option or fails naming it.
 *
 * @example
 * requireOption({ manifest: "m.yml" }, "manifest", "usage"); // "m.yml"
 */
export function requireOption(values: Record<string, unknown>, name: string, usage: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") {
    throw new UserError(`missing --${name}`, { fix: `pass --${name}; usage:\n${usage}` });
  }
  return value;
}

/**
 * Reads `--fail-on` (default `error`).
 *
 * @example
 * failOnOption({ "fail-on": "warning" }); // "warning"
 */
export function failOnOption(values: Record<string, unknown>): "error" | "warning" | "never" {
  const value = values["fail-on"] ?? "error";
  if (value === "error" || value === "warning" || value === "never") return value;
  throw new UserError(`--fail-on: expected one of error, warning, never, got '${String(value)}'`, {
    fix: "use --fail-on error (the default), warning or never",
  });
}

/**
 * Reads `--window` when given: a duration longer than zero, else a `UserError` naming the option
 * (`--window 0d` would otherwise split the log into no windows at all).
 *
 * @example
 * windowOption({ window: "6h" }); // "6h"
 * windowOption({}); // undefined
 * windowOption({ window: "0d" }); // throws: --window: "0d" is not longer than zero. Fix: ...
 */
export function windowOption(values: Record<string, unknown>): string | undefined {
  const value = values["window"];
  if (typeof value !== "string") return undefined;
  parseWindowWidth(value, { field: "--window" });
  return value;
}

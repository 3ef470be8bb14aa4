import { UserError, type UserErrorLocation } from "../errors/user-error.js";

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;

/**
 * The pattern a duration must match: one or more `<number><unit>` parts, units `w`, `d`, `h`,
 * `m`, `s` (`30d`, `12h`, `1d12h`, `1.5h`). Shared with the manifest schema so that the schema,
 * the JSON Schema and {@link parseDuration} accept exactly the same text.
 *
 * @example
 * DURATION_PATTERN.test("30d"); // true
 * DURATION_PATTERN.test("30 days"); // false
 */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?[wdhms])+$/;

/**
 * Milliseconds in a duration such as `30d`, `12h`, `90m`, `45s`, `2w` or `1d12h`.
 * Throws a {@link UserError} for text that is not a duration (a manifest that passed
 * `parseManifest` never holds one).
 *
 * @example
 * parseDuration("30d"); // 2592000000
 * parseDuration("1d12h"); // 129600000
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (!DURATION_PATTERN.test(trimmed)) {
    throw new UserError(`"${text}" is not a duration`, {
      fix: "write a number followed by a unit (w, d, h, m or s), e.g. 30d or 12h",
    });
  }
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)([wdhms])/g)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return total;
}

/**
 * True when `text` is a duration longer than zero, as a window width must be (a `0h` window
 * would split the log into no windows at all). Shared by the manifest schema, the action input
 * and the CLI option, so that all three refuse the same text.
 *
 * @example
 * isWindowWidth("1d"); // true
 * isWindowWidth("0h"); // false
 * isWindowWidth("1 day"); // false
 */
export function isWindowWidth(text: string): boolean {
  return DURATION_PATTERN.test(text.trim()) && parseDuration(text) > 0;
}

/**
 * The width in milliseconds of a reporting window given as text (`--window 6h`). A zero width or
 * text that is not a duration is a {@link UserError} at `where`.
 *
 * @example
 * parseWindowWidth("6h", { field: "--window" }); // 21600000
 * parseWindowWidth("0d", { field: "--window" }); // throws: --window: "0d" is not longer than zero. Fix: ...
 */
export function parseWindowWidth(text: string, where: UserErrorLocation): number {
  if (!isWindowWidth(text)) {
    const problem = DURATION_PATTERN.test(text.trim())
      ? `"${text}" is not longer than zero`
      : `"${text}" is not a duration`;
    throw new UserError(problem, { ...where, fix: WINDOW_WIDTH_FIX });
  }
  return parseDuration(text);
}

/** How to write a window width; one wording for the schema, the input and the CLI. */
export const WINDOW_WIDTH_FIX =
  "give a window longer than zero: a number and a unit (w, d, h, m, s), e.g. 1d or 6h";

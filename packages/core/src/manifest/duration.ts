import { UserError } from "../errors/user-error.js";

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

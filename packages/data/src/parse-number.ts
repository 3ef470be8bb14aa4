/**
 * Parses the text of a number cell: decimal or exponent notation with an optional sign, and the
 * non-finite values `NaN`, `Infinity`, `+Infinity`, `-Infinity` (kept as such, they are numbers).
 * Surrounding whitespace is tolerated. Returns `undefined` when the text is not a number,
 * including blank text and the hex/binary/octal literals that `Number()` would accept.
 *
 * @example
 * parseNumber("-1.5e3"); // -1500
 * parseNumber("NaN"); // NaN
 * parseNumber("0x1F"); // undefined
 * parseNumber("12 kg"); // undefined
 */
export function parseNumber(text: string): number | undefined {
  const value = Number(text);
  const first = text.charCodeAt(0);
  // Fast path for the common case: no surrounding whitespace, starts like a decimal number.
  if (first > 32 && text.charCodeAt(text.length - 1) > 32) {
    if (Number.isNaN(value)) return text === "NaN" ? Number.NaN : undefined;
    return isRadixLiteral(text) ? undefined : value;
  }
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (Number.isNaN(value)) return trimmed === "NaN" ? Number.NaN : undefined;
  return isRadixLiteral(trimmed) ? undefined : value;
}

/** `Number()` reads `0x..`, `0b..` and `0o..` as integers; data files never mean that. */
function isRadixLiteral(text: string): boolean {
  if (text.length < 3 || text.charCodeAt(0) !== 48) return false;
  const letter = text.charCodeAt(1) | 0x20;
  return letter === 0x78 || letter === 0x62 || letter === 0x6f;
}

/** Powers of ten that are exact doubles, for the fast path of {@link numberInRange}. */
const exactPowersOfTen = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * {@link parseNumber} of `text.slice(start, end)`. Plain decimals of up to 15 digits (by far the
 * most common cells) are computed from the characters without making a string: an integer of at
 * most 15 digits and 10^k for k ≤ 15 are exact doubles, so one division gives the correctly
 * rounded value, the same as `Number()`. Anything else falls back to {@link parseNumber}.
 *
 * @example
 * numberInRange("id,-12.50,x", 3, 9); // -12.5
 * numberInRange("id,1e3,x", 3, 6); // 1000 (via parseNumber)
 */
export function numberInRange(text: string, start: number, end: number): number | undefined {
  let i = start;
  let c = text.charCodeAt(i);
  const negative = c === 45;
  if (negative || c === 43) c = text.charCodeAt(++i);
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let point = false;
  for (; i < end; c = text.charCodeAt(++i)) {
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (point) scale++;
    } else if (c === 46 && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (i === end && digits > 0 && digits <= 15) {
    const value = scale === 0 ? mantissa : mantissa / exactPowersOfTen[scale]!;
    return negative ? -value : value;
  }
  return parseNumber(text.slice(start, end));
}

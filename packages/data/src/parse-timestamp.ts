const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const msPerMinute = 60_000;

/**
 * Parses an ISO 8601 date or date-time (`2024-03-01`, `2024-03-01T12:30:00Z`,
 * `2024-03-01T14:30:00.250+02:00`, `2024-03-01 12:30:00`, `2024-03-01T12:30+0530`) to
 * milliseconds since the Unix epoch. Text without a zone is read as UTC, so that the result never
 * depends on the runner's time zone. Fractions beyond milliseconds are truncated. Surrounding
 * whitespace is tolerated. Returns `undefined` when the text is not such a timestamp or names an
 * impossible date (`2023-02-29`).
 *
 * @example
 * parseTimestamp("2024-03-01"); // 1709251200000
 * parseTimestamp("2024-03-01T02:00:00+02:00"); // 1709251200000
 * parseTimestamp("01/03/2024"); // undefined
 */
export function parseTimestamp(text: string): number | undefined {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 32) start++;
  while (end > start && text.charCodeAt(end - 1) <= 32) end--;
  return timestampInRange(text, start, end);
}

/**
 * {@link parseTimestamp} of `text.slice(start, end)`, without making that string: the CSV reader
 * calls it on its input buffer. Whitespace is not trimmed here.
 *
 * @example
 * timestampInRange("id,2024-03-01,x", 3, 13); // 1709251200000
 */
export function timestampInRange(text: string, start: number, end: number): number | undefined {
  if (end - start < 10 || text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45)
    return undefined;
  const year = digits(text, start, 4, end);
  const month = digits(text, start + 5, 2, end);
  const day = digits(text, start + 8, 2, end);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth[month - 1]!) return undefined;
  if (month === 2 && day === 29 && !isLeapYear(year)) return undefined;
  let p = start + 10;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let offset = 0;
  if (p < end) {
    const separator = text.charCodeAt(p);
    if (separator !== 84 && separator !== 116 && separator !== 32) return undefined; // T, t, space
    hour = digits(text, p + 1, 2, end);
    minute = text.charCodeAt(p + 3) === 58 ? digits(text, p + 4, 2, end) : -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
    p += 6;
    if (p < end && text.charCodeAt(p) === 58) {
      second = digits(text, p + 1, 2, end);
      if (second < 0 || second > 59) return undefined;
      p += 3;
      const mark = text.charCodeAt(p);
      if (p < end && (mark === 46 || mark === 44)) {
        const from = ++p;
        while (p < end && p - from < 9 && isDigit(text.charCodeAt(p))) {
          if (p - from < 3) millis += (text.charCodeAt(p) - 48) * 10 ** (2 - (p - from));
          p++;
        }
        if (p === from) return undefined;
      }
    }
    if (p < end && text.charCodeAt(p) === 32) p++;
    if (p < end) {
      const zone = text.charCodeAt(p);
      if (zone === 90 || zone === 122) {
        p++; // Z, z
      } else if (zone === 43 || zone === 45) {
        const hours = digits(text, p + 1, 2, end);
        p += 3;
        const colon = p < end && text.charCodeAt(p) === 58;
        if (colon) p++;
        const minutes = p < end || colon ? digits(text, p, 2, end) : 0;
        if (p < end) p += 2;
        if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined;
        offset = (zone === 45 ? -1 : 1) * (hours * 60 + minutes);
      }
    }
    if (p !== end) return undefined;
  }
  const days = daysFromCivil(year, month, day);
  return (((days * 24 + hour) * 60 + minute) * 60 + second) * 1000 + millis - offset * msPerMinute;
}

/** The `count`-digit decimal number at `at`, or -1 when any of those characters is not a digit. */
function digits(text: string, at: number, count: number, end: number): number {
  if (at + count > end) return -1;
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return -1;
    value = value * 10 + (c - 48);
  }
  return value;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

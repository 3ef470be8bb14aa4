/**
 * A monitoring signal's number in a reason: 3 significant digits, without trailing zeros.
 *
 * @example
 * signalNumber(0.123456); // "0.123"
 * signalNumber(0.7); // "0.7"
 */
export function signalNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(3)));
}

/**
 * A share as a percentage to 3 significant digits.
 *
 * @example
 * signalPercent(0.0512); // "5.12%"
 */
export function signalPercent(x: number): string {
  return `${Number((100 * x).toPrecision(3))}%`;
}

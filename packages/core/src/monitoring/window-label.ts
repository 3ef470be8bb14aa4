/**
 * How a monitoring window is named in a report: its UTC start to the minute.
 *
 * @example
 * windowLabel("2024-05-01T00:00:00.000Z"); // "2024-05-01 00:00"
 */
export function windowLabel(start: string): string {
  return start.slice(0, 16).replace("T", " ");
}

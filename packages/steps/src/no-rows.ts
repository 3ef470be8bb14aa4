/**
 * How a data file (or glob) without rows is described: a CSV that reached the end with no rows had
 * a header (an empty one is refused by the reader first), so it says so; other formats have none.
 *
 * @example
 * noRows("data/eval.csv"); // "data/eval.csv has a header and no rows"
 * noRows("logs/*.jsonl"); // "logs/*.jsonl has no rows"
 */
export function noRows(data: string): string {
  return `${data} ${/\.(csv|tsv)$/i.test(data) ? "has a header and no rows" : "has no rows"}`;
}

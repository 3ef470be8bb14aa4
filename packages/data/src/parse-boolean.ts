/**
 * Parses the text of a boolean cell. `true` and `false` are accepted in any letter case (pandas
 * writes `True`/`False`). With `numeric`, which applies when a data contract declares the column
 * boolean, `1` and `0` are accepted too; inference never reads `1`/`0` as booleans, they are numbers.
 * Returns `undefined` when the text is not a boolean.
 *
 * @example
 * parseBoolean("True"); // true
 * parseBoolean("1"); // undefined
 * parseBoolean("1", { numeric: true }); // true
 */
export function parseBoolean(text: string, options: { numeric?: boolean } = {}): boolean | undefined {
  const trimmed = text.length > 0 && text.charCodeAt(0) > 32 ? text : text.trim();
  if (trimmed.length === 4 && trimmed.toLowerCase() === "true") return true;
  if (trimmed.length === 5 && trimmed.toLowerCase() === "false") return false;
  if (options.numeric) {
    if (trimmed === "1") return true;
    if (trimmed === "0") return false;
  }
  return undefined;
}

/**
 * Every number of a result file, by its path (`.overall.metrics.accuracy.value`), leaving out
 * `timings`: for comparing two results (a merged sharded run and a single run) to a stated tolerance.
 *
 * @example
 * resultNumbers({ overall: { n: 3, metrics: { accuracy: { value: 0.5, ci: [0.4, 0.6] } } } });
 * // Map { ".overall.n" => 3, ".overall.metrics.accuracy.value" => 0.5, ".overall.metrics.accuracy.ci[0]" => 0.4, … }
 */
export function resultNumbers(
  value: unknown,
  path = "",
  out = new Map<string, number>(),
): Map<string, number> {
  if (typeof value === "number") out.set(path, value);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) resultNumbers(v, `${path}[${i}]`, out);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (k !== "timings") resultNumbers(v, `${path}.${k}`, out);
  }
  return out;
}

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method
 * (https://en.wikipedia.org/wiki/Jacobi_eigenvalue_algorithm), sorted by eigenvalue, largest
 * first. `matrix` is row-major `n × n`; vectors are returned as rows (`vectors[k]` belongs to
 * `values[k]`). Accurate to about 1e-12 relative for the small matrices it is used on (a
 * covariance of a few dozen features).
 *
 * @example
 * symmetricEigen([2, 1, 1, 2], 2); // { values: [3, 1], vectors: [[0.7071, 0.7071], [-0.7071, 0.7071]] } (signs may differ)
 */
export function symmetricEigen(
  matrix: ArrayLike<number>,
  n: number,
): { values: number[]; vectors: number[][] } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j]! - a[i * n + i]!);
  return {
    values: order.map((i) => a[i * n + i]!),
    vectors: order.map((i) => Array.from({ length: n }, (_, k) => v[k * n + i]!)),
  };
}

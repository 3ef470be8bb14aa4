/**
 * Variance of an ROC AUC estimate by Hanley & McNeil (1982, "The meaning and use of the area
 * under a receiver operating characteristic (ROC) curve", eq. 2), with Q1 = A/(2 − A) and
 * Q2 = 2A²/(1 + A). Undefined (NaN) without both classes.
 *
 * @example
 * aucVariance(0.8, 100, 100); // 0.000984
 */
export function aucVariance(auc: number, positives: number, negatives: number): number {
  if (positives < 1 || negatives < 1) return Number.NaN;
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  return (
    (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) /
    (positives * negatives)
  );
}

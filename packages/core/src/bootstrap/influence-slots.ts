/** Where each metric's φ sits in a row's vector, and its group value in `values` (per group). */
export const SLOT = {
  log_loss: 0,
  brier: 1,
  accuracy: 2,
  recall: 3,
  precision: 4,
  f1: 5,
  ece: 6,
  roc_auc: 7,
  average_precision: 8,
  fpr: 9,
  selection_rate: 10,
  value: 11,
} as const;
/** Slots in a row's φ vector and in a group's `values`. */
export const SLOTS = 12;

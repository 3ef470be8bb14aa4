import type { RequestDifference } from "./shadow-result.js";

/** Keeps the `k` requests with the largest differences seen so far. */
export interface LargestDifferences {
  /** Offers one request; `diff` orders them (larger first). `detail` is built only when kept. */
  add(diff: number, detail: () => RequestDifference): void;
  /** The kept requests, largest difference first (ties: first offered first). */
  finish(): RequestDifference[];
}

/**
 * A bounded "top k by difference" over a stream: a binary min-heap of size `k`, so a request is
 * kept in O(log k) and the log is never held. `NaN` differences are never kept.
 *
 * @example
 * const top = createLargestDifferences(2);
 * top.add(0.1, () => ({ id: "a", a: 0.2, b: 0.3, diff: 0.1 }));
 * top.add(0.7, () => ({ id: "b", a: 0.1, b: 0.8, diff: 0.7 }));
 * top.add(0.4, () => ({ id: "c", a: 0.5, b: 0.9, diff: 0.4 }));
 * top.finish().map((d) => d.id); // ["b", "c"]
 */
export function createLargestDifferences(k: number): LargestDifferences {
  const heap: { diff: number; order: number; detail: RequestDifference }[] = [];
  let order = 0;
  // Smaller diff = lower priority; among equal diffs the later one goes first, so earlier ones stay.
  const below = (a: number, b: number) =>
    heap[a]!.diff < heap[b]!.diff || (heap[a]!.diff === heap[b]!.diff && heap[a]!.order > heap[b]!.order);
  const swap = (a: number, b: number) => {
    const t = heap[a]!;
    heap[a] = heap[b]!;
    heap[b] = t;
  };
  const up = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!below(i, parent)) return;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && below(l, m)) m = l;
      if (r < heap.length && below(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  return {
    add(diff, detail) {
      order++;
      if (k <= 0 || Number.isNaN(diff)) return;
      if (heap.length < k) {
        heap.push({ diff, order, detail: detail() });
        up(heap.length - 1);
      } else if (diff > heap[0]!.diff) {
        heap[0] = { diff, order, detail: detail() };
        down(0);
      }
    },
    finish() {
      return [...heap].sort((a, b) => b.diff - a.diff || a.order - b.order).map((e) => e.detail);
    },
  };
}

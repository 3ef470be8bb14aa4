/** Rows whose outcome has arrived, with both models' scores, held in bounded memory. */
export interface OutcomeSample {
  /**
   * Offers one labelled row; `idHash` is `rowIdHash(request id)`, `weight` its sample weight
   * (finite, ≥ 0; default 1, see `EvaluateInput.weights`).
   */
  add(idHash: number, champion: number, challenger: number, outcome: number, weight?: number): void;
  /** Labelled rows offered so far. */
  readonly seen: number;
  /** The kept rows; `weights` only when some row was offered with a weight. */
  rows(): {
    rowIds: Uint32Array;
    champion: Float64Array;
    challenger: Float64Array;
    labels: Float64Array;
    weights?: Float64Array;
  };
}

/**
 * Keeps at most `capacity` labelled rows: those whose request-id hash lies below a threshold that
 * halves whenever the sample overflows. The kept rows are a uniform sample chosen by id, not by
 * arrival, so the same requests are kept whatever order or sharding the log comes in, and the
 * paired bootstrap (which also keys on the id) is reproducible. Below `capacity` every row is kept.
 *
 * @example
 * const sample = createOutcomeSample(100_000);
 * sample.add(rowIdHash("req-1"), 0.8, 0.7, 1);
 * sample.rows().labels; // Float64Array [1]
 */
export function createOutcomeSample(capacity: number): OutcomeSample {
  let ids = new Uint32Array(Math.min(capacity, 1024));
  // champion, challenger, outcome, weight
  let data = Array.from({ length: 4 }, () => new Float64Array(ids.length));
  let weighted = false;
  let size = 0;
  let seen = 0;
  let limit = 2 ** 32;
  const grow = () => {
    const length = Math.min(capacity + 1, ids.length * 2);
    const nextIds = new Uint32Array(length);
    nextIds.set(ids);
    ids = nextIds;
    data = data.map((d) => {
      const next = new Float64Array(length);
      next.set(d);
      return next;
    });
  };
  const halve = () => {
    limit /= 2;
    let kept = 0;
    for (let i = 0; i < size; i++) {
      if (ids[i]! >= limit) continue;
      ids[kept] = ids[i]!;
      for (const d of data) d[kept] = d[i]!;
      kept++;
    }
    size = kept;
  };
  return {
    add(idHash, champion, challenger, outcome, weight) {
      seen++;
      if (weight !== undefined) weighted = true;
      if (idHash >= limit) return;
      if (size === ids.length) grow();
      ids[size] = idHash;
      data[0]![size] = champion;
      data[1]![size] = challenger;
      data[2]![size] = outcome;
      data[3]![size] = weight ?? 1;
      size++;
      while (size > capacity) halve();
    },
    get seen() {
      return seen;
    },
    rows() {
      return {
        rowIds: ids.slice(0, size),
        champion: data[0]!.slice(0, size),
        challenger: data[1]!.slice(0, size),
        labels: data[2]!.slice(0, size),
        ...(weighted ? { weights: data[3]!.slice(0, size) } : {}),
      };
    },
  };
}

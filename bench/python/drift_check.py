#!/usr/bin/python3
"""drift-check written the way an ML engineer would without gauntlet: pandas + scipy.

Reads a JSONL prediction log (nested `inputs`, as a serving system writes it) and a reference CSV,
keeps the rows of the monitored model version, and per daily window and per feature compares the
window with the reference: numeric features by PSI and Jensen-Shannon distance on the reference's
decile bins, the two-sample KS test and the Wasserstein distance; categorical features by PSI and
Jensen-Shannon on category frequencies and a chi-square test of the 2 x k count table.

Files that fit in memory are read whole (pd.read_json(lines=True) + pd.json_normalize); bigger ones
(above --chunk-above bytes) in chunks of --chunk-rows, keeping only numeric columns and category
counts. Prints wall times and peak RSS as JSON on the last line.
"""
import argparse
import json
import os
import resource
import time

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp, wasserstein_distance

NUMERIC = ["tenure_months", "monthly_charges", "support_calls", "data_gb", "age"]
CATEGORICAL = ["region", "plan", "payment_method", "device_os"]
EPS = 1e-4  # floor of a bin's share in PSI, so an empty bin does not give an infinite PSI


def psi(expected, actual):
    e, a = np.clip(expected, EPS, None), np.clip(actual, EPS, None)
    return float(np.sum((a - e) * np.log(a / e)))


def read_log(path, version, window, chunk_rows, chunk_above):
    """Numeric inputs with their window, and category counts per (window, column, value)."""
    if os.path.getsize(path) > chunk_above:
        chunks = pd.read_json(path, lines=True, chunksize=chunk_rows)
    else:
        chunks = [pd.read_json(path, lines=True)]
    numeric, counts, skipped = [], [], 0
    for chunk in chunks:
        keep = chunk["model_version"] == version
        skipped += int((~keep).sum())
        chunk = chunk[keep]
        inputs = pd.json_normalize(chunk["inputs"].tolist())
        inputs["window"] = pd.to_datetime(chunk["ts"]).dt.floor(window).to_numpy()
        numeric.append(inputs[["window", *NUMERIC]].astype({c: "float64" for c in NUMERIC}))
        for c in CATEGORICAL:
            counts.append(inputs.groupby(["window", c]).size().rename("n").reset_index().rename(columns={c: "value"}).assign(column=c))
    counts = pd.concat(counts).groupby(["window", "column", "value"])["n"].sum()
    return pd.concat(numeric, ignore_index=True), counts, skipped


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--log", required=True, help="JSONL prediction log")
    ap.add_argument("--reference", required=True, help="reference CSV (the production model's data)")
    ap.add_argument("--version", default="1.2.0", help="model_version to monitor; other rows are skipped")
    ap.add_argument("--window", default="1D")
    ap.add_argument("--chunk-rows", type=int, default=500_000)
    ap.add_argument("--chunk-above", type=float, default=1e9, help="read in chunks above this many bytes")
    ap.add_argument("--out", help="write every check as JSON here")
    args = ap.parse_args()
    times = {}

    t = time.perf_counter()
    ref = pd.read_csv(args.reference, usecols=NUMERIC + CATEGORICAL)
    times["read_reference_s"] = time.perf_counter() - t

    t = time.perf_counter()
    log, counts, skipped = read_log(args.log, args.version, args.window, args.chunk_rows, int(args.chunk_above))
    times["read_log_s"] = time.perf_counter() - t

    t = time.perf_counter()
    # The reference side once: values without nulls, decile edges and shares, category shares.
    ref_values = {c: np.sort(ref[c].dropna().to_numpy(np.float64)) for c in NUMERIC}
    edges = {c: np.unique(np.quantile(v, np.linspace(0, 1, 11)[1:-1])) for c, v in ref_values.items()}
    ref_hist = {c: np.bincount(np.searchsorted(edges[c], v, side="right"), minlength=len(edges[c]) + 1)
                for c, v in ref_values.items()}
    ref_counts = {c: ref[c].value_counts() for c in CATEGORICAL}
    checks = []
    for window, cur in log.groupby("window"):
        for c in NUMERIC:
            x = cur[c].dropna().to_numpy()
            r = ref_values[c]
            hist = np.bincount(np.searchsorted(edges[c], x, side="right"), minlength=len(edges[c]) + 1)
            pe, pa = ref_hist[c] / len(r), hist / len(x)
            ks = ks_2samp(r, x)
            checks.append({"window": str(window), "column": c, "kind": "numeric", "n": len(x),
                           "psi": psi(pe, pa), "js": float(jensenshannon(pe, pa, base=2)),
                           "ks": float(ks.statistic), "ks_p": float(ks.pvalue),
                           "wasserstein": float(wasserstein_distance(r, x))})
        for c in CATEGORICAL:
            table = pd.concat([ref_counts[c].rename("reference"), counts[window][c].rename("window")], axis=1).fillna(0)
            pe, pa = (table / table.sum()).to_numpy().T
            chi2, p, _, _ = chi2_contingency(table.to_numpy().T)
            checks.append({"window": str(window), "column": c, "kind": "category", "n": int(table["window"].sum()),
                           "psi": psi(pe, pa), "js": float(jensenshannon(pe, pa, base=2)),
                           "chi2": float(chi2), "chi2_p": float(p),
                           "unseen": sorted(str(v) for v in table.index[table["reference"] == 0])})
    times["stats_s"] = time.perf_counter() - t

    if args.out:
        with open(args.out, "w") as f:
            json.dump({"rows": len(log), "skipped": skipped, "checks": checks}, f)
    worst = max(checks, key=lambda x: x["psi"])
    print(json.dumps({
        "rows": len(log) + skipped, "monitored_rows": len(log), "skipped_rows": skipped,
        "windows": int(log["window"].nunique()), "features": len(NUMERIC) + len(CATEGORICAL), "checks": len(checks),
        "chunked": os.path.getsize(args.log) > args.chunk_above,
        **{k: round(v, 3) for k, v in times.items()},
        "total_s": round(sum(times.values()), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "max_psi": {"window": worst["window"], "column": worst["column"], "psi": round(worst["psi"], 4)},
    }))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""evaluate-slices written the way an ML engineer would without gauntlet: pandas + scikit-learn.

Reads the evaluation CSV, scores it with a candidate and a production (baseline) model, computes
nine metrics overall and for every slice, 95% percentile bootstrap intervals from Poisson(1) row
weights (sample_weight), and the paired bootstrap of candidate - baseline (the same weights for
both models in each replicate). The models are scikit-learn GradientBoostingClassifier(100 trees,
depth 3), the same work per row as gauntlet's 100-tree depth-3 ONNX ensemble; they are trained on a
separate 20k-row sample, timed apart and NOT part of the compared wall time.

When --measure < --replicates, only --measure replicates run and the bootstrap time is scaled
linearly to --replicates (replicates are independent and identical in cost); the last line says so
in "extrapolated_from". Prints per-phase wall times and peak RSS as JSON on the last line.
"""
import argparse
import json
import resource
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.pipeline import make_pipeline

BASE = ["tenure_months", "monthly_charges", "support_calls", "data_gb", "age"]
WIDE = ["call_minutes", "sms_count", "roaming_days", "late_payments", "app_sessions", "night_usage_share",
        "recharge_count", "days_since_recharge", "network_drops", "contract_months_left", "family_lines"]
METRICS = ["roc_auc", "average_precision", "f1", "precision", "recall", "accuracy", "log_loss", "brier", "ece"]
ECE_EDGES = np.linspace(0, 1, 11)[1:-1]  # 10 equal bins, right-closed: (0.1m, 0.1(m+1)]


def metrics(y, p, w, threshold):
    """The nine metrics of one group of rows, each row weighted by w (its bootstrap count)."""
    pred = (p >= threshold).astype(np.int64)
    tn, fp, fn, tp = np.bincount(2 * y + pred, weights=w, minlength=4)  # weighted confusion matrix
    total = tn + fp + fn + tp
    both = tp + fn > 0 and tn + fp > 0
    b = np.digitize(p, ECE_EDGES, right=True)
    q = np.clip(p, 1e-15, 1 - 1e-15)  # log_loss and brier as sklearn's, without its per-call validation
    gap = np.abs(np.bincount(b, weights=w * y, minlength=10) - np.bincount(b, weights=w * p, minlength=10))
    return [
        roc_auc_score(y, p, sample_weight=w) if both else np.nan,
        average_precision_score(y, p, sample_weight=w) if tp + fn > 0 else np.nan,
        2 * tp / (2 * tp + fp + fn) if tp + fp + fn > 0 else 0.0,
        tp / (tp + fp) if tp + fp > 0 else 0.0,
        tp / (tp + fn) if tp + fn > 0 else 0.0,
        (tp + tn) / total,
        -np.average(y * np.log(q) + (1 - y) * np.log(1 - q), weights=w),
        np.average((p - y) ** 2, weights=w),
        gap.sum() / total,  # ECE = sum over bins of (W_bin / W) * |mean(y) - mean(p)|
    ]


def slice_groups(df, specs, min_size):
    """(key, row indices) of every slice of every spec, like gauntlet's `evaluation.slices`."""
    groups, suppressed = [], 0
    for spec in specs:
        if isinstance(spec, str):
            column, by = spec, df[spec].astype("category")
        else:
            column, edges = spec["column"], spec["bins"]
            labels = [f"< {edges[0]:g}"] + [f"[{a:g}, {b:g})" for a, b in zip(edges, edges[1:])] + [f"≥ {edges[-1]:g}"]
            by = pd.cut(df[column], [-np.inf, *edges, np.inf], right=False, labels=labels)
        by = by.cat.add_categories("(missing)").fillna("(missing)")  # nulls are a slice of their own
        for value, idx in df.groupby(by, observed=True).indices.items():
            if len(idx) < min_size:
                suppressed += 1
                continue
            groups.append(({column: str(value)}, idx))
    return groups, suppressed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="evaluation CSV (label: churned)")
    ap.add_argument("--train", required=True, help="separate training CSV for the two models")
    ap.add_argument("--slices", required=True, help="JSON list of slice specs, as in model.yml")
    ap.add_argument("--replicates", type=int, default=1000)
    ap.add_argument("--measure", type=int, default=20, help="replicates actually run (<= replicates)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--min-slice-size", type=int, default=30)
    ap.add_argument("--out", help="write the evaluation (values, intervals, deltas) as JSON here")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    measure = min(args.measure, args.replicates)
    times = {}

    # Training (excluded from the comparison): candidate on all 16 numeric features, the
    # production baseline on the 5 base ones, another seed; median imputation for the nulls.
    t = time.perf_counter()
    train = pd.read_csv(args.train)
    models = {}
    for name, features, seed in [("candidate", BASE + WIDE, 1), ("baseline", BASE, 2)]:
        gbc = GradientBoostingClassifier(n_estimators=100, max_depth=3, learning_rate=0.1, random_state=seed)
        models[name] = (features, make_pipeline(SimpleImputer(strategy="median"), gbc).fit(train[features], train["churned"]))
    times["train_s"] = time.perf_counter() - t

    t = time.perf_counter()
    df = pd.read_csv(args.data)
    times["read_s"] = time.perf_counter() - t

    t = time.perf_counter()
    scores = {name: model.predict_proba(df[features])[:, 1] for name, (features, model) in models.items()}
    times["score_s"] = time.perf_counter() - t

    # Point values: every row once, overall and per slice, both models.
    t = time.perf_counter()
    y = df["churned"].to_numpy(np.int64)
    slices, suppressed = slice_groups(df, json.loads(args.slices), args.min_slice_size)
    groups = [({}, np.arange(len(df)))] + slices
    # Per group, its labels and both models' scores, gathered once (not per replicate).
    data = [(y[idx], scores["candidate"][idx], scores["baseline"][idx]) for _, idx in groups]
    point = np.array([[metrics(yg, pc, np.ones(len(yg)), args.threshold),
                       metrics(yg, pb, np.ones(len(yg)), args.threshold)] for yg, pc, pb in data])
    times["metrics_s"] = time.perf_counter() - t

    # Bootstrap: each replicate weights every row by a Poisson(1) count; a row keeps its weight
    # in every slice it is in, and both models see the same weights (paired).
    t = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    reps = np.empty((measure, len(groups), 2, len(METRICS)))
    for r in range(measure):
        w = rng.poisson(1.0, len(df)).astype(np.float64)
        for g, ((_, idx), (yg, pc, pb)) in enumerate(zip(groups, data)):
            wg = w[idx]
            reps[r, g, 0] = metrics(yg, pc, wg, args.threshold)
            reps[r, g, 1] = metrics(yg, pb, wg, args.threshold)
    measured = time.perf_counter() - t
    ci = np.nanpercentile(reps, [2.5, 97.5], axis=0)  # [2, group, model, metric]
    delta_ci = np.nanpercentile(reps[:, :, 0] - reps[:, :, 1], [2.5, 97.5], axis=0)
    times["bootstrap_measured_s"] = measured
    times["bootstrap_s"] = measured * args.replicates / measure

    if args.out:
        def block(g, m):
            return {name: {"value": point[g, m, k], "ci": [ci[0, g, m, k], ci[1, g, m, k]]} for k, name in enumerate(METRICS)}
        out = []
        for g, (key, idx) in enumerate(groups):
            delta = {name: {"value": point[g, 0, k] - point[g, 1, k], "ci": [delta_ci[0, g, k], delta_ci[1, g, k]]}
                     for k, name in enumerate(METRICS)}
            out.append({"key": key, "n": len(idx), "metrics": block(g, 0), "baseline": block(g, 1), "delta": delta})
        with open(args.out, "w") as f:
            json.dump({"rows": len(df), "overall": out[0], "slices": out[1:]}, f, default=float)

    overall = dict(zip(METRICS, point[0, 0].round(6).tolist()))
    summary = {
        "rows": len(df), "slices": len(slices), "suppressed": suppressed, "metrics": len(METRICS),
        "replicates": args.replicates, "extrapolated_from": measure if measure < args.replicates else None,
        **{k: round(v, 3) for k, v in times.items()},
        "total_s": round(times["read_s"] + times["score_s"] + times["metrics_s"] + times["bootstrap_s"], 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "overall_candidate": overall,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Train Sparrow's learned SpMM cost model from the tuning database's trials.

    sparrow tune --export trials.jsonl.gz --db X.sqlite          # on the GPU machine
    sparrow tune --features features.csv.gz --from trials.jsonl.gz
    .venv/bin/python scripts/train-cost-model.py features.csv.gz

The features table is written by Sparrow (Tuner.SpMMFeatures, the one definition the Swift
ranking uses too): this script computes no feature itself. It

1. splits the problems by matrix family (from each trial's source: rn50, transformer, synthetic)
   and trains twice per objective: on rn50, tested on transformer + synthetic; and the reverse;
2. compares four variants on those held-out matrices: LightGBM lambdarank with one query per
   problem (label: relevance from the time relative to the problem's best, in 4% steps), and
   regression on log(time / best), each alone and each starting from the hand model's estimate
   (LightGBM's init_score: the trees learn the hand model's error);
3. reports, for each model and for the hand model (the baseline: its estimate is a feature),
   Kendall tau between predicted and measured order, top-1 and top-5 hit rates (the model's top k
   holds the true best / a config within 3% of it) and the top-5 regret (best time among the
   model's top 5 over the true best, geometric mean);
4. keeps the variant with the lower held-out top-8 regret (what `sparrow tune` times by default), retrains it on every
   matrix, and writes the model (LightGBM's dump_model() JSON, reduced to what evaluation reads,
   plus Sparrow's metadata) to models/spmm-cost-model.json, the same JSON embedded in
   Sources/Tuner/Learned/SpMMCostModel+Shipped.swift (so a static binary carries it), and
   a markdown report.

`--fixture DIR` instead writes the Swift evaluator's test fixture: a small model trained on random
data with missing values, its inputs and LightGBM's own predictions.

LightGBM comes from PyPI: when it is missing, this script installs it (pip, into the interpreter
running it, normally the repository's .venv) and says so.
"""
import argparse
import csv
import gzip
import importlib
import io
import json
import math
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTGBM_VERSION = "4.7.0"
LEADING = ["group", "source", "device", "dtype", "n", "config", "seconds", "best_seconds", "group_size"]
# Relevance steps for lambdarank: a config 4% slower than the best loses one grade.
RELEVANCE_STEP = 1.04
MAX_LABEL = 30
WITHIN = 1.03
# `sparrow tune` times the model's first 8 configs by default: the variant is chosen by the best
# time among its top 8 over the true best (held out), the number that decides what the tuner picks.
TUNER_TOP_K = 8
# Problem features whose trained range the model file declares (Sparrow ranks a problem outside
# it with the hand model): only the element size, a discrete property the trees cannot
# extrapolate to. Sizes, density and row statistics are not declared: on held-out matrix families
# the trees ranked problems outside their trained sizes far better than the hand model
# (2026-11-30, rn50 f16 held out, mostly 64-256-row layers against trained 256-1024 rows: top-8
# regret 1.006-1.017 against the hand model's 1.350; docs/perf/2026-11-30-h200-tuner-trials2/
# analysis). bf16 (no trials yet) moves the same bytes through the same kernels as f16, so
# `is_bf16` is not declared either: bf16 ranks as f16.
DECLARED_RANGES = ("element_bytes",)
LAMBDARANK_ROUNDS = 200


def lightgbm():
    try:
        return importlib.import_module("lightgbm")
    except ImportError:
        print(f"train-cost-model: installing lightgbm=={LIGHTGBM_VERSION} from PyPI into {sys.prefix}", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", f"lightgbm=={LIGHTGBM_VERSION}"])
        return importlib.import_module("lightgbm")


def read_table(path):
    import numpy as np

    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header[: len(LEADING)] != LEADING:
            sys.exit(f"{path}: not a Sparrow features table (first columns {header[:len(LEADING)]})")
        names = header[len(LEADING):]
        meta, rows = [], []
        for line in reader:
            meta.append(dict(zip(LEADING, line[: len(LEADING)])))
            rows.append([float(v) if v != "" else math.nan for v in line[len(LEADING):]])
    x = np.array(rows, dtype=np.float64)
    group = np.array([int(m["group"]) for m in meta])
    seconds = np.array([float(m["seconds"]) for m in meta])
    best = np.array([float(m["best_seconds"]) for m in meta])
    family = np.array([matrix_family(m["source"]) for m in meta])
    return names, meta, x, group, seconds, best, family


def matrix_family(source):
    s = source.lower()
    for name in ("rn50", "transformer", "synthetic"):
        if name in s:
            return name
    return "other"


def relevance(ratio):
    import numpy as np

    steps = np.floor(np.log(ratio) / math.log(RELEVANCE_STEP))
    return np.clip(MAX_LABEL - steps, 0, MAX_LABEL).astype(int)


def ordered(mask, group):
    """Row indices of `mask`, sorted by group (LightGBM wants each query's rows together)."""
    import numpy as np

    idx = np.nonzero(mask)[0]
    return idx[np.argsort(group[idx], kind="stable")]


def query_sizes(idx, group):
    import numpy as np

    _, counts = np.unique(group[idx], return_counts=True)
    return counts


PARAMS = {
    "lambdarank": dict(objective="lambdarank", metric="ndcg", ndcg_eval_at=[1, 5], lambdarank_truncation_level=40,
                       label_gain=list(range(MAX_LABEL + 1))),
    "regression": dict(objective="regression", metric="l2"),
}
COMMON = dict(learning_rate=0.08, num_leaves=31, min_data_in_leaf=20, feature_fraction=0.9, bagging_fraction=0.9,
              bagging_freq=1, lambda_l2=1.0, verbose=-1, seed=7, deterministic=True, num_threads=2)


# Variants compared: each objective alone, and each on top of the hand model (its estimate as the
# starting score, LightGBM's init_score, so the trees learn the hand model's error rather than
# the whole cost). A variant is (objective, hand coefficient): the model's score is
# coefficient x log2_hand_ns + the trees' sum (regression: lower is better, ln 2 turns log2 into
# the label's natural log; lambdarank: higher is better, so the coefficient is negative).
VARIANTS = {
    "lambdarank": ("lambdarank", 0.0),
    "regression": ("regression", 0.0),
    "lambdarank on hand": ("lambdarank", -2.0),
    "regression on hand": ("regression", math.log(2)),
}


def train(lgb, variant, x, names, group, seconds, best, idx, rounds, valid_idx=None):
    objective, coefficient = VARIANTS[variant]
    ratio = seconds / best
    label = relevance(ratio) if objective == "lambdarank" else np.log(ratio)
    base = coefficient * x[:, names.index("log2_hand_ns")]

    def dataset(rows, reference=None):
        return lgb.Dataset(x[rows], label=label[rows], feature_name=names, init_score=base[rows] if coefficient else None,
                           group=query_sizes(rows, group) if objective == "lambdarank" else None, reference=reference,
                           free_raw_data=False)

    params = dict(COMMON, **PARAMS[objective])
    if objective == "lambdarank":
        # No early stopping: NDCG on the few validation queries stopped one split at 21 rounds,
        # where 150-300 fixed rounds held out 1.039 -> 1.009 in top-8 regret (2026-11-30).
        valid_idx, rounds = None, min(rounds, LAMBDARANK_ROUNDS)
    if coefficient and objective == "regression":
        params["boost_from_average"] = False
    data = dataset(idx)
    sets, callbacks = [], []
    if valid_idx is not None and len(valid_idx):
        sets = [dataset(valid_idx, reference=data)]
        callbacks = [lgb.early_stopping(30, verbose=False)]
    return lgb.train(params, data, num_boost_round=rounds, valid_sets=sets, callbacks=callbacks)


def cost(variant, booster, x, names, rows):
    """The variant's cost of `rows` (lower is better), as Sparrow computes it from the model file."""
    objective, coefficient = VARIANTS[variant]
    score = booster.predict(x[rows], raw_score=True) + coefficient * x[rows, names.index("log2_hand_ns")]
    return -score if objective == "lambdarank" else score


def metrics(costs, idx, group, seconds, best):
    """Mean Kendall tau, top-1 / top-5 hit rates (true best; within 3%) and top-5 regret over the
    problems of `idx`."""
    from scipy.stats import kendalltau

    by = defaultdict(list)
    for i in idx:
        by[group[i]].append(i)
    taus, hits, regrets, regrets8 = [], defaultdict(list), [], []
    for rows in by.values():
        rows = np.array(rows)
        c, t = costs[rows], seconds[rows]
        if len(rows) > 1:
            tau = kendalltau(c, t).statistic
            if not math.isnan(tau):
                taus.append(tau)
        order = rows[np.argsort(c, kind="stable")]
        true_best = best[rows[0]]
        for k in (1, 5):
            top = seconds[order[:k]]
            hits[f"top{k}_best"].append(bool(np.any(top <= true_best * (1 + 1e-12))))
            hits[f"top{k}_within3"].append(bool(np.any(top <= true_best * WITHIN)))
        regrets.append(seconds[order[:5]].min() / true_best)
        regrets8.append(seconds[order[:TUNER_TOP_K]].min() / true_best)
    out = {"problems": len(by), "kendall_tau": float(np.mean(taus)) if taus else math.nan}
    out.update({k: float(np.mean(v)) for k, v in hits.items()})
    out["top5_regret"] = float(np.exp(np.mean(np.log(regrets)))) if regrets else math.nan
    out["top8_regret"] = float(np.exp(np.mean(np.log(regrets8)))) if regrets8 else math.nan
    return out


def tree_only(node):
    """A dump_model() node without the fields evaluation does not read."""
    if "leaf_value" in node and "split_feature" not in node:
        return {"leaf_value": node["leaf_value"]}
    return {k: (tree_only(node[k]) if k in ("left_child", "right_child") else node[k])
            for k in ("split_feature", "threshold", "decision_type", "default_left", "missing_type", "left_child", "right_child")}


def model_json(booster, variant, names, x, problem_names, trained_on):
    objective, coefficient = VARIANTS[variant]
    dump = booster.dump_model()
    if dump["feature_names"] != names:
        sys.exit("LightGBM's feature names differ from the table's")
    ranges = {}
    for name in (n for n in problem_names if n in DECLARED_RANGES):
        column = x[:, names.index(name)]
        column = column[~np.isnan(column)]
        if len(column):
            ranges[name] = [float(column.min()), float(column.max())]
    return {
        "format": "sparrow-gbdt",
        "version": 1,
        "variant": variant,
        "objective": objective,
        "higher_is_better": objective == "lambdarank",
        "base_margin": {"feature": "log2_hand_ns", "coefficient": coefficient},
        "feature_names": names,
        "problem_feature_ranges": ranges,
        "trained_on": trained_on,
        "lightgbm_version": lightgbm().__version__,
        "tree_info": [{"tree_index": t["tree_index"], "tree_structure": tree_only(t["tree_structure"])}
                      for t in dump["tree_info"]],
    }


SWIFT_TEMPLATE = '''// Generated by scripts/train-cost-model.py from {source}; do not edit.
// The learned SpMM cost model shipped with Sparrow: LightGBM's dump_model() JSON reduced to what
// the evaluator reads, plus the features it was trained on (models/spmm-cost-model.json holds
// the same text). Embedded, not a resource file, so a statically linked binary carries it.

extension SpMMCostModelFile {{
    /// The shipped model's JSON, if one was trained.
    static let shippedJSON: String? = #"""
{json}
"""#
}}
'''


def write_fixture(lgb, folder):
    """A small model on random data with missing values, its inputs and LightGBM's predictions."""
    rng = np.random.default_rng(11)
    n, features = 600, 6
    x = rng.normal(size=(n, features))
    x[:, 2] = rng.integers(0, 4, size=n)  # a few distinct values (thresholds between them)
    x[rng.random(size=(n, features)) < 0.1] = np.nan
    x[:, 4] = rng.normal(size=n)  # never missing in training: its splits' missing type is None
    x[:, 5] = np.where(rng.random(n) < 0.2, 0.0, x[:, 5])  # zeros
    y = 2 * np.nan_to_num(x[:, 0]) - np.nan_to_num(x[:, 1]) ** 2 + x[:, 2] + np.isnan(x[:, 3]) + 0.1 * rng.normal(size=n)
    names = [f"f{i}" for i in range(features)]
    booster = lgb.train(dict(objective="regression", num_leaves=15, learning_rate=0.2, min_data_in_leaf=5, verbose=-1,
                             seed=3, deterministic=True, num_threads=1, zero_as_missing=False),
                        lgb.Dataset(x, label=y, feature_name=names), num_boost_round=25)
    probe = np.vstack([x[:50], rng.normal(size=(10, features)) * 3, np.full((1, features), np.nan), np.zeros((1, features))])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gbdt-model.json").write_text(json.dumps(booster.dump_model(), indent=None) + "\n")
    rows = [{"x": [None if math.isnan(v) else float(v) for v in row], "prediction": float(p)}
            for row, p in zip(probe, booster.predict(probe, raw_score=True))]
    (folder / "gbdt-predictions.json").write_text(json.dumps(rows) + "\n")
    print(f"wrote {folder}/gbdt-model.json ({booster.num_trees()} trees) and {len(rows)} predictions")


def main():
    global np
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("features", nargs="?", help="the table of `sparrow tune --features` (.csv or .csv.gz)")
    parser.add_argument("--model", default=str(ROOT / "models/spmm-cost-model.json"))
    parser.add_argument("--swift", help="the Swift file embedding the model ('-': none)",
                        default=str(ROOT / "Sources/Tuner/Learned/SpMMCostModel+Shipped.swift"))
    parser.add_argument("--report", default=str(ROOT / "models/spmm-cost-model.md"))
    parser.add_argument("--rounds", type=int, default=400, help="most boosting rounds (early stopping picks fewer)")
    parser.add_argument("--train-on", help="train the written model on these matrix families only (comma-separated: "
                        "rn50, transformer, synthetic, other), to evaluate it on the others with sparrow tune --compare")
    parser.add_argument("--fixture", help="write the Swift evaluator's test fixture into this folder instead")
    args = parser.parse_args()
    lgb = lightgbm()
    if args.fixture:
        write_fixture(lgb, Path(args.fixture))
        return
    if not args.features:
        parser.error("give the features table (or --fixture DIR)")

    names, meta, x, group, seconds, best, family = read_table(args.features)
    problem_names = names[: names.index("family")]
    families = sorted(set(family))
    groups_of = {f: len(set(group[family == f])) for f in families}
    print(f"{len(x)} trials of {len(set(group))} problems: " + ", ".join(f"{f} {groups_of[f]}" for f in families))

    hand = x[:, names.index("log2_hand_ns")]
    splits = [("train rn50, test the others", family == "rn50", family != "rn50"),
              ("train the others, test rn50", family != "rn50", family == "rn50"),
              # Transformer held out with the synthetic matrices in training: the split that
              # scripts/gpu-tuner-heldout.sh re-times on the GPU (model-rn50-synthetic.json).
              ("train rn50 + synthetic, test transformer", family != "transformer", family == "transformer")]
    results, iterations = [], defaultdict(list)
    for label, train_mask, test_mask in splits:
        if not train_mask.any() or not test_mask.any():
            print(f"{label}: skipped (no matrices on one side)")
            continue
        train_idx, test_idx = ordered(train_mask, group), ordered(test_mask, group)
        # Early stopping on a fifth of the training problems, never on the test matrices.
        train_groups = np.unique(group[train_idx])
        valid_groups = set(train_groups[np.random.default_rng(5).random(len(train_groups)) < 0.2])
        in_valid = np.array([g in valid_groups for g in group[train_idx]])
        fit_idx, valid_idx = train_idx[~in_valid], train_idx[in_valid]
        row = {"split": label, "hand model": metrics(hand, test_idx, group, seconds, best)}
        for variant in VARIANTS:
            booster = train(lgb, variant, x, names, group, seconds, best, fit_idx, args.rounds, valid_idx)
            iterations[variant].append(max(1, booster.best_iteration or booster.num_trees()))
            full = np.full(len(x), np.nan)
            full[test_idx] = cost(variant, booster, x, names, test_idx)
            row[variant] = metrics(full, test_idx, group, seconds, best)
        results.append(row)
        print(label)
        for key in ("hand model", *VARIANTS):
            print(f"  {key:20s} " + ", ".join(f"{k} {v:.3f}" for k, v in row[key].items()))

    def score(objective):
        rows = [r[objective] for r in results]
        return (-np.mean([r["top8_regret"] for r in rows]), np.mean([r["top5_within3"] for r in rows])) if rows else (0, 0)

    chosen = max(VARIANTS, key=score) if results else "regression on hand"
    rounds = int(np.mean(iterations[chosen])) if iterations[chosen] else args.rounds // 2
    keep = np.ones(len(x), dtype=bool)
    if args.train_on:
        wanted = set(args.train_on.split(","))
        keep = np.array([f in wanted for f in family])
        if not keep.any():
            sys.exit(f"--train-on {args.train_on}: no trials of those families")
    print(f"chosen: {chosen} ({rounds} rounds), retrained on " + (args.train_on or "every matrix"))
    final = train(lgb, chosen, x, names, group, seconds, best, ordered(keep, group), rounds)
    trained_on = {"table": Path(args.features).name, "trials": int(keep.sum()), "problems": int(len(set(group[keep]))),
                  "families": {f: n for f, n in groups_of.items() if (family[keep] == f).any()},
                  "devices": sorted({m["device"] for m, k in zip(meta, keep) if k}),
                  "dtypes": sorted({m["dtype"] for m, k in zip(meta, keep) if k}), "rounds": rounds}
    model = model_json(final, chosen, names, x[keep], problem_names, trained_on)
    text = json.dumps(model, separators=(",", ":"))
    Path(args.model).parent.mkdir(parents=True, exist_ok=True)
    Path(args.model).write_text(text + "\n")
    if args.swift != "-":
        Path(args.swift).parent.mkdir(parents=True, exist_ok=True)
        Path(args.swift).write_text(SWIFT_TEMPLATE.format(source=Path(args.features).name, json=text))
    write_report(args.report, trained_on, results, chosen, final, names)
    print(f"wrote {args.model} ({len(text) // 1024} KiB, {final.num_trees()} trees), {args.swift}, {args.report}")


def write_report(path, trained_on, results, chosen, booster, names):
    out = io.StringIO()
    out.write("# Learned SpMM cost model\n\n")
    out.write(f"Written by `scripts/train-cost-model.py` from `{trained_on['table']}`: {trained_on['trials']} trials of "
              f"{trained_on['problems']} problems (by matrix family: "
              + ", ".join(f"{k} {v}" for k, v in trained_on["families"].items())
              + f"), devices {', '.join(trained_on['devices'])}, dtypes {', '.join(trained_on['dtypes'])}.\n\n")
    out.write("Held-out metrics, per problem then averaged: Kendall tau between predicted and measured order; "
              "top-k hit rates (the model's k best hold the true best, or a config within 3% of it); top-5 regret "
              "(the best time among the model's top 5 over the true best, geometric mean); top-8 regret likewise (the "
              "tuner's default k).\n\n")
    if not results:
        out.write("**No held-out split was possible** (the trials hold one matrix family): nothing here says how the "
                  "model does on matrices it never saw.\n\n")
    for row in results:
        out.write(f"## {row['split']}\n\n")
        out.write("| model | problems | Kendall tau | top-1 best | top-1 within 3% | top-5 best | top-5 within 3% | top-5 regret | top-8 regret |\n")
        out.write("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
        for key in ("hand model", *VARIANTS):
            m = row[key]
            out.write(f"| {key} | {m['problems']} | {m['kendall_tau']:.3f} | {m['top1_best']:.2f} | {m['top1_within3']:.2f} | "
                      f"{m['top5_best']:.2f} | {m['top5_within3']:.2f} | {m['top5_regret']:.3f} | {m['top8_regret']:.3f} |\n")
        out.write("\n")
    out.write(f"Chosen: **{chosen}** (lower held-out top-8 regret, then top-5 hit rate within 3%), retrained on "
              f"{trained_on['problems']} problems ({', '.join(trained_on['families'])}) for {trained_on['rounds']} rounds: "
              f"{booster.num_trees()} trees.\n\n")
    gains = booster.feature_importance(importance_type="gain")
    top = sorted(zip(names, gains), key=lambda p: -p[1])[:12]
    total = sum(gains) or 1
    out.write("Features by gain: " + ", ".join(f"{n} {g / total:.0%}" for n, g in top) + ".\n")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(out.getvalue())


if __name__ == "__main__":
    main()

import numpy as np
exec(open("docs/perf/2026-11-30-h200-tuner-trials2/analysis/topk.py").read().split("for trf, tef")[0])
for trf, tef in [(["transformer","synthetic"], ["rn50"]), (["rn50"], ["transformer","synthetic"])]:
    tr = tcm.ordered(np.isin(family, trf), group)
    g = np.unique(group[tr]); vg = set(g[np.random.default_rng(5).random(len(g)) < 0.2])
    inv = np.array([x in vg for x in group[tr]]); fit, val = tr[~inv], tr[inv]
    te = tcm.ordered(np.isin(family, tef), group)
    for v in ["lambdarank on hand", "regression"]:
        for label, kw in [("es", dict(valid_idx=val)), ("fit300", {}), ("fit150", {}) ]:
            r = 150 if label=="fit150" else 300
            b = tcm.train(lgb, v, x, names, group, seconds, best, fit, r, **kw)
            lc = tcm.cost(v, b, x, names, np.arange(len(x)))
            res = [f"{dt} {regret(lc, tcm.ordered(np.isin(family, tef) & (dtype == dt), group), 8)[0]:.3f}" for dt in ["f32","f16"]]
            print(tef, v, label, b.best_iteration, b.num_trees(), " ".join(res), f"all {regret(lc, te, 8)[0]:.3f}", flush=True)

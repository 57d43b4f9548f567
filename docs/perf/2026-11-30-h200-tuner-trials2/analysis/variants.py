import importlib.util, numpy as np, sys
exec(open("docs/perf/2026-11-30-h200-tuner-trials2/analysis/topk.py").read().split("for trf, tef")[0])
for trf, tef in [(["transformer","synthetic"], ["rn50"]), (["rn50"], ["transformer","synthetic"])]:
    tr = tcm.ordered(np.isin(family, trf), group)
    for v in tcm.VARIANTS:
        b = tcm.train(lgb, v, x, names, group, seconds, best, tr, 300)
        lc = tcm.cost(v, b, x, names, np.arange(len(x)))
        res = []
        for dt in ["f32", "f16"]:
            idx = tcm.ordered(np.isin(family, tef) & (dtype == dt), group)
            res.append(f"{dt} L8 {regret(lc, idx, 8)[0]:.3f} L12 {regret(lc, idx, 12)[0]:.3f} L8+H4 {regret(lc, idx, 8, hand, 4)[0]:.3f}")
        print(tef, v, " | ".join(res), flush=True)

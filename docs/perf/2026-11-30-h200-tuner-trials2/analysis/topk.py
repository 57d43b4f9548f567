import importlib.util, numpy as np
from collections import defaultdict
spec = importlib.util.spec_from_file_location("tcm", "scripts/train-cost-model.py"); tcm = importlib.util.module_from_spec(spec); spec.loader.exec_module(tcm)
tcm.np = np; lgb = tcm.lightgbm()
names, meta, x, group, seconds, best, family = tcm.read_table("/tmp/features.csv.gz")
dtype = np.array([m["dtype"] for m in meta])
hand = x[:, names.index("log2_hand_ns")]
def regret(costs, idx, k, costs2=None, k2=0):
    by = defaultdict(list)
    for i in idx: by[group[i]].append(i)
    out = []
    for rows in by.values():
        rows = np.array(rows); order = rows[np.argsort(costs[rows], kind="stable")]
        pick = list(order[:k])
        if costs2 is not None:
            o2 = rows[np.argsort(costs2[rows], kind="stable")]
            pick += [i for i in o2 if i not in pick][:k2]
        out.append(seconds[pick].min() / best[rows[0]])
    out = np.array(out); return np.exp(np.mean(np.log(out))), np.mean(out <= 1.05), out.max()
for trf, tef in [(["transformer","synthetic"], ["rn50"]), (["rn50"], ["transformer","synthetic"])]:
    tr = tcm.ordered(np.isin(family, trf), group)
    b = tcm.train(lgb, "regression on hand", x, names, group, seconds, best, tr, 300)
    lc = tcm.cost("regression on hand", b, x, names, np.arange(len(x)))
    for dt in ["f32", "f16"]:
        idx = tcm.ordered(np.isin(family, tef) & (dtype == dt), group)
        res = []
        for k in (4, 8, 12, 16):
            res.append(f"L{k} {regret(lc, idx, k)[0]:.3f}/{regret(lc, idx, k)[1]:.2f}")
        res.append(f"L6+H2 {regret(lc, idx, 6, hand, 2)[0]:.3f}")
        res.append(f"L8+H4 {regret(lc, idx, 8, hand, 4)[0]:.3f}/{regret(lc, idx, 8, hand, 4)[1]:.2f}")
        res.append(f"H8 {regret(hand, idx, 8)[0]:.3f}")
        print(tef, dt, " | ".join(res))

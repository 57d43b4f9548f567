import sys, importlib.util, numpy as np
spec = importlib.util.spec_from_file_location("tcm", "scripts/train-cost-model.py"); tcm = importlib.util.module_from_spec(spec); spec.loader.exec_module(tcm)
tcm.np = np
lgb = tcm.lightgbm()
names, meta, x, group, seconds, best, family = tcm.read_table("/tmp/features.csv.gz")
dtype = np.array([m["dtype"] for m in meta]); n = np.array([int(m["n"]) for m in meta])
def run(train_fams, test_fams):
    tr = tcm.ordered(np.isin(family, train_fams), group)
    te_all = np.isin(family, test_fams)
    b = tcm.train(lgb, "regression on hand", x, names, group, seconds, best, tr, 300)
    # ranges of log2 features in training
    r = {}
    for nm in ["log2_rows","log2_cols","log2_nnz","log2_n"]:
        if nm in names:
            c = x[tr, names.index(nm)]; r[nm] = (np.nanmin(c), np.nanmax(c))
    print("train", train_fams, "ranges", r)
    lc = tcm.cost("regression on hand", b, x, names, np.arange(len(x)))
    hand = x[:, names.index("log2_hand_ns")]
    for dt in ["f32","f16"]:
        for label, extra in [("all", np.ones(len(x),bool)), ("rows<256", x[:,names.index("log2_rows")]<8)]:
            idx = tcm.ordered(te_all & (dtype==dt) & extra, group)
            if len(idx)==0: continue
            ml = tcm.metrics(lc, idx, group, seconds, best); mh = tcm.metrics(hand, idx, group, seconds, best)
            print(f" test {test_fams} {dt} {label}: problems {ml['problems']}: learned tau {ml['kendall_tau']:.2f} top5w3 {ml['top5_within3']:.2f} regret5 {ml['top5_regret']:.3f} | hand tau {mh['kendall_tau']:.2f} top5w3 {mh['top5_within3']:.2f} regret5 {mh['top5_regret']:.3f}")
run(["transformer","synthetic"], ["rn50"])
run(["rn50"], ["transformer","synthetic"])

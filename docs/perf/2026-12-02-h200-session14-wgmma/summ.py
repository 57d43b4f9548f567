import json, sys
for f in sys.argv[1:]:
    d = json.load(open(f))
    for r in d["rows"]:
        base = {b["name"]: b["ms"] for b in r.get("baselines", [])}
        flex = base.get("flex")
        cfgs = sorted(r.get("sparrow", []), key=lambda c: c["ms"])
        best = cfgs[0] if cfgs else None
        line = f'{r["pattern"]:>22} L{r["length"]:>6} d{r["headSize"]:>4} flex {flex if flex is None else round(flex, 4)} | '
        line += " ".join(f'{c["name"]}={c["ms"]:.4f}' for c in cfgs[:6])
        if best and flex: line += f' | best/flex {flex / best["ms"]:.2f}x'
        print(line)
    for x in d.get("failures", []): print("FAIL", x)

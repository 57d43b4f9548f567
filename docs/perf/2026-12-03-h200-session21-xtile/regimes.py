#!/usr/bin/env python3
"""Issue 13's targets from `sparrow bench spmm --json` reports (.json or .json.xz).

Per (suite, dtype, sparsity, n): the geometric mean of (cuSPARSE's fastest algorithm / Sparrow's time), split as
issue 13 splits it: a problem is launch-bound when cuSPARSE's best is under twice the empty-kernel launch the
same run measured (`ceilings.launchSeconds`); then the problems where Sparrow is least ahead. A report's X-tiled
trials (named with --config) are summarised apart when its sweep log holds them.
Usage: regimes.py REPORT... [--worst N]
"""
import json, lzma, math, sys
from collections import defaultdict


def load(path):
    return json.load(lzma.open(path) if path.endswith(".xz") else open(path))


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


args = sys.argv[1:]
worst_n = 0
if "--worst" in args:
    i = args.index("--worst")
    worst_n = int(args[i + 1])
    del args[i:i + 2]
for path in args:
    report = load(path)
    launch = report["ceilings"]["launchSeconds"]
    groups, worst = defaultdict(lambda: defaultdict(list)), []
    print(f"### {path.split('/')[-1]}\n\n`{report['command']}` (commit {report['commit']}, {report['date']}); "
          f"empty-kernel launch {launch * 1e6:.2f} us, launch-bound below {2 * launch * 1e6:.2f} us of cuSPARSE\n")
    print("| suite | dtype | sparsity | n | regime | problems | Sparrow vs cuSPARSE best (geomean) | min | max |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for p in report["problems"]:
        ours = [c for c in p["candidates"] if c["role"] == "ours" and c["status"] == "ok"]
        cus = [c["medianSeconds"] for c in p["candidates"] if c["name"].startswith("cusparse") and c.get("medianSeconds")]
        if not ours or not cus:
            continue
        mine = min(ours, key=lambda c: c["medianSeconds"])
        ratio = min(cus) / mine["medianSeconds"]
        regime = "launch-bound" if min(cus) < 2 * launch else "large"
        groups[(p["suite"], p["dtype"], p["nominalSparsity"], p["m"])][regime].append(ratio)
        if regime == "large":
            worst.append((ratio, p["name"], p["rows"], p["columns"], p["nnz"], p["m"], mine.get("config"),
                          mine["medianSeconds"] * 1e6, min(cus) * 1e6))
    for key in sorted(groups):
        for regime in ("large", "launch-bound"):
            xs = groups[key][regime]
            if xs:
                print(f"| {' | '.join(str(k) for k in key)} | {regime} | {len(xs)} | **{geomean(xs):.3f}x** | "
                      f"{min(xs):.2f} | {max(xs):.2f} |")
    if worst_n:
        print(f"\nThe {worst_n} large problems where Sparrow is least ahead:\n")
        print("| x cuSPARSE | problem | rows x K | nnz | n | Sparrow's config | Sparrow us | cuSPARSE us |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for w in sorted(worst)[:worst_n]:
            print(f"| {w[0]:.2f} | {w[1]} | {w[2]} x {w[3]} | {w[4]} | {w[5]} | {w[6]} | {w[7]:.2f} | {w[8]:.2f} |")
    print()

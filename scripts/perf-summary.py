#!/usr/bin/env python3
"""Summarise `sparrow bench spmm --json` reports as markdown tables.

For each report: geometric-mean speedup of Sparrow's best correct kernel over each
baseline (and over the best cuSPARSE algorithm per problem), split by nominal sparsity
and by n, plus the small/large split (problems whose best baseline runs under / over
20 us) and the fraction of the floor reached. Usage: perf-summary.py REPORT.json[.gz]...
"""
import collections, gzip, json, math, sys

def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return json.load(f)

def gm(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")

def summarise(path):
    r = load(path)
    print(f"### {path.split('/')[-1]}\n")
    print(f"- command: `{r['command']}`; commit {r['commit']}; {r['date']}")
    print(f"- device: {r['device']}; failures: {r['failures']}")
    # Conditions (reports from 2026-11-30 on): machine load and timings whose runs spread widely.
    for when in ("loadAtStart", "loadAtEnd"):
        if r.get(when):
            print(f"- load {when[6:].lower()}: {r[when]['oneMinute']:.2f} on {r[when]['cores']} cores")
    timed = [c for p in r["problems"] for c in p["candidates"] if "unstableTiming" in c]
    if timed:
        unstable = [c for c in timed if c["unstableTiming"]]
        print(f"- unstable timings (median / min > 1.5): {len(unstable)} of {len(timed)}")
    print()
    table = collections.defaultdict(lambda: collections.defaultdict(list))
    regimes = collections.defaultdict(lambda: collections.defaultdict(list))
    floors = collections.defaultdict(list)
    for p in r["problems"]:
        ours = [c for c in p["candidates"] if c["role"] == "ours" and c["status"] == "ok"]
        if not ours:
            continue
        best = min(ours, key=lambda c: c["medianSeconds"])
        t = best["medianSeconds"]
        floors[p["nominalSparsity"]].append(p["floorSeconds"] / t)
        base = {c["name"]: c["medianSeconds"] for c in p["candidates"] if c["role"] == "baseline" and c["status"] == "ok"}
        sparse = [v for k, v in base.items() if k.startswith("cusparse")]
        if sparse:
            base["cusparse (best algorithm)"] = min(sparse)
        # Large: at least 1 us of floor (about 67 MFLOP of useful work on an H200).
        regime = "large" if p["floorSeconds"] >= 1e-6 else "small"
        for name, seconds in base.items():
            table[name][(p["nominalSparsity"], p["m"])].append(seconds / t)
            regimes[name][regime].append(seconds / t)
    keys = sorted({k for v in table.values() for k in v})
    names = sorted(table)
    print("| sparsity | n | " + " | ".join(names) + " |")
    print("| --- | --- |" + " --- |" * len(names))
    for s, m in keys:
        print(f"| {s} | {m} | " + " | ".join(f"{gm(table[n][(s, m)]):.2f}x" if table[n][(s, m)] else "-" for n in names) + " |")
    print()
    names = sorted(regimes)
    print("| baseline | small problems (floor < 1 us) | large problems (floor >= 1 us) |")
    print("| --- | --- | --- |")
    for name in names:
        cells = [f"{gm(regimes[name][g]):.2f}x ({len(regimes[name][g])})" if regimes[name][g] else "-" for g in ("small", "large")]
        print(f"| {name} | {cells[0]} | {cells[1]} |")
    print()
    print("Fraction of the floor reached by Sparrow's best (median over problems): " +
          ", ".join(f"{s}: {100 * sorted(v)[len(v) // 2]:.1f}%" for s, v in sorted(floors.items())))
    print()

for path in sys.argv[1:]:
    summarise(path)

#!/usr/bin/env python3
"""Summarise a `sparrow bench spmm --suite llm --json` report against issue 12's targets.

Usage: summarize-llm-bench.py REPORT.json [PARTIAL.jsonl ...] > summary.md

Per problem: Sparrow's best correct candidate and its config, cuBLAS fp16, the speedup, the
achieved bandwidth and the fraction of the byte bound (the candidate's bytes: W in its format,
X and Y, over the machine bandwidth the report measured). Then the geometric means the issue
names: n = 1..16 per sparsity, n = 64 per sparsity, and the byte-bound fraction where the bound
is at least 5 us.
"""
import json
import math
import sys


def load(paths):
    problems, bandwidth = [], None
    for path in paths:
        if path.endswith(".jsonl"):
            for line in open(path):
                line = line.strip()
                if line:
                    record = json.loads(line)
                    problems.append(record.get("problem", record))
        else:
            report = json.load(open(path))
            problems += report["problems"]
            bandwidth = report.get("ceilings", {}).get("bandwidthBytesPerSecond", bandwidth)
    return problems, bandwidth


def geomean(values):
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def main():
    problems, bandwidth = load(sys.argv[1:])
    rows, by_sparsity_small, by_sparsity_64, bound_fracs = [], {}, {}, []
    for p in problems:
        ours = [c for c in p["candidates"] if c["role"] == "ours" and c["status"] == "ok" and c.get("medianSeconds")]
        dense = [c for c in p["candidates"] if c["name"] == "cublas-fp16" and c["status"] == "ok" and c.get("medianSeconds")]
        if not ours or not dense:
            continue
        best = min(ours, key=lambda c: c["medianSeconds"])
        base = dense[0]
        speedup = base["medianSeconds"] / best["medianSeconds"]
        s = round(p["nominalSparsity"], 2)
        if p["m"] <= 16:
            by_sparsity_small.setdefault(s, []).append(speedup)
        if p["m"] == 64:
            by_sparsity_64.setdefault(s, []).append(speedup)
        bound_us = None
        if bandwidth is None and best.get("fractionOfByteBound"):
            # A partial file carries no ceilings: the bandwidth is what the fraction was taken over.
            bandwidth = best["streamedBytes"] / (best["fractionOfByteBound"] * best["medianSeconds"])
        if best.get("streamedBytes") and bandwidth:
            bound_us = best["streamedBytes"] / bandwidth * 1e6
            if bound_us >= 5 and p["m"] <= 16:
                bound_fracs.append(best.get("fractionOfByteBound"))
        rows.append((p["name"], p["m"], best["name"], best.get("config") or "", best["medianSeconds"] * 1e6,
                     best.get("coldCopies"), base["medianSeconds"] * 1e6, base.get("coldCopies"), speedup,
                     (best.get("achievedBytesPerSecond") or 0) / 1e12, best.get("fractionOfByteBound"), bound_us))
    print("| problem | n | ours | config | us | copies | cuBLAS fp16 us | copies | speedup | TB/s | byte-bound fraction | bound us |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        frac = f"{r[10]:.2f}" if r[10] is not None else "-"
        bound = f"{r[11]:.1f}" if r[11] is not None else "-"
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]:.1f} | {r[5]} | {r[6]:.1f} | {r[7]} | {r[8]:.2f} | {r[9]:.2f} | {frac} | {bound} |")
    print()
    print("Geometric mean speedup over cuBLAS fp16 (cold), by sparsity:")
    print()
    print("| sparsity | n = 1..16 | problems | n = 64 | problems |")
    print("| --- | --- | --- | --- | --- |")
    for s in sorted(set(by_sparsity_small) | set(by_sparsity_64)):
        a, b = geomean(by_sparsity_small.get(s, [])), geomean(by_sparsity_64.get(s, []))
        fa = f"{a:.2f}x" if a else "-"
        fb = f"{b:.2f}x" if b else "-"
        print(f"| {s} | {fa} | {len(by_sparsity_small.get(s, []))} | {fb} | {len(by_sparsity_64.get(s, []))} |")
    g = geomean(bound_fracs)
    print()
    if g:
        print(f"Byte-bound fraction, n = 1..16 where the bound is >= 5 us: geometric mean {g:.2f}, "
              f"minimum {min(f for f in bound_fracs if f):.2f} over {len(bound_fracs)} problems.")
    if bandwidth:
        print(f"Machine bandwidth used for the bound: {bandwidth / 1e12:.2f} TB/s (from the report's ceilings).")


if __name__ == "__main__":
    main()

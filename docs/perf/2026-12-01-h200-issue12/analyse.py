#!/usr/bin/env python3
"""Issue 12's tables from `sparrow bench spmm --json` reports (and .partial.jsonl files).

Usage: analyse.py KIND FILE [FILE ...] where KIND is
  contest  - the 2:4 llm run: Sparrow's best vs cuSPARSELt vs cuBLAS fp16, per problem and geometric means
  dense    - any suite: Sparrow's best vs cuBLAS fp16 per problem, geometric mean per (sparsity, n)
"""
import json, math, sys


def load(paths):
    problems, bandwidth = [], None
    for path in paths:
        if path.endswith(".jsonl"):
            for line in open(path):
                if line.strip():
                    r = json.loads(line)
                    problems.append(r.get("problem", r))
        else:
            report = json.load(open(path))
            problems += report["problems"]
            bandwidth = report.get("ceilings", {}).get("bandwidthBytesPerSecond", bandwidth)
    return problems, bandwidth


def gm(v):
    v = [x for x in v if x and x > 0]
    return math.exp(sum(map(math.log, v)) / len(v)) if v else None


def ok(p, name):
    c = [c for c in p["candidates"] if c["name"] == name and c["status"] == "ok" and c.get("medianSeconds")]
    return c[0] if c else None


def best_ours(p):
    ours = [c for c in p["candidates"] if c["role"] == "ours" and c["status"] == "ok" and c.get("medianSeconds")]
    return min(ours, key=lambda c: c["medianSeconds"]) if ours else None


def f(x, fmt="{:.2f}"):
    return fmt.format(x) if x is not None else "-"


def contest(problems):
    print("| problem | n | Sparrow best | config | us | B/weight | cuSPARSELt us | its config | B/weight | cuBLAS fp16 us | x cuSPARSELt | x cuBLAS | cuSPARSELt x cuBLAS |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    small, n64, lt_small, lt_64 = [], [], [], []
    for p in problems:
        o, lt, cb = best_ours(p), ok(p, "cusparselt-fp16"), ok(p, "cublas-fp16")
        if not o:
            continue
        weights = p["rows"] * p["columns"]
        bpw = lambda c: (c.get("streamedBytes") or 0 - 0) and (c["streamedBytes"] - (p["rows"] + p["columns"]) * p["m"] * 2) / weights
        vs_lt = lt["medianSeconds"] / o["medianSeconds"] if lt else None
        vs_cb = cb["medianSeconds"] / o["medianSeconds"] if cb else None
        lt_cb = cb["medianSeconds"] / lt["medianSeconds"] if (lt and cb) else None
        (small if p["m"] <= 16 else n64 if p["m"] == 64 else []).append(vs_lt)
        (lt_small if p["m"] <= 16 else lt_64 if p["m"] == 64 else []).append(lt_cb)
        lt_status = "" if lt else next((c["status"] + ": " + (c.get("detail") or "")[:80] for c in p["candidates"] if c["name"] == "cusparselt-fp16"), "absent")
        print(f"| {p['name']} | {p['m']} | {o['name']} | {o.get('config') or ''} | {o['medianSeconds']*1e6:.1f} | {f(bpw(o))} | "
              f"{f(lt and lt['medianSeconds']*1e6, '{:.1f}')}{lt_status} | {(lt or {}).get('config') or ''} | {f(lt and bpw(lt))} | "
              f"{f(cb and cb['medianSeconds']*1e6, '{:.1f}')} | {f(vs_lt)} | {f(vs_cb)} | {f(lt_cb)} |")
    print()
    print(f"Sparrow over cuSPARSELt, geometric mean: n <= 16 {f(gm(small))}x ({len([x for x in small if x])} problems), n = 64 {f(gm(n64))}x ({len([x for x in n64 if x])}).")
    print(f"cuSPARSELt over cuBLAS fp16, geometric mean: n <= 16 {f(gm(lt_small))}x, n = 64 {f(gm(lt_64))}x.")


def dense(problems, bandwidth):
    print("| problem | n | Sparrow best | config | us | cuBLAS fp16 us | speedup | TB/s | byte-bound fraction | bound us |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    groups, fracs = {}, []
    for p in problems:
        o, cb = best_ours(p), ok(p, "cublas-fp16")
        if not o or not cb:
            continue
        s = cb["medianSeconds"] / o["medianSeconds"]
        key = (p["suite"], round(p["nominalSparsity"], 3), p["m"])
        groups.setdefault(key, []).append(s)
        bw = bandwidth
        if bw is None and o.get("fractionOfByteBound"):
            bw = o["streamedBytes"] / (o["fractionOfByteBound"] * o["medianSeconds"])
        bound = o["streamedBytes"] / bw * 1e6 if (o.get("streamedBytes") and bw) else None
        if bound and bound >= 5 and p["m"] <= 16 and p["suite"] == "llm":
            fracs.append(o.get("fractionOfByteBound"))
        print(f"| {p['name']} | {p['m']} | {o['name']} | {o.get('config') or ''} | {o['medianSeconds']*1e6:.1f} | {cb['medianSeconds']*1e6:.1f} | "
              f"{s:.2f} | {f((o.get('achievedBytesPerSecond') or 0)/1e12)} | {f(o.get('fractionOfByteBound'))} | {f(bound, '{:.1f}')} |")
    print()
    print("| suite | sparsity | n | problems | geometric mean x cuBLAS fp16 | min | max |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for k in sorted(groups):
        v = groups[k]
        print(f"| {k[0]} | {k[1]} | {k[2]} | {len(v)} | {gm(v):.2f}x | {min(v):.2f} | {max(v):.2f} |")
    small = {}
    for (suite, s, m), v in groups.items():
        if suite == "llm" and m <= 16:
            small.setdefault(s, []).extend(v)
    if small:
        print()
        print("llm, n = 1..16 pooled: " + ", ".join(f"{s}: {gm(v):.2f}x ({len(v)})" for s, v in sorted(small.items())))
    if fracs:
        print(f"Byte-bound fraction (llm, n <= 16, bound >= 5 us): geometric mean {gm(fracs):.2f}, minimum {min(fracs):.2f}, {len(fracs)} problems.")
    if bandwidth:
        print(f"Bandwidth of the bound: {bandwidth/1e12:.2f} TB/s (the report's ceilings).")


if __name__ == "__main__":
    kind, paths = sys.argv[1], sys.argv[2:]
    problems, bandwidth = load(paths)
    contest(problems) if kind == "contest" else dense(problems, bandwidth)

#!/usr/bin/env python3
"""Session 18: per-problem table and geometric means of Sparrow's best over cuBLAS fp16 from bench JSON
reports or partial .jsonl files (python3 analyse.py FILE...; .xz read too)."""
import json, lzma, math, sys

def problems(path):
    opener = lzma.open if path.endswith('.xz') else open
    with opener(path, 'rt') as f:
        text = f.read()
    if path.rstrip('.xz').endswith('.jsonl'):
        return [json.loads(line)['problem'] for line in text.splitlines() if line.strip()]
    return json.loads(text)['problems']

def best(problem, role):
    ok = [c for c in problem['candidates'] if c.get('role') == role and c.get('status') == 'ok']
    return min(ok, key=lambda c: c['medianSeconds']) if ok else None

for path in sys.argv[1:]:
    rows, ratios = [], {}
    # A resumed run's partial file repeats the problems it resumed from: keep one of each.
    unique = {(p['name'], p['m']): p for p in problems(path)}
    for p in unique.values():
        ours = best(p, 'ours')
        cublas = next((c for c in p['candidates'] if c['name'] == 'cublas-fp16' and c.get('status') == 'ok'), None)
        if not ours or not cublas:
            continue
        r = cublas['medianSeconds'] / ours['medianSeconds']
        ratios.setdefault(p['m'], []).append(r)
        rows.append(f"| {p['name']} | {p['m']} | {ours['name']} `{ours.get('config', '')}` | {ours['medianSeconds'] * 1e6:.1f} | "
                    f"{cublas['medianSeconds'] * 1e6:.1f} | {r:.2f}x | {ours.get('fractionOfByteBound', 0):.2f} |")
    print(f"\n{path}\n\n| problem | n | ours (config) | us | cuBLAS fp16 us | x cuBLAS | ours' fraction of its byte bound |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    geo = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
    for m, xs in sorted(ratios.items()):
        print(f"\nn = {m}: {geo(xs):.2f}x cuBLAS fp16 over {len(xs)} problems")
    every = [x for xs in ratios.values() for x in xs]
    print(f"pooled: {geo(every):.2f}x over {len(every)} problems")

#!/usr/bin/env python3
"""Sparrow's fused time in one call of this record (argument: call5, the default, or call3) against
FlexAttention's fastest time at the same shape in any call of sessions 11 (calls 2-5) and 12 (calls 1-5):
the conservative ratio the issue-15 targets are judged on. Run from the repository root."""
import glob, json, sys
here = 'docs/perf/2026-12-01-h200-session12-attention'
files = sorted(glob.glob('docs/perf/2026-12-01-h200-session11-attention/call[2-5]/*.json') + glob.glob(here + '/call[1-5]/*.json'))
flex = {}
for f in files:
    d = json.load(open(f))
    for r in (d.get('rows', []) if isinstance(d, dict) else []):
        key = (r['pattern'], r['length'], r['headSize'], r['dtype'])
        for b in r.get('baselines', []):
            if b['name'] == 'flex':
                flex.setdefault(key, []).append(b['ms'])
now = json.load(open(here + '/' + (sys.argv[1] if len(sys.argv) > 1 else 'call5') + '/grid.json'))
print('| pattern | L | d | Sparrow ms (config) | Flex ms same run | Flex fastest (of n) | same run | vs fastest |')
print('| --- | --- | --- | --- | --- | --- | --- | --- |')
for r in now['rows']:
    key = (r['pattern'], r['length'], r['headSize'], r['dtype'])
    same = next(b['ms'] for b in r['baselines'] if b['name'] == 'flex')
    best = min(flex[key])
    s = r['fused']['ms']
    print(f"| {r['pattern']} | {r['length']} | {r['headSize']} | {s:.3f} ({r['fused']['name']}) | {same:.3f} | {best:.3f} ({len(flex[key])}) | {same / s:.2f}x | {best / s:.2f}x |")

# usage: ab.py before.json.xz after.json.xz: the same configs' times (us) in two reports, and cuBLAS's
import json, lzma, sys, math
sys.path.insert(0, '/tmp/an')
def load(p):
    d = json.load(lzma.open(p) if p.endswith('.xz') else open(p)); out = {}
    for pr in d['problems']:
        row = {}
        for c in pr['candidates']:
            if c.get('medianSeconds') and c['name'].startswith('cublas'): row['cublas'] = c['medianSeconds'] * 1e6
            for s in c.get('sweep') or []:
                if s.get('medianSeconds'):
                    k = s['config'].replace('_', '.'); row[k] = min(row.get(k, 1e9), s['medianSeconds'] * 1e6)
        out[(pr['name'], pr['m'])] = row
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
ratios = []; cub = []
for key in a:
    if key not in b: continue
    for k in sorted(set(a[key]) & set(b[key])):
        r = a[key][k] / b[key][k]
        if k == 'cublas': cub.append(r)
        elif k.startswith('fcoo'): ratios.append(r); print('%-28s n=%-3d %-26s %7.2f -> %7.2f  %.3fx' % (key[0], key[1], k, a[key][k], b[key][k], r))
g = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
print('fcoo same configs: %d pairs, geometric mean %.3fx faster (%.3f .. %.3f); cuBLAS %.3fx (%d)' % (len(ratios), g(ratios), min(ratios), max(ratios), g(cub), len(cub)))

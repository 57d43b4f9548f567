# usage: configs.py report.json[.xz] [baseline-report ...]: per problem, cuBLAS and each fcoo config's time (us)
import json, lzma, sys
def load(p):
    return json.load(lzma.open(p) if p.endswith('.xz') else open(p))
def table(p):
    d = load(p); out = {}
    for pr in d['problems']:
        key = (pr['name'], pr['m']); row = {}
        for c in pr['candidates']:
            if c.get('medianSeconds') and c['name'].startswith('cublas'): row['cublas'] = c['medianSeconds'] * 1e6
            for s in c.get('sweep') or []:
                if s.get('medianSeconds'): row[s['config'].replace('_', '.')] = min(row.get(s['config'].replace('_', '.'), 1e9), s['medianSeconds'] * 1e6)
        out[key] = row
    return out
t = table(sys.argv[1])
for key, row in t.items():
    cb = row.get('cublas')
    best = sorted((v, k) for k, v in row.items() if k != 'cublas')[:6]
    print(key[0], 'n=%d' % key[1], 'cublas %.2f' % cb if cb else '', ' '.join('%s %.2f' % (k, v) for v, k in best), ' best x cublas %.2f' % (cb / best[0][0]) if cb and best else '')

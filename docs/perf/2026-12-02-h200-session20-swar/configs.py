# usage: configs.py REPORT.json[.xz] [FILTER]: per problem, cuBLAS fp16's time and every timed config whose id
# contains FILTER (default "compact"), fastest first, in us, with the best one's speedup over cuBLAS.
import json, lzma, sys
path = sys.argv[1]
want = sys.argv[2] if len(sys.argv) > 2 else 'compact'
report = json.load(lzma.open(path) if path.endswith('.xz') else open(path))
for problem in report['problems']:
    cublas, times = None, {}
    for c in problem['candidates']:
        if c['name'].startswith('cublas') and c.get('medianSeconds'): cublas = c['medianSeconds'] * 1e6
        for s in c.get('sweep') or []:
            if s.get('medianSeconds') and want in s['config']:
                key = s['config'].replace('_', '.')
                times[key] = min(times.get(key, 1e9), s['medianSeconds'] * 1e6)
    ranked = sorted((t, k) for k, t in times.items())
    best = ' best %.2fx cuBLAS' % (cublas / ranked[0][0]) if cublas and ranked else ''
    print('%s n=%d cuBLAS %.1f%s' % (problem['name'], problem['m'], cublas or 0, best))
    for t, k in ranked: print('    %-44s %6.1f' % (k, t))

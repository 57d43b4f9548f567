# The CPU row-order A/B (session 15): reads {rn50,transformer}-{A,B}<round>.json in this folder (A: rows in order timed
# first, then locality, then longest first; B: longest first, locality, rows in order last) and prints, per suite and
# order, the geometric mean of (time in row order / time in that order) by arrangement and round set.
import json, glob, math, collections, sys
rounds = set(int(a) for a in sys.argv[1:]) if len(sys.argv) > 1 else None
res = collections.defaultdict(list)
for f in sorted(glob.glob('*-[AB]*.json')):
    suite, tag = f[:-5].split('-')
    arr, rnd = tag[0], int(tag[1:])
    if rounds and rnd not in rounds: continue
    for p in json.load(open(f))['problems']:
        t = {c['name']: c.get('medianSeconds') for c in p['candidates'] if c.get('status') == 'ok'}
        for o in ('locality', 'by_length_desc'):
            if t.get('sparrow-cpu') and t.get('sparrow-cpu@' + o):
                res[(suite, o, arr)].append(t['sparrow-cpu'] / t['sparrow-cpu@' + o])
g = lambda v: math.exp(sum(map(math.log, v)) / len(v))
for suite in ('rn50', 'transformer'):
    for o in ('locality', 'by_length_desc'):
        a, b = res[(suite, o, 'A')], res[(suite, o, 'B')]
        print(f"| {suite} | {o} | {g(a):.3f} ({len(a)}) | {g(b):.3f} ({len(b)}) | {g(a + b):.3f} | {min(a + b):.2f} ... {max(a + b):.2f} |")

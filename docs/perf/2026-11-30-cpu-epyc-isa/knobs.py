import sqlite3, collections, statistics as st, sys
c=sqlite3.connect(sys.argv[1])
rows=list(c.execute("select pattern_digest||'/'||width, matrix_rows, matrix_columns, config, real_seconds from trial where status='ok' and real_seconds is not null"))
by=collections.defaultdict(dict)
for p,n,k,cfg,t in rows: by[(p,n,k)][cfg]=t
knobs=['t','c','p','isa','v','d','nt']
def parse(cfg):
    parts=cfg.split('.')[1:]
    return dict(zip(knobs,parts))
for (p,n,k),d in by.items():
    best=min(d.values())
    print('problem',n,'x',k,p[-4:],'best %.1fus'%(best*1e6), min(d,key=d.get))
    for knob in knobs:
        g=collections.defaultdict(list)
        for cfg,t in d.items():
            g[parse(cfg)[knob]].append(t/best)
        # best achievable per knob value
        print('   %-4s'%knob, '  '.join('%s:%.2f/%.2f'%(v,min(ts),st.median(ts)) for v,ts in sorted(g.items())))
print('=== aggregate: geomean over problems of (best with value / best)')
import math
agg=collections.defaultdict(lambda: collections.defaultdict(list))
for (p,n,k),d in by.items():
    best=min(d.values())
    for knob in knobs:
        g=collections.defaultdict(list)
        for cfg,t in d.items(): g[parse(cfg)[knob]].append(t/best)
        for v,ts in g.items(): agg[knob][v].append(min(ts))
for knob in knobs:
    print('  %-4s'%knob, '  '.join('%s:%.3f(%d)'%(v,math.exp(sum(map(math.log,ts))/len(ts)),len(ts)) for v,ts in sorted(agg[knob].items())))

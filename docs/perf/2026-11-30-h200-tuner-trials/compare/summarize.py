import json, math, sys
for f in sys.argv[1:]:
    d=json.load(open(f))
    rs=[]; costs=[]; cold=[]; worst=None; within=0; learned=0
    for p in d['problems']:
        c=p.get('comparison')
        if not c: continue
        r=c['tunedSeconds']/c['exhaustiveSeconds']
        rs.append(r); within += r<=1.05
        costs.append(c['exhaustiveSearchSeconds']/c['tunedWarmSearchSeconds'])
        cold.append(c['exhaustiveSearchSeconds']/c['tunedSearchSeconds'])
    g=lambda xs: math.exp(sum(map(math.log,xs))/len(xs))
    print('%-32s problems %2d  tuned/exhaustive geomean %.3f  worst %.3f  within5%% %d/%d  search-cost ratio cold %.0fx warm %.0fx  tuned warm search mean %.2fs' % (f, len(rs), g(rs), max(rs), within, len(rs), g(cold), g(costs), sum(p['comparison']['tunedWarmSearchSeconds'] for p in d['problems'] if p.get('comparison'))/len(rs)))

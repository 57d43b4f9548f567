import os
# Replays the attention hand cost model (old: as on main; new: a refit with a K/V traffic term, not adopted)
# on the configs measured in calls 3-5 and over the whole tensor-core space. Run: python3 hand-model-check.py
import json, math
def est(nm,L,d,nnz,segs,longestRow,new):
    heads=16; sms=132; mean=nnz/L
    p=nm.split('.'); w=int(p[1][1:]); bk=int(p[2][1:]); st=int(p[3][1:]); T=int(p[4][1:]) if len(p)>4 else 0
    bq=16*w; blocks=math.ceil(L/bq)*heads; tiles=math.ceil((bq+mean)/bk)*max(1,segs)
    padded=blocks*tiles*4*bq*bk*d
    if new:
        rate=(2/3 if bk>=128 else 1)*215e12; perTile=(0.047e-6 if st==2 else 0.094e-6)
        throughput=padded/rate+blocks*tiles*bk*d*4/10.4e12+blocks*tiles*perTile/sms
        item=(0.1e-6 if st==2 else 0.2e-6)
    else:
        rate=200e12 if bk>=128 else 300e12; perTile=0.1e-6 if st==2 else 0.2e-6
        throughput=padded/rate+blocks*tiles*perTile/sms; item=perTile
    tileLatency=(1+0.03*d)*1e-6*bk/64
    longest=math.ceil((bq+longestRow)/bk)
    if T==0: return max(throughput,longest*tileLatency)
    ls=math.ceil(longest/T) if longest>T else 1; ms=math.ceil(tiles/T) if tiles>T else 1
    extra=heads*(ls-1)+blocks*(ms-1)
    pb=(heads*(ls if ls>1 else 0)+blocks*(ms if ms>1 else 0))*bq*(d+2)*4*2
    crit=min(T,longest)*tileLatency+ls*0.02e-6+bq*d*4*ls/100e9
    return max(throughput+(extra*4+blocks*0.1)*item/sms+pb/3e12,crit)
from collections import defaultdict
for new in (False,True):
    hits=0;tot=0;loss=[]
    for n in (3,4,5):
        for r in json.load(open(f'{os.path.dirname(os.path.abspath(__file__))}/call{n}/grid.json'))['rows']:
            L=r['length']; d=r['headSize']; nnz=r['nnz']; segs=r['segmentsPerRow']
            longest=L if 'global' in r['pattern'] else 257
            v=[(x['name'],x['ms'],est(x['name'],L,d,nnz,segs,longest,new)) for x in r['sparrow'] if x['name'].startswith('tc')]
            best=min(v,key=lambda z:z[1]); top=sorted(v,key=lambda z:z[2])[:3]
            tot+=1; hits+= best[0] in [t[0] for t in top]
            loss.append(min(t[1] for t in top)/best[1])
    print('new' if new else 'old', hits,'/',tot,'best in model top 3; worst loss of top-3 pick', max(loss), 'mean', sum(loss)/len(loss))
print('full-space top 3 (tc only; splits only where rows are long):')
cfgs=[f'tc.w{w}.k{k}.s{s}'+(f'.t{t}' if t else '') for w in (2,4,8) for k in (32,64,128) for s in (1,2) for t in (0,2,8,32)]
for pat,segs,nnzrow,glob in (('window',1,257,False),('global+window',2,257+16+16*16/1,True)):
    for L in (8192,16384,32768):
        for d in (64,128):
            nnz=int(L*nnzrow); longest=L if glob else 257
            c=[x for x in cfgs if glob or '.t' not in x]
            for new in (False,True):
                r=sorted(c,key=lambda x:est(x,L,d,nnz,segs,longest,new))[:3]
                print(pat,L,d,'new' if new else 'old',r)

import csv,sys,collections
rows=list(csv.reader(open(sys.argv[1])))
hdr=rows[1]; data=rows[2:]
ix={h:i for i,h in enumerate(hdr)}
stalls=[h for h in hdr if h.startswith('stall_') and 'Not Issued' not in h]
tot=collections.Counter(); inst=collections.Counter(); totinst=0; totsamp=0
ops=collections.Counter()
for r in data:
    if len(r)<len(hdr): continue
    s=r[ix['Source']].strip(); op=s.split()[0] if s else ''
    if op.startswith('@'): op=s.split()[1]
    opb=op.split('.')[0]
    n=int(r[ix['Instructions Executed']] or 0); totinst+=n; ops[opb]+=n
    for h in stalls:
        v=int(r[ix[h]] or 0); tot[h]+=v; totsamp+=v
print('instructions', totinst, 'samples', totsamp)
for h,v in tot.most_common(12): print(f'{h:28s} {v/totsamp*100:5.1f}%')
print('opcodes:')
for o,v in ops.most_common(30): print(f'{o:10s} {v/totinst*100:5.1f}%')

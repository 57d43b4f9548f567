# usage: sass.py SASS.csv[.xz] [TOP]: an ncu source page (--page source --csv --print-source sass) summarised: executed warp
# instructions and stall samples in all, by opcode, and the TOP instructions by stall samples.
import csv, sys, collections, lzma
path = sys.argv[1]
rows = list(csv.reader(lzma.open(path, 'rt') if path.endswith('.xz') else open(path)))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
header = rows[1]; col = {name: i for i, name in enumerate(header)}
ins = []
for r in rows[2:]:
    if len(r) < len(header): continue
    try: ex = int(r[col['Instructions Executed']] or 0); st = int(r[col['Warp Stall Sampling (All Samples)']] or 0)
    except ValueError: continue
    ins.append((r[col['Address']], r[col['Source']].strip(), ex, st))
total_ex = sum(i[2] for i in ins); total_st = sum(i[3] for i in ins)
print('executed warp instructions %d, stall samples %d' % (total_ex, total_st))
by = collections.defaultdict(lambda: [0, 0])
for a, s, ex, st in ins:
    op = s.split()[0] if s else '?'
    if op.startswith('@'): op = s.split()[1]
    op = op.split('.')[0]
    by[op][0] += ex; by[op][1] += st
for op, (ex, st) in sorted(by.items(), key=lambda kv: -kv[1][0])[:20]:
    print('  %-8s %5.1f%% of instructions  %5.1f%% of stall samples' % (op, 100 * ex / total_ex, 100 * st / max(1, total_st)))
print('top instructions by stall samples:')
for a, s, ex, st in sorted(ins, key=lambda i: -i[3])[:top]:
    print('  %5.1f%%  %10d  %s' % (100 * st / max(1, total_st), ex, s[:90]))

#!/usr/bin/env python3
"""Basic-block breakdown of an ncu SASS source table (`ncu --page source --csv --print-source sass`, xz or
plain): runs of instructions with the same execution count, their share of executed warp instructions and of
stall samples, and their commonest opcodes. Usage: blocks.py TABLE.csv[.xz] [min-share]."""
import csv, io, lzma, sys
from collections import Counter
path = sys.argv[1]
text = lzma.open(path, 'rt') if path.endswith('.xz') else open(path)
rows = list(csv.reader(text))
hdr = rows[1]; data = rows[2:]
ia, isrc = hdr.index('Address'), hdr.index('Source')
iex, ism = hdr.index('Instructions Executed'), hdr.index('Warp Stall Sampling (All Samples)')
base = int(data[0][ia], 16)
total = sum(int(r[iex]) for r in data); samples = sum(int(r[ism]) for r in data)
print(f'warp instructions {total}, stall samples {samples}')
blocks, cur = [], None
for r in data:
    e = int(r[iex]); src = r[isrc].strip().split()
    op = (src[1] if src and src[0].startswith('@') and len(src) > 1 else (src[0] if src else '?')).split('.')[0]
    if cur is None or e != cur['e']:
        cur = {'a': int(r[ia], 16) - base, 'e': e, 'n': 0, 's': 0, 'ops': Counter()}; blocks.append(cur)
    cur['n'] += 1; cur['s'] += int(r[ism]); cur['ops'][op] += 1
cut = float(sys.argv[2]) if len(sys.argv) > 2 else 0.004
for b in blocks:
    t = b['n'] * b['e']
    if t / total > cut or b['s'] / samples > cut:
        print(f"{b['a']:#07x} n={b['n']:4d} exec={b['e']:8d} instr%={100 * t / total:5.1f} stall%={100 * b['s'] / samples:5.1f} {b['ops'].most_common(5)}")

#!/usr/bin/env python3
"""Row-group packing on DLMC matrices: `sparrow info --tiles --json` on every .smtx under the folders given,
then, per folder and sparsity, the share of the dense math left (fraction of K, weighted by each matrix's
rows x columns) when each group of 8 or 16 rows is packed onto the union of its columns, in row order and in
the locality order, against a uniformly random pattern of the same density (1 - (1 - d)^g), and the share of
16 x 16 blocks holding an entry (what the bitmap and fragment-COO kernels multiply).
Usage: packing.py SPARROW FOLDER..."""
import json, os, subprocess, sys
from collections import defaultdict

sparrow, folders = sys.argv[1], sys.argv[2:]
rows = defaultdict(list)
for folder in folders:
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            if not name.endswith('.smtx'):
                continue
            path = os.path.join(root, name)
            m = json.loads(subprocess.run([sparrow, 'info', path, '--tiles', '--json'], check=True,
                                          capture_output=True, text=True).stdout)['matrix']
            key = (path.split('/dlmc/')[1].split('/')[0], os.path.basename(root))
            rows[key].append(m)
print('| model | sparsity | matrices | 16x16 blocks holding an entry | 8 rows, row order | 8 rows, locality | 8 rows, random | 16 rows, row order | 16 rows, locality | 16 rows, random |')
print('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for (model, sparsity), ms in sorted(rows.items()):
    weight = [m['rows'] * m['columns'] for m in ms]
    total = sum(weight)
    def mean(f):
        return sum(w * f(m) for w, m in zip(weight, ms)) / total
    blocks = mean(lambda m: m['tiles']['blocks']['nonEmptyBlocks'] / max(1, m['tiles']['blocks']['totalBlocks']))
    cells = []
    for g in (8, 16):
        for order in ('identity', 'locality'):
            cells.append(mean(lambda m: next(r['fractionOfK'] for r in m['tiles']['rowGroups'] if r['groupSize'] == g and r['ordering'] == order)))
        cells.append(mean(lambda m: 1 - (1 - (1 - m['sparsity'])) ** g))
    print(f"| {model} | {sparsity} | {len(ms)} | {100 * blocks:.1f}% | " + ' | '.join(f'{100 * c:.1f}%' for c in cells) + ' |')

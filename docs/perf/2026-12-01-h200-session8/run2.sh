#!/bin/bash
# Session 8, call 2: the encoder's tensor-core forms. Encoder self-test (every form against the
# CPU encoder), then MiniLM b1 x 128 f16 0.9 with the plan, torch.compile and the torch graph in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s8; R=/tmp/r; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 150 /tmp/sparrow selftest --device gpu --encoder-only --json $R/selftest-encoder.json > $R/selftest-encoder.log 2>&1
cp $R/selftest-encoder.log $OUT/
grep -E "tc-" $R/selftest-encoder.log | head -40
grep -E "passed|failed" $R/selftest-encoder.log | tail -2
python3 scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > $R/setup.log 2>&1
t timeout 240 /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 --show-plan \
  --json $R/minilm.json --markdown $R/minilm.md > $R/bench-minilm.log 2>&1
cp $R/minilm.md $R/minilm.json $OUT/ 2>/dev/null
(cd $R && tar -czf $OUT/logs.tgz .)
cat $OUT/steps.txt
grep -E "^\| unstructured" $R/minilm.md
python3 - <<'P'
import json
d=json.load(open('/tmp/r/minilm.json'))
for r in d['rows']:
  for g in sorted(r['graphTrials'], key=lambda g: g['ms'] or 9)[:14]: print(g['ms'] and round(g['ms'],4), g['name'], g.get('note') or '')
  for g in r['graphTrials']:
    if 'tc-' in g['name']: print('TC', g['ms'], g['name'], g.get('note') or '')
P
tail -5 $R/bench-minilm.log
# Per-kernel durations of the first tensor-core form's kernels at T = 128 (ncu, node by node, L2 kept warm).
if command -v ncu > /dev/null; then
  t timeout 200 ncu --graph-profiling node -k regex:sparrow_tc --launch-skip 120 --launch-count 48 --cache-control none --clock-control none \
    --csv --metrics gpu__time_duration.sum,launch__grid_size,launch__block_size,launch__registers_per_thread,sm__cycles_active.avg,lts__t_bytes.sum,smsp__warps_issue_stalled_barrier_per_warp_active.pct,smsp__warps_issue_stalled_long_scoreboard_per_warp_active.pct \
    /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 --iterations 3 --warmup 1 > $OUT/ncu-tc.csv 2> $R/ncu.err
  tail -3 $R/ncu.err
  python3 - <<'P'
import csv, collections
rows=[r for r in csv.reader(l for l in open('/work/ncu.csv' if False else __import__('os').environ['OUT']+'/ncu-tc.csv') if l.startswith('"'))]
h=rows[0]; ik=h.index('Kernel Name'); im=h.index('Metric Name'); iv=h.index('Metric Value'); iid=h.index('ID')
d=collections.defaultdict(dict)
for r in rows[1:]: d[(r[iid], r[ik])][r[im]]=r[iv]
agg=collections.defaultdict(list)
for (i,k),m in d.items(): agg[k].append(m)
for k,ms in agg.items():
  f=lambda key: sorted(float(m[key].replace(',','')) for m in ms if key in m)
  t=f('gpu__time_duration.sum'); print(k[:90], 'n', len(ms), 'us med', t[len(t)//2]/1e3 if t else None, {kk: ms[0].get(kk) for kk in ['launch__grid_size','launch__block_size','launch__registers_per_thread','lts__t_bytes.sum','smsp__warps_issue_stalled_barrier_per_warp_active.pct','smsp__warps_issue_stalled_long_scoreboard_per_warp_active.pct']})
P
fi

#!/bin/bash
# Session 7, call 2: where the dependent-launch trigger pays. Three binaries of the same tree, MiniLM b1 x 128
# f16 0.9 (torch.compile and the torch graph in the same run). A = trigger after the wait in every kernel
# (4ab1c50, call 1), S = trigger only in the SpMM kernels (encoder kernels wait without triggering),
# N = no explicit trigger (the tiled SpMM still waits after staging W). One binary a call (the 64 MiB
# carry): VARIANT=S (call 2) or N (call 3); its encoder self-test first.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s7; R=/tmp/r; mkdir -p $R
V=${VARIANT:-S}; f=$D/sparrow-spmmtrigger.xz; [ $V = N ] && f=$D/sparrow-notrigger.xz; xz -dc $f > /tmp/sparrow-$V && chmod +x /tmp/sparrow-$V
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow-$V --version; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
python3 scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > $R/setup.log 2>&1
for v in $V; do t timeout 100 /tmp/sparrow-$v selftest --device gpu --encoder-only --json $R/selftest-$v.json > $R/selftest-$v.log 2>&1; done
for v in $V; do
  t timeout 120 /tmp/sparrow-$v bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 --show-plan \
    --json $R/minilm-$v.json --markdown $R/minilm-$v.md > $R/bench-minilm-$v.log 2>&1
done
cp $R/minilm-*.md $R/minilm-*.json $R/selftest-*.log $OUT/ 2>/dev/null
cat $OUT/steps.txt
for v in $V; do grep -E "passed, " $R/selftest-$v.log | tail -1; done
VARIANT=$V python3 - <<'P'
import json
import os
for v in os.environ.get('VARIANT','S'):
  d=json.load(open('/tmp/r/minilm-%s.json'%v)); r=d['rows'][0]
  print(v, 'sparrow', round(r['sparrowMs'],4), 'compile', round(r['torchCompileMs'],4), 'form', r['attention'], 'sparse', r['sparseLayers'])
  g={x['name']:x['ms'] for x in r['graphTrials']}
  for k in ['all cublas, fused-q8+folded+ln8','all cublas, fused-q4+folded+pdl+ln8','measured per layer, fused+folded+pdl+ln8','measured per layer, fused-q8+folded+pdl+ln8','measured per layer, fused-q4+folded+pdl+ln8','measured per layer, gemm+folded+pdl+ln8','measured per layer, fused-q8+folded+ln8']:
    print('   %.4f %s'%(g.get(k,0),k))
  print('   best 5:', [(round(x['ms'],4),x['name']) for x in sorted(r['graphTrials'],key=lambda x:x['ms'])[:5]])
P

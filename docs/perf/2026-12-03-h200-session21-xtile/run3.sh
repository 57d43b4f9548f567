#!/bin/bash
# Session 21, call 3 (issue 13): the whole DLMC transformer suite at 0.9 in f32 at n = 2048 (96 matrices), and the
# synthetic 4096 x 4096 uniform problem at 0.9, n = 256, f32: the default search (no specialisation), warm caches,
# cuSPARSE's algorithms and cuBLAS in the same run. One archive back.
set -u
export PYTHONUNBUFFERED=1
D=.device-s21; R=$OUT/call3; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
B="/tmp/sparrow bench spmm --device gpu --no-tuned --no-specialise --dtype f32 --skip sparrow-simple-fp32 cusparse-fp32-alg1"
t timeout 300 $B --data $D --suite dlmc-transformer --sparsity 0.9 -n 2048 \
  --json $R/transformer-n2048.json --markdown $R/transformer-n2048.md > $R/transformer-n2048.log 2>&1
t timeout 120 $B --suite synthetic --size 4096 --distribution uniform --sparsity 0.9 -n 256 \
  --json $R/synthetic.json --markdown $R/synthetic.md > $R/synthetic.log 2>&1
cat $R/steps.txt
for f in $R/*.md; do echo "== $f"; grep -A10 -i "geometric" $f | head -12; done
xz -9 $R/*.json
cd $OUT && tar -cJf call3.tar.xz call3 && rm -rf call3

#!/bin/bash
# Session 21, call 6 (issue 13, "together with the tuner"): `sparrow tune` (the learned cost model's 8 best configs
# timed a problem, every trial into a fresh tuning database) over the whole DLMC rn50 suite at 0.8 and 0.9, f32,
# n = 256, then the bench with that database (each problem's tuned config), cuSPARSE and cuBLAS in the same run.
set -u
export PYTHONUNBUFFERED=1
D=.device-s21; R=$OUT/call6; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
DB=/tmp/tuning.sqlite
t timeout 330 /tmp/sparrow tune --device gpu --suite dlmc-rn50 --sparsity 0.8 0.9 -n 256 --dtype f32 --no-specialise --data $D --db $DB \
  > $R/tune.log 2>&1
t timeout 30 /tmp/sparrow tune --db $DB --export $R/trials.jsonl.gz > $R/export.log 2>&1
t timeout 150 /tmp/sparrow bench spmm --device gpu --data $D --db $DB --no-specialise --dtype f32 \
  --skip sparrow-simple-fp32 cusparse-fp32-alg1 --suite dlmc-rn50 --sparsity 0.8 0.9 -n 256 \
  --json $R/rn50-tuned.json --markdown $R/rn50-tuned.md > $R/rn50-tuned.log 2>&1
cat $R/steps.txt; tail -5 $R/tune.log
for f in $R/*.md; do echo "== $f"; grep -A8 -i "geometric" $f | head -10; done
xz -9 $R/*.json
cd $OUT && tar -cJf call6.tar.xz call6 && rm -rf call6

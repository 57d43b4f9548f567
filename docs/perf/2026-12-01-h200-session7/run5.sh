#!/bin/bash
# Session 7, calls 5 and 6: does staging the tiled kernel's first chunk before its loop (every config, for the
# dependent-launch marker) change the tiled family's speed? The same DLMC rn50 sample, fp32 and fp16, n = 256,
# searched and timed by the same command with the binary of bf7846b (before, call 5) and of cfb544a (after,
# call 6), on the same warm machine one call apart; the baselines (cuSPARSE, cuBLAS) in both show the machine is the same.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s7; R=/tmp/r; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
mkdir -p /tmp/data && tar -xJf $D/dlmc-rn50-magnitude.tar.xz -C /tmp/data 2>/dev/null
for dt in f32 f16; do
  t timeout 150 /tmp/sparrow bench spmm --device gpu --dtype $dt --iterations 20 --warmup 3 --no-tuned --no-specialise --sweep-limit 4 \
    --suite dlmc-rn50 --data /tmp/data --sparsity 0.9 -n 256 --sample 8 \
    --json $R/rn50-$dt.json --markdown $R/rn50-$dt.md > $R/rn50-$dt.log 2>&1
done
cp $R/*.md $R/*.json $OUT/ 2>/dev/null
cat $OUT/steps.txt; tail -5 $R/rn50-f32.log

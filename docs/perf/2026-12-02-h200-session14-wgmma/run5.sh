#!/bin/bash
# Session 14, call 5: the wg kernel at 3 stages (tile t's P V overlapping tile t + 1's softmax, FlashAttention-3's
# pipelining within a warpgroup). Attention self-test; window 256 / 512 at 8k-32k, f16, 1 x 16 heads, d 64 and 128,
# the tc kernel's best configs beside wg at 2 and 3 stages, against FlexAttention and SDPA in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s14
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $OUT/machine.txt
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
C="--config tc.w4.k64.s2 tc.w4.k32.s2 tc.w4.k32.s2.t32 wg.w8.k32.s2 wg.w4.k64.s3 wg.w8.k64.s3 wg.w4.k32.s3 wg.w8.k32.s3"
H="--batch 1 --heads 16 --head-dim 64 128 --dtype f16 --iterations 10 --top-k 2"
t timeout 150 /tmp/sparrow selftest --device gpu --attention-only --json $OUT/selftest.json > $OUT/selftest.txt 2>&1
grep -i "fail" $OUT/selftest.txt | head -8; tail -2 $OUT/selftest.txt
t timeout 330 /tmp/sparrow bench attention --pattern window:256 window:512 --seq 8192 16384 32768 $H $C \
  --json $OUT/grid.json --markdown $OUT/grid.md > $OUT/grid.txt 2>&1
tail -2 $OUT/grid.txt
python3 $D/summ.py $OUT/grid.json
cat $OUT/steps.txt

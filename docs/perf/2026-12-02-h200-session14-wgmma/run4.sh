#!/bin/bash
# Session 14, call 4: the wg kernel with its tile waited for alone before the fence and the next tile's copy issued
# after the barrier (call 3's profile: the fence's MEMBAR waited for the next tile's copy). Attention self-test; the
# issue-15 grid (window 256 / 512, dilated 256:4, global 16 + window 256) at 8k-32k, f16, 1 x 16 heads, d 64 and 128,
# tc and wg configs, against FlexAttention and SDPA in the same run; short sequences (1k).
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s14
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $OUT/machine.txt
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
C="--config tc.w4.k64.s2 tc.w4.k32.s2 tc.w4.k32.s2.t32 wg.w4.k64.s2 wg.w8.k64.s2 wg.w4.k32.s2 wg.w8.k32.s2 wg.w4.k64.s2.t32 wg.w8.k64.s2.t32"
H="--batch 1 --heads 16 --head-dim 64 128 --dtype f16 --iterations 10 --top-k 3"
t timeout 200 /tmp/sparrow selftest --device gpu --attention-only --json $OUT/selftest.json > $OUT/selftest.txt 2>&1
grep -i "fail" $OUT/selftest.txt | head -8; tail -2 $OUT/selftest.txt
t timeout 400 /tmp/sparrow bench attention --pattern window:256 window:512 dilated:256:4 global:16+window:256 --seq 8192 16384 32768 $H $C \
  --json $OUT/grid.json --markdown $OUT/grid.md > $OUT/grid.txt 2>&1
tail -2 $OUT/grid.txt
python3 $D/summ.py $OUT/grid.json
t timeout 100 /tmp/sparrow bench attention --pattern window:256 dilated:256:4 global:16+window:256 --seq 1024 $H $C \
  --json $OUT/short.json --markdown $OUT/short.md > $OUT/short.txt 2>&1
python3 $D/summ.py $OUT/short.json
cat $OUT/steps.txt

#!/bin/bash
# Session 12, call 5: the attention kernel with Q in shared memory and the segment table sized by the launch
# (4 blocks an SM at d 64 and d 128 with the H200's NVRTC 13.0). Attention self-test; the issue-15 grid at
# 8k-32k (window 256, dilated 256:4, global 16 + window 256), f16, 1 x 16 heads, d 64 and 128; short sequences
# (1k); window 512 at 8k-32k; all against FlexAttention and SDPA in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s12
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $OUT/machine.txt
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
C="--config tc.w4.k64.s2 tc.w4.k32.s2 tc.w4.k64.s2.t32 tc.w4.k32.s2.t32"
H="--batch 1 --heads 16 --head-dim 64 128 --dtype f16 --iterations 10 --top-k 3"
t timeout 80 /tmp/sparrow selftest --device gpu --attention-only --json $OUT/selftest.json > $OUT/selftest.txt 2>&1
tail -1 $OUT/selftest.txt
t timeout 260 /tmp/sparrow bench attention --pattern window:256 dilated:256:4 global:16+window:256 --seq 8192 16384 32768 $H $C \
  --json $OUT/grid.json --markdown $OUT/grid.md > $OUT/grid.txt 2>&1
cut -d'|' -f2-4,7,10,13 $OUT/grid.md
t timeout 90 /tmp/sparrow bench attention --pattern window:256 dilated:256:4 global:16+window:256 --seq 1024 $H $C \
  --json $OUT/short.json --markdown $OUT/short.md > $OUT/short.txt 2>&1
cut -d'|' -f2-4,7,10,13 $OUT/short.md
t timeout 90 /tmp/sparrow bench attention --pattern window:512 --seq 8192 16384 32768 $H $C \
  --json $OUT/w512.json --markdown $OUT/w512.md > $OUT/w512.txt 2>&1
cut -d'|' -f2-4,7,10,13 $OUT/w512.md
cat $OUT/steps.txt

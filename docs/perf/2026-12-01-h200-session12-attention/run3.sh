#!/bin/bash
# Session 12, call 3. Binary a (5e3d685: unrolled loader, shared segment table, the opt-in launch fix):
# attention self-test and the issue-15 grid at 8k-32k, f16, 1 x 16 heads, d 64 and 128, against FlexAttention
# and SDPA in the same run. Binary b (5e3d685 + the scale folded into the exponent's FMA, 142 registers at
# d 64): self-test and the same grid without the PyTorch baselines, to weigh fewer instructions against
# 3 blocks an SM instead of 4.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s12
# Two calls (the two binaries together pass the carry limit): PART=a, then PART=b.
if [ "${PART:-a}" = a ]; then xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow; else xz -dc $D/b/sparrow.xz > /tmp/sparrow-b && chmod +x /tmp/sparrow-b; fi
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $OUT/machine.txt
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
C="--config tc.w4.k64.s2 tc.w4.k32.s2 tc.w8.k64.s2 tc.w4.k64.s2.t32 tc.w4.k32.s2.t32"
G="--seq 8192 16384 32768 --batch 1 --heads 16 --head-dim 64 128 --dtype f16 --iterations 10 --top-k 3"
if [ "${PART:-a}" = a ]; then
t timeout 90 /tmp/sparrow selftest --device gpu --attention-only --json $OUT/selftest.json > $OUT/selftest.txt 2>&1
tail -1 $OUT/selftest.txt
t timeout 300 /tmp/sparrow bench attention --pattern window:256 dilated:256:4 global:16+window:256 $G $C \
  --json $OUT/grid.json --markdown $OUT/grid.md > $OUT/grid.txt 2>&1
cut -d'|' -f2-4,7,10,13 $OUT/grid.md
else
t timeout 90 /tmp/sparrow-b selftest --device gpu --attention-only --json $OUT/b-selftest.json > $OUT/b-selftest.txt 2>&1
tail -1 $OUT/b-selftest.txt
t timeout 150 /tmp/sparrow-b bench attention --pattern window:256 dilated:256:4 global:16+window:256 $G $C --skip torch \
  --json $OUT/b-grid.json --markdown $OUT/b-grid.md > $OUT/b-grid.txt 2>&1
cut -d'|' -f2-4,7 $OUT/b-grid.md
fi
cat $OUT/steps.txt

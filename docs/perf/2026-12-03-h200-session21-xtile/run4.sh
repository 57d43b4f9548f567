#!/bin/bash
# Session 21, call 4 (issue 13): X-tiled configs that stage all of K at once (one chunk, one barrier) on shapes whose
# X tile fits shared memory (K = 512 and 1024): DLMC rn50 0.9 n = 256 (the group-4 and projection layers) and the
# transformer at n = 2048 (6 of 96), beside the default search, cuSPARSE and cuBLAS in the same run. Warm caches.
set -u
export PYTHONUNBUFFERED=1
D=.device-s21; R=$OUT/call4; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
X="xtile.r32.t32.c32.v1.k512.db0 xtile.r64.t16.c32.v2.k512.db0 xtile.r32.t8.c32.v4.k512.db0 xtile.r64.t8.c32.v4.k512.db0 \
xtile.r128.t8.c32.v4.k512.db0 xtile.r64.t8.c64.v4.k512.db0 xtile.r32.t16.c64.v4.k512.db0 xtile.r64.t8.c32.v4.k256.db1 \
xtile.r32.t32.c32.v1.k1024.db0 xtile.r64.t8.c32.v4.k1024.db0 xtile.r128.t8.c16.v2.k1024.db0 xtile.r64.t4.c16.v4.k1024.db0 \
xtile.r16.t32.c32.v1.k512.db0 xtile.r64.t32.c32.v1.k512.db0"
B="/tmp/sparrow bench spmm --device gpu --data $D --no-tuned --no-specialise --dtype f32 --skip sparrow-simple-fp32 cusparse-fp32-alg1"
t timeout 150 $B --suite dlmc-rn50 --sparsity 0.9 -n 256 --filter group4 --config $X \
  --json $R/rn50-group4.json --markdown $R/rn50-group4.md > $R/rn50-group4.log 2>&1
t timeout 150 $B --suite dlmc-transformer --sparsity 0.9 -n 2048 --sample 6 --config $X \
  --json $R/transformer-n2048.json --markdown $R/transformer-n2048.md > $R/transformer-n2048.log 2>&1
cat $R/steps.txt
for f in $R/*.md; do echo "== $f"; grep -A8 -i "geometric" $f | head -10; done
xz -9 $R/*.json
cd $OUT && tar -cJf call4.tar.xz call4 && rm -rf call4

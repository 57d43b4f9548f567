#!/bin/bash
# Session 21, call 5 (issue 13): the tiled kernel's X ring (.xr4 / .xr8: the next nonzeros' X row segments in flight
# through cp.async into shared memory instead of registers) beside the unrolled configs it replaces, on the rn50 0.9
# group-4 layers at n = 256 (f32; f16 for the ring's 16-bit path), the transformer at n = 2048 (6 of 96), and ncu of
# one ring config on 2048 x 512. Every trial checked against the Float64 reference before it is timed. Warm caches.
set -u
export PYTHONUNBUFFERED=1
D=.device-s21; R=$OUT/call5; P=/tmp/r5; mkdir -p $R $P
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
X="r1.t32.c256.v4.k32.db1.s4.xr8 r1.t32.c256.v4.k32.db1.s4.xr4 r2.t32.c256.v4.k64.db1.s2.xr8 r2.t32.c256.v4.k64.db1.s2.xr4 \
r2.t32.c256.v4.k32.db1.s4.xr8 r4.t32.c256.v4.k64.db1.s2.xr4 r1.t32.c256.v4.k64.db1.s4.xr8 r2.t32.c256.v4.k64.db0.s2.xr8 \
r1.t32.c256.v4.k32.db1.s8.xr4 r4.t32.c256.v4.k64.db0.xr8 r8.t32.c256.v4.k64.db0.xr4 r2.t32.c128.v4.k32.db1.s4.xr8 \
r2.t32.c256.v4.k64.db0.xr8 r1.t32.c128.v4.k32.db0.s4.xr8 r2.t32.c256.v4.k64.db1.s2.xr8.o2 r4.t32.c256.v4.k64.db0.xr8.o2"
H="r1.t32.c256.v8.k32.db1.s4.xr8 r2.t32.c256.v8.k64.db1.s2.xr8 r1.t32.c512.v8.k32.db1.s4.xr4"
B="/tmp/sparrow bench spmm --device gpu --data $D --no-tuned --no-specialise --skip sparrow-simple-fp32 sparrow-simple-fp16 cusparse-fp32-alg1 cusparse-fp16-alg1"
t timeout 150 $B --dtype f32 --suite dlmc-rn50 --sparsity 0.9 -n 256 --filter group4 --config $X \
  --json $R/rn50-group4.json --markdown $R/rn50-group4.md > $R/rn50-group4.log 2>&1
t timeout 150 $B --dtype f32 --suite dlmc-transformer --sparsity 0.9 -n 2048 --sample 6 --config $X \
  --json $R/transformer-n2048.json --markdown $R/transformer-n2048.md > $R/transformer-n2048.log 2>&1
t timeout 90 $B --dtype f16 --suite dlmc-rn50 --sparsity 0.9 -n 256 --filter group4_1 --config $H \
  --json $R/rn50-group4-f16.json --markdown $R/rn50-group4-f16.md > $R/rn50-group4-f16.log 2>&1
S="--section SpeedOfLight --section MemoryWorkloadAnalysis --section WarpStateStats --section SchedulerStats --section Occupancy --section LaunchStats"
C=r2.t32.c256.v4.k64.db1.s2.xr8; N=$(echo $C | tr . _)
t timeout 90 ncu -k regex:sparrow_spmm_f32_${N} -c 1 $S -o $P/$N \
  /tmp/sparrow bench spmm --device gpu --data $D --no-tuned --no-specialise --dtype f32 --iterations 20 --warmup 1 \
  --suite dlmc-rn50 --sparsity 0.9 -n 256 --filter bottleneck_3_block_group4_1_1 --sweep-limit 1 --config $C \
  --skip sparrow-simple-fp32 cusparse-fp32-default cusparse-fp32-alg1 cusparse-fp32-alg2 cusparse-fp32-alg3 cublas-fp32 cublas-tf32 cublas-fp16 \
  > $R/ncu-$N.log 2>&1
ncu --import $P/$N.ncu-rep --page details > $R/ncu-$N.txt 2>&1
cat $R/steps.txt
grep -h -i "fail\|wrong\|mismatch" $R/*.log | head -5
for f in $R/*.md; do echo "== $f"; grep -A8 -i "geometric" $f | head -10; done
grep -E "Duration|L1/TEX Cache Throughput|L2 Cache Throughput|Achieved Occupancy|Registers Per|Issued Warp|No Eligible|Theoretical Occ" $R/ncu-$N.txt | head -12
xz -9 $R/*.json
cd $OUT && tar -cJf call5.tar.xz call5 && rm -rf call5

#!/bin/bash
# Session 21, call 1 (issue 13): is the X-tiled family (a block stages chunks of X once for all its rows) faster than
# the tiled family the search picks on f32 problems that are not launch-bound? (1) DLMC transformer 0.9, n = 2048
# (6 of 96 matrices) and (2) DLMC rn50 0.9, n = 256 (8 of 54), the default search plus 12 named X-tiled configs;
# (3) the synthetic 4096 x 4096 at 0.9, n = 256, likewise; (4) ncu of the tiled winner and one X-tiled config on one
# transformer problem at n = 2048. Warm caches (the DLMC protocol); cuSPARSE and cuBLAS in the same run. One archive.
set -u
export PYTHONUNBUFFERED=1
D=.device-s21; R=$OUT/call1; P=/tmp/r1; mkdir -p $R $P
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $R/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $R/steps.txt; }
X="xtile.r32.t8.c128.v4.k64.db1 xtile.r32.t8.c64.v4.k64.db1 xtile.r32.t8.c256.v4.k32.db1 xtile.r64.t8.c128.v4.k64.db1 \
xtile.r64.t16.c128.v4.k64.db1 xtile.r32.t16.c128.v4.k64.db1 xtile.r32.t16.c256.v4.k32.db1 xtile.r32.t32.c128.v4.k64.db1 \
xtile.r16.t32.c128.v4.k64.db1 xtile.r64.t4.c64.v4.k64.db1 xtile.r128.t8.c64.v4.k64.db1 xtile.r64.t8.c64.v4.k128.db1"
B="/tmp/sparrow bench spmm --device gpu --data $D --no-tuned --no-specialise --dtype f32 --skip sparrow-simple-fp32 cusparse-fp32-alg1"
t timeout 150 $B --suite dlmc-transformer --sparsity 0.9 -n 2048 --sample 6 --config $X \
  --json $R/transformer-n2048.json --markdown $R/transformer-n2048.md > $R/transformer-n2048.log 2>&1
t timeout 150 $B --suite dlmc-rn50 --sparsity 0.9 -n 256 --sample 8 --config $X \
  --json $R/rn50-n256.json --markdown $R/rn50-n256.md > $R/rn50-n256.log 2>&1
t timeout 90 $B --suite synthetic --size 4096 --distribution uniform --sparsity 0.9 -n 256 --config $X \
  --json $R/synthetic.json --markdown $R/synthetic.md > $R/synthetic.log 2>&1
S="--section SpeedOfLight --section MemoryWorkloadAnalysis --section WarpStateStats --section SchedulerStats --section Occupancy --section LaunchStats"
F=body_decoder_layer_3_self_attention_multihead_attention_q
for C in r16.t32.c256.v4.k64.db0 xtile.r32.t8.c128.v4.k64.db1; do
  N=$(echo $C | tr . _)
  t timeout 90 ncu -k regex:sparrow_spmm_f32_${N} -c 1 $S -o $P/$N \
    /tmp/sparrow bench spmm --device gpu --data $D --no-tuned --no-specialise --dtype f32 --iterations 20 --warmup 1 \
    --suite dlmc-transformer --sparsity 0.9 -n 2048 --filter $F --sweep-limit 1 --config $C \
    --skip sparrow-simple-fp32 cusparse-fp32-default cusparse-fp32-alg1 cusparse-fp32-alg2 cusparse-fp32-alg3 cublas-fp32 cublas-tf32 cublas-fp16 \
    > $R/ncu-$N.log 2>&1
  ncu --import $P/$N.ncu-rep --page details > $R/ncu-$N.txt 2>&1
done
cat $R/steps.txt
for f in $R/*.md; do echo "== $f"; grep -B2 -A12 -i "geometric" $f | head -24; done
for f in $R/ncu-*.txt; do echo "== $f"; grep -E "Duration|DRAM Throughput|L1/TEX Cache Throughput|L2 Cache Throughput|Achieved Occupancy|Registers Per|Issued Warp|No Eligible|L1/TEX Hit|L2 Hit|Mem Busy|Max Bandwidth|Compute \(SM\)" $f | head -16; done
xz -9 $R/*.json
cd $OUT && tar -cJf call1.tar.xz call1 && rm -rf call1

#!/bin/bash
# Session 8, call 3: why the tensor-core linear kernels take ~7 us. ncu full sections on the first
# tensor-core form's four kernels at T = 128, and the durations of cuBLAS's kernels in the same bench.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s8; R=/tmp/r; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
python3 scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > $R/setup.log 2>&1
B="/tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 --iterations 2 --warmup 0 --skip onnxruntime"
t timeout 240 ncu --graph-profiling node -k regex:sparrow_tc --launch-skip 120 --launch-count 4 --cache-control none --clock-control none \
  --set full -o $OUT/tc-full $B > $R/ncu1.log 2>&1
tail -3 $R/ncu1.log
t timeout 200 ncu --graph-profiling node -k regex:"gemm|xmma|cutlass|Kernel|sparrow" --launch-count 900 --cache-control none --clock-control none \
  --csv --metrics gpu__time_duration.sum,launch__grid_size,launch__block_size,sm__cycles_active.avg,launch__shared_mem_per_block_dynamic $B > $OUT/ncu-all.csv 2> $R/ncu2.err
tail -3 $R/ncu2.err
ncu --import $OUT/tc-full.ncu-rep --page details --print-units base > $OUT/tc-full.txt 2>&1
grep -E "sparrow_tc|Duration|Warp Cycles Per Issued|Stall|Achieved Occupancy|Memory Throughput|L2 Hit|Shared Memory Configuration|Driver Shared|Waves|One or More|Est. Speedup" $OUT/tc-full.txt | head -80
cat $OUT/steps.txt

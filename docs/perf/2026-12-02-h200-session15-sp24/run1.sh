#!/bin/bash
# Session 15, call 1: why sp24 streams 2:4 W slower on the tall llm shapes (K = 4096) at n = 1 and 16.
# A config sweep (cold) on 11008x4096 and 14336x4096, and ncu (speed of light, occupancy, launch stats, per-SM
# active cycles) of the winners on 14336x4096.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s15; R=/tmp/r1; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
SKIP="sparrow-fp16 sparrow-bitmap-fp16 sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6"
C1="sp24.s1.j16.n8.c4.p2 sp24.s1.j16.n8.c4.p2.z2 sp24.s1.j8.n8.c4.p3 sp24.s1.j8.n8.c8.p2 sp24.s2.j8.n8.c4.p2 sp24.s1.j16.n8.c2.p3 sp24.s1.j4.n8.c4.p4 sp24.s4.j4.n8.c4.p2 sp24.s8.j2.n8.c4.p4 sp24.s1.j16.n8.c4.p2.z4"
t timeout 150 $B --suite llm --pattern 2:4 --filter mlp-up -n 1 --skip $SKIP --config $C1 --json $R/tall1.json --markdown $OUT/tall1.md > $R/tall1.log 2>&1
C16="sp24.s4.j2.n16.c4.p4 sp24.s2.j8.n16.c4.p3 sp24.s4.j4.n16.c4.p3 sp24.s2.j4.n16.c8.p3 sp24.s4.j2.n16.c4.p4.z2 sp24.s8.j2.n16.c4.p3"
t timeout 120 $B --suite llm --pattern 2:4 --filter 14336x4096 -n 16 --skip $SKIP --config $C16 --json $R/tall16.json --markdown $OUT/tall16.md > $R/tall16.log 2>&1
xz -k $R/tall1.json $R/tall16.json 2>/dev/null; cp $R/*.json.xz $OUT/ 2>/dev/null
M="gpu__time_duration.sum,dram__throughput.avg.pct_of_peak_sustained_elapsed,dram__bytes_read.sum,launch__waves_per_multiprocessor,launch__occupancy_limit_registers,launch__occupancy_limit_shared_mem,launch__occupancy_limit_warps,launch__registers_per_thread,sm__warps_active.avg.pct_of_peak_sustained_active,sm__cycles_active.avg,sm__cycles_active.max,sm__cycles_active.min,smsp__inst_executed.sum,smsp__issue_active.avg.pct_of_peak_sustained_active,launch__grid_size,sm__cycles_elapsed.max"
prof() { # name config filter n
  t timeout 100 ncu -k regex:sparrow_spmm_f16_$(echo $2 | tr . _) -c 2 --metrics $M --csv \
    /tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 3 --warmup 1 --no-tuned --no-specialise --suite llm --pattern 2:4 \
    --filter $3 -n $4 --sweep-limit 1 --config $2 --skip $SKIP cusparselt-fp16 cublas-fp16 > $R/$1.csv 2> $R/$1.err
  grep '^"' $R/$1.csv > $OUT/$1.csv
}
prof n1-14336 sp24.s1.j16.n8.c4.p2 14336x4096 1
prof n1-4096 sp24.s1.j16.n8.c4.p2 attn-4096x4096 1
prof n16-14336 sp24.s4.j2.n16.c4.p4 14336x4096 16
(cd $R && tar -czf $OUT/logs.tgz *.log *.err)
cat $OUT/steps.txt
grep -A12 "^| problem" $OUT/tall1.md | cut -d'|' -f2,3,7,10,11,12,13 | head -14
python3 - <<'PY'
import csv, glob, os
out = os.environ["OUT"]
for f in sorted(glob.glob(out + "/n*.csv")):
    rows = list(csv.reader(open(f)))
    if not rows: continue
    h = rows[0]; mi = h.index("Metric Name"); vi = h.index("Metric Value")
    print("==", os.path.basename(f))
    for r in rows[1:]: print("  ", r[mi], r[vi])
PY

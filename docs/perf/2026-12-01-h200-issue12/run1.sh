#!/bin/bash
# Issue 12, call 1 (sparselt branch): where cuSPARSELt is, the baselines' self-test (cuSPARSELt on
# 2:4 shapes against the Float64 reference), the llm 2:4 contest (Sparrow vs cuSPARSELt vs cuBLAS,
# n = 1 8 16 64), the llm suite unstructured at 0.5 0.7 0.9 (n = 1 16 64), one ncu profile of the
# bitmap kernel at 4096x4096 0.7 n = 16. Every bench: fp16, cold (llm default), 10 timed runs.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-sparselt
R=/tmp/r; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; uptime; which ncu; } > $OUT/machine.txt 2>&1
python3 - > $R/cusparselt-where.txt 2>&1 <<'PY'
import site, glob, os
paths = site.getsitepackages() + [site.getusersitepackages()]
print("site-packages:", paths)
for p in paths:
    for pat in ("nvidia/*/lib/libcusparseLt*", "torch/lib/libcusparseLt*", "cusparselt*/lib/libcusparseLt*"):
        for f in glob.glob(os.path.join(p, pat)): print("found", f)
try:
    import torch; print("torch", torch.__version__, "cusparselt", torch.backends.cusparselt.version())
except Exception as e: print("torch:", e)
PY
t /tmp/sparrow doctor > $R/doctor.txt 2>&1
if ! grep -q "^libcusparseLt *yes" $R/doctor.txt; then
  export SPARROW_CUSPARSELT=$(grep '^found' $R/cusparselt-where.txt | head -1 | cut -d' ' -f2)
  echo "SPARROW_CUSPARSELT=$SPARROW_CUSPARSELT" >> $R/cusparselt-where.txt
  t /tmp/sparrow doctor > $R/doctor2.txt 2>&1
fi
cat $R/cusparselt-where.txt $R/doctor*.txt > $OUT/doctor.txt
t timeout 30 /tmp/sparrow selftest --device gpu --baselines-only --json $R/selftest-baselines.json > $R/selftest-baselines.log 2>&1
B="/tmp/sparrow bench spmm --device gpu --suite llm --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 3"
CS="cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
t timeout 90 $B --pattern 2:4 -n 1 8 16 64 --skip sparrow-simple-fp16 $CS \
  --json $R/llm24.json --markdown $R/llm24.md > $R/llm24.log 2>&1
t timeout 160 $B --sparsity 0.5 0.7 0.9 -n 1 16 64 --skip sparrow-simple-fp16 cusparselt-fp16 $CS \
  --json $R/llm.json --markdown $R/llm.md > $R/llm.log 2>&1
K=sparrow_spmm_f16_bitmap_s2_j8_n16_c4_p3
t timeout 40 ncu -k regex:$K -c 1 --section SpeedOfLight --section MemoryWorkloadAnalysis --section WarpStateStats \
  --section SchedulerStats --section Occupancy --section LaunchStats -o $R/bitmap-ncu \
  $B --filter attn-4096x4096 --sparsity 0.7 -n 16 --sweep-limit 1 --config bitmap.s2.j8.n16.c4.p3 \
  --skip sparrow-fp16 sparrow-simple-fp16 cublas-fp16 cusparselt-fp16 $CS > $R/ncu.log 2>&1
ncu --import $R/bitmap-ncu.ncu-rep --page details > $OUT/ncu-details.txt 2>&1
cp $R/llm24.md $R/llm.md $OUT/ 2>/dev/null
(cd /tmp/r && tar -czf $OUT/logs.tgz .)
cat $OUT/steps.txt

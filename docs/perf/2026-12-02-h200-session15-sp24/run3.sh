#!/bin/bash
# Session 15, call 3: the ring's barrier spans only the warps that share a slot (a warp alone for one strip a
# block, a slice's warps on a named barrier otherwise) against main's block-wide barrier (base.xz = c748d20):
# the strip/slice self-test on the new binary, then the same 2:4 llm benches (n = 1 and 16, four shapes, each n's
# leading configs) and unstructured bitmap n = 16 at 0.7 with both binaries, alternating, cold, cuSPARSELt and
# cuBLAS in the same runs.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s15; R=/tmp/r3; mkdir -p $R
# The working tree cannot carry both binaries at once: `run3.sh base` (base.xz only) then `run3.sh new`
# (sparrow.xz), on the same warm machine.
b=$1
if [ $b = new ]; then xz -dc $D/sparrow.xz > /tmp/new; else xz -dc $D/base.xz > /tmp/base; fi
chmod +x /tmp/$b
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/$b --version; cat $D/COMMIT; } > $OUT/machine-$b.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
if [ $b = new ]; then
  t timeout 100 /tmp/new selftest --device gpu --bitmap-only > $OUT/selftest.txt 2>&1
  tail -1 $OUT/selftest.txt; grep -i "failed " $OUT/selftest.txt | grep -v "0 failed" | head -5
fi
SKIP="sparrow-fp16 sparrow-bitmap-fp16 sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
C8="sp24.s1.j16.n8.c4.p2 sp24.s1.j8.n8.c4.p3 sp24.s2.j8.n8.c4.p2 sp24.s4.j4.n8.c4.p2 sp24.s8.j2.n8.c4.p4 sp24.s2.j4.n8.c8.p3 sp24.s1.j8.n8.c8.p2 sp24.s1.j4.n8.c4.p4"
C16="sp24.s2.j8.n16.c4.p3 sp24.s4.j2.n16.c4.p4 sp24.s8.j2.n16.c4.p4 sp24.s2.j4.n16.c8.p2 sp24.s1.j8.n16.c4.p3 sp24.s1.j16.n16.c4.p2"
CB="bitmap.s2.j8.n16.c4.p3 bitmap.s4.j2.n16.c4.p4 bitmap.s1.j8.n16.c4.p3 bitmap.s1.j16.n16.c4.p2"
B="/tmp/$b bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 3 --suite llm"
t timeout 150 $B --pattern 2:4 -n 1 --skip $SKIP --config $C8 --json $R/$b-n18.json --markdown $R/$b-n18.md > $R/$b-n18.log 2>&1
t timeout 150 $B --pattern 2:4 -n 16 --skip $SKIP --config $C16 --json $R/$b-n16.json --markdown $R/$b-n16.md > $R/$b-n16.log 2>&1
B="/tmp/$b bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 2 --suite llm"
t timeout 60 $B --sparsity 0.7 --filter 4096x4096 -n 16 --skip sparrow-fp16 sparrow-simple-fp16 sparrow-sp24-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16 --config $CB --json $R/$b-bm.json --markdown $R/$b-bm.md > $R/$b-bm.log 2>&1
(cd $R && tar -cJf $OUT/bench-$b.tar.xz *.json* *.md *.log)
cat $OUT/steps.txt

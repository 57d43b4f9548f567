#!/usr/bin/env bash
# bitmap helper, GPU call 2: selftest of the revised kernel, then the llm suite fp16 (cold) for the
# bitmap family against cuBLAS fp16 (cuSPARSE and Sparrow's whole-space search left out for time).
export PYTHONUNBUFFERED=1; D=.device-bitmap
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
cat $D/COMMIT > $OUT/machine.txt
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv >> $OUT/machine.txt 2>&1
timeout 25 /tmp/sparrow selftest --bitmap-only --json $OUT/selftest2.json > $OUT/selftest2.txt 2>&1
echo "selftest rc=$?" >> $OUT/machine.txt
if ! grep -q ' 0 failed' $OUT/selftest2.txt; then
  echo "revised kernel failed its selftest: benching the call-1 binary" >> $OUT/machine.txt
  xz -dc $D/sparrow-call1.xz > /tmp/sparrow && chmod +x /tmp/sparrow
fi
S="sparrow-fp16 sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
bench() { # m, timeout, extra args...
  m=$1; t=$2; shift 2
  SPARROW_ALLOW_FEW_ITERATIONS=1 SPARROW_COMMIT=$(cat $D/COMMIT) timeout $t /tmp/sparrow bench spmm --suite llm --dtype f16 \
    -n $m --iterations 10 --warmup 2 --no-tuned --sweep-limit 3 --skip $S "$@" > $OUT/llm-n$m.txt 2>&1
  echo "llm n=$m rc=$?" >> $OUT/machine.txt
}
bench 1 36 --sparsity 0.5 0.7 0.9 --config bitmap.s1.j8.n8.c8.p2 bitmap.s1.j16.n8.c4.p2 --json $OUT/llm-n1.json
bench 16 36 --sparsity 0.5 0.7 0.9 --config bitmap.s2.j8.n16.c4.p3 bitmap.s2.j4.n16.c4.p3 --json $OUT/llm-n16.json
bench 64 36 --sparsity 0.5 0.7 0.9 --config bitmap.s2.j4.n64.c4.p3 --json $OUT/llm-n64.json
bench 512 15 --sparsity 0.7 --filter attn --config bitmap.s2.j4.n64.c4.p3 --json $OUT/llm-n512.json
cd $OUT && tar czf llm.tgz llm-n*.json* 2>/dev/null; rm -f llm-n*.json llm-n*.json.partial.jsonl; ls -la

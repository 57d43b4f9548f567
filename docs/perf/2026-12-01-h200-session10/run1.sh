#!/bin/bash
# Session 10, call 1: (1) llm n = 1 and 16 at 0.5 / 0.7 / 0.9, fp16, cold, with the compact
# winners timed with and without the new L2 prefetch (--config); (2) the compact and CUDA
# self-tests (the cooperative-launch check is a CUDA check); (3) the encoder self-test (the
# persistent form now launched cooperatively, in a graph); (4) MiniLM f16 0.9 batch 1.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts SPARROW_ALLOW_FEW_ITERATIONS=1
D=.device-s10; R=/tmp/r; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6"
CS="sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 cusparselt-fp16"
CF="compact.i16.w16.v8.u2.s1.b2.k4096 compact.i16.w16.v8.u2.s1.b2.k4096.p1 compact.i16.w16.v8.u2.s1.b1.k4096 compact.i16.w16.v8.u2.s1.b1.k4096.p1 compact.i16.w16.v8.u2.s1.b2.k16384 compact.i16.w16.v8.u2.s1.b2.k16384.p1 compact.i16.w16.v8.u4.s1.b2.k16384.p1 compact.i16.w16.v8.u1.s1.b2.k16384.p1"
t timeout 260 $B --suite llm --sparsity 0.5 0.7 0.9 -n 1 16 --skip $CS --config $CF --json $R/llm.json --markdown $OUT/llm.md > $R/llm.log 2>&1
cp $R/llm.json $OUT/ 2>/dev/null || cp $R/llm.json.partial.jsonl $OUT/
t timeout 120 /tmp/sparrow selftest --device gpu --compact-only --json $R/selftest-compact.json > $R/selftest-compact.log 2>&1
t timeout 90 /tmp/sparrow selftest --device gpu --encoder-only --json $R/selftest-encoder.json > $R/selftest-encoder.log 2>&1
python3 scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > $R/setup.log 2>&1
t timeout 100 /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 \
  --json $R/minilm.json --markdown $R/minilm.md > $R/bench-minilm.log 2>&1
cp $R/*.log $R/*.md $OUT/ 2>/dev/null
cat $OUT/steps.txt
for f in compact encoder; do grep -E "passed, .*failed" $R/selftest-$f.log | tail -1; done
grep -iE "cooperative" $R/selftest-compact.log | head -2
grep -E "FAIL|failed  " $R/selftest-compact.log $R/selftest-encoder.log | head -10
grep -iE "persistent" $R/selftest-encoder.log | head -2
grep -hE "^\| unstructured" $R/minilm.md
grep -A8 "Geometric" $OUT/llm.md

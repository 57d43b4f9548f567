#!/usr/bin/env bash
# The session's last GPU call (2026-11-30): the compact family's selftest and the llm suite (issue 12),
# then the tuner's held-out f16 comparisons with the new space (issue 10).
set -uo pipefail
export PYTHONUNBUFFERED=1
S=/tmp/sparrow; xz -dc .device/sparrow.xz > $S && chmod +x $S || exit 1
{ $S --version; cat .device/COMMIT; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; } > $OUT/version.txt 2>&1
L=/tmp/logs; mkdir -p $L
timeout 60 $S selftest --compact-only --json $OUT/c-selftest.json > $L/c-selftest.txt 2>&1; echo "selftest rc=$?"
SPARROW_ALLOW_FEW_ITERATIONS=1 timeout 170 $S bench spmm --suite llm \
  --dtype f16 --sparsity 0.5 0.7 0.9 -n 1 8 16 64 --iterations 10 --warmup 2 --no-tuned --sweep-limit 8 \
  --skip sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3 \
  --config compact.i16.w8.v8.u2.s1.b2.k4096 compact.i4.w8.v8.u2.s1.b2.k4096 \
           compact.i16.w16.v8.u1.s1.b1.k8192 compact.i16.w8.v8.u4.s1.b1.k8192 \
  --json $OUT/llm.json --markdown $OUT/llm.md > $L/c-bench.txt 2>&1; echo "llm rc=$?"
cp $OUT/llm.json.partial.jsonl $L/ 2>/dev/null
C=(--top-k 8 --cost-model learned --compare --data .device --iterations 5 --json)
timeout 80 $S tune "${C[@]}" --suite dlmc-rn50 --sparsity 0.9 --sample 4 --dtype f16 --model-file .device/model-others.json --db /tmp/t1.sqlite > $OUT/t-rn50-f16.json 2> $L/t-rn50-f16.err; echo "t1 rc=$?"
timeout 75 $S tune "${C[@]}" --suite dlmc-transformer --sparsity 0.9 --sample 2 -n 256 2048 --dtype f16 --model-file .device/model-rn50.json --db /tmp/t2.sqlite > $OUT/t-transformer-f16.json 2> $L/t-transformer-f16.err; echo "t2 rc=$?"
rm -f $OUT/llm.json.partial.jsonl
cp /tmp/t1.sqlite /tmp/t2.sqlite $L/ 2>/dev/null
tar -C /tmp -czf $OUT/logs.tgz logs
ls -la $OUT

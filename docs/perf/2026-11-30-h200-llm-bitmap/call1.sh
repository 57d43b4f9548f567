#!/usr/bin/env bash
# bitmap helper, GPU call 1: selftest of the bitmap family + a design sweep (cold winner, warm sweep log).
export PYTHONUNBUFFERED=1; D=.device-bitmap
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv > $OUT/machine.txt 2>&1
cat $D/COMMIT >> $OUT/machine.txt
timeout 95 /tmp/sparrow selftest --bitmap-only --json $OUT/selftest.json > $OUT/selftest.txt 2>&1
echo "selftest rc=$?" >> $OUT/machine.txt
S="sparrow-fp16 sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
for pair in "1 8" "16 16" "64 64"; do
  set -- $pair; m=$1; c=$2
  cfgs=""
  for d in s1.j4.n$c.c4.p3 s1.j8.n$c.c4.p3 s1.j16.n$c.c4.p3 s1.j8.n$c.c2.p4 s1.j8.n$c.c8.p2 s1.j8.n$c.c8.p3 s1.j4.n$c.c8.p4 s2.j4.n$c.c4.p3 s2.j8.n$c.c4.p3 s1.j16.n$c.c2.p4; do cfgs="$cfgs bitmap.$d"; done
  SPARROW_ALLOW_FEW_ITERATIONS=1 timeout 62 /tmp/sparrow bench spmm --suite llm --filter 4096x --dtype f16 \
    --sparsity 0.5 0.7 0.9 -n $m --iterations 10 --warmup 2 --no-tuned --sweep-limit 8 --skip $S \
    --config $cfgs --json $OUT/sweep-n$m.json > $OUT/sweep-n$m.txt 2>&1
  echo "sweep n=$m rc=$?" >> $OUT/machine.txt
done
cd $OUT && tar czf sweep.tgz sweep-n*.json* && rm -f sweep-n*.json sweep-n*.json.partial.jsonl; ls -la $OUT

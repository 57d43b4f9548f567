#!/bin/bash
# Session 8, call 6: final main. The quick self-test (a sample of every config space, every family,
# fp32/fp16/bf16, awkward shapes, against Float64; cuSPARSELt from the torch wheel), the encoder
# self-test (every form, the tensor-core ones included, against the CPU encoder), and MiniLM b1 x 128
# f16 0.9 with the plan, torch.compile and the torch graph in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_SCRIPTS=$PWD/scripts SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s8; R=/tmp/r; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; ls -la $SPARROW_CUSPARSELT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 100 /tmp/sparrow selftest --device gpu --encoder-only --json $R/selftest-encoder.json > $R/selftest-encoder.log 2>&1
t timeout 330 /tmp/sparrow selftest --device gpu --quick --json $R/selftest-quick.json > $R/selftest-quick.log 2>&1
python3 scripts/bert-base-weights.py /tmp/minilm --config minilm --tokenizer-from $D/tok > $R/setup.log 2>&1
t timeout 150 /tmp/sparrow bench model /tmp/minilm --device gpu --batch 1 --seq 128 --sparsity 0.9 --dtype f16 --show-plan \
  --json $R/minilm.json --markdown $R/minilm.md > $R/bench-minilm.log 2>&1
cp $R/*.log $R/minilm.md $R/minilm.json $OUT/; xz -k $R/selftest-quick.json 2>/dev/null; cp $R/selftest-quick.json.xz $OUT/ 2>/dev/null
cat $OUT/steps.txt
for f in encoder quick; do grep -E "passed, .*failed" $R/selftest-$f.log | tail -1; done
grep -E "FAIL|failed  " $R/selftest-quick.log | head -20
grep -E "^\| unstructured" $R/minilm.md
grep -E "tc-" $R/selftest-encoder.log | head -8

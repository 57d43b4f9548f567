#!/bin/bash
# Call 2: the targets' measurement. DLMC rn50 0.9 n = 256 fp32 (the 42 layers call 1 did not
# measure, resumed from its report) and fp16, transformer 0.9 n = 256 fp32 and fp16; Sparrow's
# search (portfolio + hand model, 16 configs, specialised configs and locality retrials among them)
# with named specialised configs added, so every trial is logged; cuSPARSE's algorithms and cuBLAS
# in the same run. Each inside its own timeout; a cut run leaves FILE.partial.jsonl.
set -u
export PYTHONUNBUFFERED=1
D=$(cd "$(dirname "$0")" && pwd)
xz -dc "$D/sparrow.xz" > /tmp/sparrow && chmod +x /tmp/sparrow
B="/tmp/sparrow bench spmm --sparsity 0.9 -n 256 --data $D"
F32="spec.r1.t32.v4.c1.o0 spec.r2.t32.v4.c1.o1 spec.r1.t64.v2.c0.o0"
F16="spec.r1.t32.v8.c1.o0 spec.r2.t32.v4.c1.o1 spec.r1.t64.v4.c0.o0"
cp "$D/rn50-f32-0.9-sample.json" /tmp/earlier.json
R="$OUT/r"; mkdir -p "$R"
run() { local name=$1 limit=$2; shift 2; local start=$(date +%s)
  timeout "$limit" $B "$@" --json "$R/$name.json" > "$R/$name.txt" 2>&1
  echo "$name rc=$? seconds=$(( $(date +%s) - start ))" >> "$R/times.txt"; }
run rn50-f32 100 --suite dlmc-rn50 --dtype f32 --config $F32 --resume /tmp/earlier.json
run rn50-f16 70 --suite dlmc-rn50 --dtype f16 --config $F16 --limit 24
run transformer-f32 35 --suite dlmc-transformer --dtype f32 --config $F32 --limit 8
run transformer-f16 30 --suite dlmc-transformer --dtype f16 --config $F16 --limit 8
cd "$R" && for f in *.partial.jsonl; do [ -f "$f" ] && echo "partial: $f $(wc -l < "$f")"; done
cat "$R/times.txt"
cd "$OUT" && tar czf results.tgz r && rm -r r

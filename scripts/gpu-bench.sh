#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, with .device/ carried (see README).
# Usage: scripts/gpu-bench.sh PHASE...   (phases: doctor selftest rn50 rn50-f16 transformer synthetic sweep)
# Writes every output to a work folder and packs it as results.tar.gz under $OUT (or ./gpu-out),
# since the device tool brings back at most 8 files.
set -u
dest=${OUT:-gpu-out}
out=$(mktemp -d /tmp/sparrow-gpu.XXXX)
mkdir -p "$dest"
cd .device
[ -x sparrow ] || { xz -dkf sparrow.xz && chmod +x sparrow; }
run() {  # name, timeout, args...
  local name=$1 limit=$2; shift 2
  local t0=$(date +%s)
  timeout "$limit" ./sparrow "$@" > "$out/$name.md" 2> "$out/$name.err"
  echo "$name: rc=$? in $(( $(date +%s) - t0 )) s"
}
for phase in "$@"; do
  case $phase in
    doctor) run doctor 60 doctor ;;
    selftest) run selftest 300 selftest --json "$out/selftest.json" ;;
    selftest-quick) run selftest 200 selftest --quick --json "$out/selftest.json" ;;
    rn50) run rn50-f32 400 bench spmm --suite dlmc-rn50 --data . --json "$out/rn50-f32.json" --svg "$out/rn50-f32.svg" ;;
    rn50-256) run rn50-f32-n256 400 bench spmm --suite dlmc-rn50 --data . -n 256 --json "$out/rn50-f32-n256.json" ;;
    rn50-f16) run rn50-f16 400 bench spmm --suite dlmc-rn50 --data . --dtype f16 --json "$out/rn50-f16.json" --svg "$out/rn50-f16.svg" ;;
    transformer) run transformer-f32 400 bench spmm --suite dlmc-transformer --data . --json "$out/transformer-f32.json" ;;
    transformer-f16) run transformer-f16 400 bench spmm --suite dlmc-transformer --data . --dtype f16 --json "$out/transformer-f16.json" ;;
    synthetic) run synthetic-f32 200 bench spmm --suite synthetic --json "$out/synthetic-f32.json"
               run synthetic-f16 200 bench spmm --suite synthetic --dtype f16 --json "$out/synthetic-f16.json" ;;
    sweep) run sweep-synthetic 200 bench spmm --suite synthetic --sweep --json "$out/sweep-synthetic.json"
           run sweep-rn50 300 bench spmm --suite dlmc-rn50 --data . --sparsity 0.9 --limit 3 -n 256 --sweep --json "$out/sweep-rn50.json"
           run sweep-rn50-f16 300 bench spmm --suite dlmc-rn50 --data . --sparsity 0.9 --limit 3 -n 256 --dtype f16 --sweep --json "$out/sweep-rn50-f16.json" ;;
  esac
done
tar -czf "$dest/results.tar.gz" -C "$out" .
for f in "$out"/*.md; do echo "== $(basename "$f")"; grep -A12 "Geometric mean" "$f" || tail -3 "$f"; done

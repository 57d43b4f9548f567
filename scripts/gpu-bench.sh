#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, with .device/ carried (see README).
# Usage: scripts/gpu-bench.sh PHASE...   (phases: doctor selftest selftest-quick rn50 rn50-256 rn50-f16 transformer transformer-f16 synthetic sweep explore profile)
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
    explore)  # the default sweep plus named configs, every timing logged (--config records the sweep)
      configs=${CONFIGS:-"r8.t32.c256.v4.k64.db0 r8.t32.c256.v4.k32.db0 r2.t32.c128.v4.k32.db0.s2 r2.t32.c128.v4.k32.db1 r4.t32.c256.v4.k64.db0 r1.t32.c256.v4.k32.db0.s4"}
      run explore-synthetic 150 bench spmm --suite synthetic --config $configs --json "$out/explore-synthetic.json"
      run explore-transformer 200 bench spmm --suite dlmc-transformer --data . -n 2048 --limit 6 --config $configs --json "$out/explore-transformer.json"
      run explore-rn50 300 bench spmm --suite dlmc-rn50 --data . -n 256 --config $configs --json "$out/explore-rn50.json" ;;
    profile)  # hardware counters (Firecracker machines only): one launch per check plus a short timing
      metrics=gpu__time_duration.sum,sm__throughput.avg.pct_of_peak_sustained_elapsed,l1tex__t_sector_hit_rate.pct,lts__t_sector_hit_rate.pct,l1tex__throughput.avg.pct_of_peak_sustained_active,lts__throughput.avg.pct_of_peak_sustained_elapsed,dram__throughput.avg.pct_of_peak_sustained_elapsed,sm__warps_active.avg.pct_of_peak_sustained_active,launch__registers_per_thread,launch__grid_size,launch__block_size,lts__t_bytes.sum,l1tex__t_bytes.sum,dram__bytes_read.sum,smsp__inst_executed.sum,sm__pipe_fma_cycles_active.avg.pct_of_peak_sustained_active
      skip="sparrow-simple-fp32 cusparse-fp32-default cusparse-fp32-alg1 cublas-tf32 cublas-fp16"
      for spec in "synthetic|--suite synthetic" "transformer|--suite dlmc-transformer --data . -n 2048 --limit 1" "rn50|--suite dlmc-rn50 --data . -n 256 --sparsity 0.9 --limit 4"; do
        name=${spec%%|*}; args=${spec#*|}
        t0=$(date +%s)
        SPARROW_ALLOW_FEW_ITERATIONS=1 timeout 150 ncu --clock-control none --csv --metrics $metrics --log-file "$out/ncu-$name.csv" \
          ./sparrow bench spmm $args --iterations 1 --warmup 0 --sweep-limit 6 --config r8.t32.c256.v4.k64.db0 r2.t32.c128.v4.k32.db0.s2 --skip $skip \
          > "$out/ncu-$name.md" 2> "$out/ncu-$name.err"
        echo "ncu-$name: rc=$? in $(( $(date +%s) - t0 )) s"
      done ;;
  esac
done
tar -czf "$dest/results.tar.gz" -C "$out" .
for f in "$out"/*.md; do echo "== $(basename "$f")"; grep -A12 "Geometric mean" "$f" || tail -3 "$f"; done

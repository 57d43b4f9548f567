#!/bin/bash
# Builds probe.c against the library's AVX-512 kernels and runs the record's cases, each three
# times (the VM's neighbours move single runs by up to 2x: compare the best of the three).
set -eu
here=$(cd "$(dirname "$0")" && pwd); src=$here/../../../Sources/CPUKernelsC
clang -O3 -I"$src" -I"$src/include" "$here/probe.c" "$src/spmm_avx512.c" -o /tmp/sparrow-probe -lm
p() { for i in 1 2 3; do /tmp/sparrow-probe "$@"; done | sort -t' ' -k12 -g | tail -1; }
echo "## X in L1 (K = 64: 32 KiB at M = 128), every entry stored: the loop's ceiling"
p 64 64 128 0 8 1; p 64 64 64 0 4 1; p 64 64 32 0 2 1
echo "## X in L2 (K = 256: 128 KiB), every entry stored"
p 16 256 128 0 8 1
echo "## Row overhead: no stored values, 1,536 rows (stores of Y only)"
p 1536 64 128 0 8 0; p 1536 64 16 0 1 0
echo "## MiniLM's shapes at density 0.1 (0.9 sparsity), M = 128 (one text) and 1,024 (eight)"
for shape in "384 384" "1536 384" "384 1536"; do for m in 128 1024; do
  for pc in 0 64 128; do for tv in 4 8; do p $shape $m $pc $tv 0.1; done; done
done; done
echo "## Branch prediction: random counts against exactly 6 values a row and 64-column panel"
p 1536 384 128 64 8 0.1 0 0; p 1536 384 128 64 8 0.1 0 1

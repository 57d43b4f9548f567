#!/usr/bin/env bash
# GPU checks of the tuner's lock, fault handling, proxies and the shortlist comparison (branch
# tuner2), about 7 minutes on an H200. Run from the repository root on the GPU machine, carrying
# .device (the DLMC tarballs, model-rn50.json, model-others.json and the binary of
# scripts/build-static.sh: $SPARROW_XZ, default .device/sparrow-tuner2.xz, else .device/sparrow.xz);
# results go to $OUT (default ./out). Usage: scripts/gpu-tuner2.sh [a|b|c|ab...] (also works as a
# copy in .device/).
set -uo pipefail
OUT=${OUT:-./out}
mkdir -p "$OUT"
XZ=${SPARROW_XZ:-.device/sparrow-tuner2.xz}
[ -f "$XZ" ] || XZ=.device/sparrow.xz
S=./.device/sparrow-tuner2
xz -dc "$XZ" > "$S" && chmod +x "$S" || exit 1
{ $S --version; cat .device/COMMIT-tuner2 .device/COMMIT 2>/dev/null; } > "$OUT/version.txt" 2>&1
what=${1:-ab}
SYN=(--suite synthetic --size 1024 --sparsity 0.9 --distribution uniform -n 256)

if [[ $what == *a* ]]; then
  # (a1) The lock: A tunes exhaustively; B, started once A holds the lock, gives up after 1 s;
  # C waits (one line naming A's pid) and runs after A.
  lock=${SPARROW_CACHE_DIR:-$HOME/.cache/sparrow}/locks/gpu-0.lock
  timeout 240 $S tune --suite synthetic --size 1024 2048 --sparsity 0.9 --distribution uniform powerlaw -n 256 --exhaustive \
    --db /tmp/lock-a.sqlite > "$OUT/a1-lock-A.txt" 2> "$OUT/a1-lock-A.err" &
  A=$!
  # timeout runs sparrow A as its child: wait until the lock file names that child.
  for _ in $(seq 600); do h=$(cat "$lock" 2>/dev/null); [ -n "$h" ] && [ "$(awk '{print $4}' "/proc/$h/stat" 2>/dev/null)" = "$A" ] && break; sleep 0.1; done
  echo "A: timeout pid $A; the lock file names $(cat "$lock" 2>/dev/null)" > "$OUT/a1-lock.txt"
  timeout 60 $S tune "${SYN[@]}" --top-k 4 --db /tmp/lock-b.sqlite --lock-timeout 1 > /dev/null 2> "$OUT/a1-lock-B.err"
  echo "B (--lock-timeout 1) rc=$?" >> "$OUT/a1-lock.txt"
  timeout 200 $S tune "${SYN[@]}" --top-k 4 --db /tmp/lock-c.sqlite > /dev/null 2> "$OUT/a1-lock-C.err"
  echo "C (waits) rc=$?" >> "$OUT/a1-lock.txt"
  wait $A; echo "A rc=$?" >> "$OUT/a1-lock.txt"

  # (a2) A real fault (a kernel writing to address 16) at the 3rd measurement: exit 75 and one
  # line; the same command again resumes (3 recalled, the faulted config as a launch failure).
  F=(tune "${SYN[@]}" --top-k 8 --cost-model learned --db /tmp/fault.sqlite --json)
  timeout 120 $S "${F[@]}" --inject-fault 3 > "$OUT/a2-fault-1.json" 2> "$OUT/a2-fault-1.err"; echo "fault run rc=$?" > "$OUT/a2-fault.txt"
  timeout 120 $S "${F[@]}" > "$OUT/a2-fault-2.json" 2> "$OUT/a2-fault-2.err"; echo "rerun rc=$?" >> "$OUT/a2-fault.txt"
  # The same through the proxy stage, and --isolate restarting the measuring process itself.
  timeout 120 $S "${F[@]}" --proxy --proxy-keep 3 --db /tmp/fault-proxy.sqlite --inject-fault 2 > /dev/null 2> "$OUT/a2-fault-proxy.err"; echo "proxy fault rc=$?" >> "$OUT/a2-fault.txt"
  timeout 120 $S "${F[@]}" --isolate --db /tmp/fault-isolate.sqlite --inject-fault 3 > "$OUT/a2-isolate.json" 2> "$OUT/a2-isolate.err"; echo "isolate rc=$?" >> "$OUT/a2-fault.txt"
  $S tune --list --db /tmp/fault.sqlite > "$OUT/a2-fault-list.txt" 2>&1
fi

if [[ $what == *b* ]]; then
  # (b) Held-out matrices: tuned (learned top 8) vs exhaustive vs the 16-config shortlist,
  # re-timed together, plus the tuned search through the proxy stage (keep 3) and the proxy's
  # rank agreement with full times. Transformer with the model trained on rn50, rn50 with the
  # model trained on the others; then rn50 f16 with the shipped model (trained on everything:
  # not held out, for reference).
  C=(--top-k 8 --cost-model learned --compare --proxy --proxy-keep 3 --data .device)
  timeout 110 $S tune --suite dlmc-transformer --sparsity 0.9 --sample 4 -n 256 2048 --dtype f32 "${C[@]}" --model-file .device/model-rn50.json --db /tmp/b1.sqlite --json > "$OUT/b1-transformer-f32.json" 2> "$OUT/b1-transformer-f32.err"; echo "b1 rc=$?"
  timeout 110 $S tune --suite dlmc-rn50 --sparsity 0.9 --sample 4 --dtype f32 "${C[@]}" --model-file .device/model-others.json --db /tmp/b2.sqlite --json > "$OUT/b2-rn50-f32.json" 2> "$OUT/b2-rn50-f32.err"; echo "b2 rc=$?"
  timeout 75 $S tune --suite dlmc-transformer --sparsity 0.9 --sample 3 -n 256 2048 --dtype f16 "${C[@]}" --model-file .device/model-rn50.json --db /tmp/b3.sqlite --json > "$OUT/b3-transformer-f16.json" 2> "$OUT/b3-transformer-f16.err"; echo "b3 rc=$?"
  timeout 75 $S tune --suite dlmc-rn50 --sparsity 0.9 --sample 3 --dtype f16 "${C[@]}" --model-file .device/model-others.json --db /tmp/b4.sqlite --json > "$OUT/b4-rn50-f16.json" 2> "$OUT/b4-rn50-f16.err"; echo "b4 rc=$?"
  timeout 75 $S tune --suite dlmc-rn50 --sparsity 0.9 --sample 3 --dtype f16 "${C[@]}" --db /tmp/b5.sqlite --json > "$OUT/b5-rn50-f16-shipped.json" 2> "$OUT/b5-rn50-f16-shipped.err"; echo "b5 rc=$?"
fi

if [[ $what == *c* ]]; then
  # (c) The pruning rules' audit: up to 4 of each rule's removals on 4 problems (about 1 minute).
  timeout 150 $S tune --suite dlmc-transformer --data .device --sparsity 0.9 --sample 2 -n 256 2048 --dtype f32 --exhaustive \
    --audit-rules 4 --db /tmp/c.sqlite > "$OUT/c-audit-rules.txt" 2> "$OUT/c-audit-rules.err"; echo "c rc=$?"
fi

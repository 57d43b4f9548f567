#!/bin/bash
# Session 15, call 2: strip groups a block (.g<G>: a block walks G strip groups through one ring).
# The strip/slice self-test (bitmap and 2:4, groups in the sample), then 2:4 llm at n = 1, 8, 16 on the
# four shapes: each n's best plain configs beside their .g twins, cold, cuSPARSELt and cuBLAS in the same run.
set -u
export PYTHONUNBUFFERED=1 SPARROW_ALLOW_FEW_ITERATIONS=1
export SPARROW_CUSPARSELT=/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cusparselt/lib/libcusparseLt.so.0
D=.device-s15; R=/tmp/r2; mkdir -p $R
xz -dc $D/sparrow.xz > /tmp/sparrow && chmod +x /tmp/sparrow
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; /tmp/sparrow --version; cat $D/COMMIT; } > $OUT/machine.txt 2>&1
t() { local s=$SECONDS; "$@"; echo "rc=$? $((SECONDS - s)) s: $*" >> $OUT/steps.txt; }
t timeout 150 /tmp/sparrow selftest --device gpu --bitmap-only > $OUT/selftest.txt 2>&1
grep -iE "fail|passed" $OUT/selftest.txt | tail -5
SKIP="sparrow-fp16 sparrow-bitmap-fp16 sparrow-simple-fp16 cusparse-fp16-default cusparse-fp16-alg1 cusparse-fp16-alg2 cusparse-fp16-alg3"
B="/tmp/sparrow bench spmm --device gpu --dtype f16 --iterations 10 --warmup 2 --no-tuned --no-specialise --sweep-limit 6 --suite llm --pattern 2:4 --skip $SKIP"
for n in 1 8; do
  C="sp24.s1.j16.n8.c4.p2 sp24.s1.j16.n8.c4.p2.g2 sp24.s1.j16.n8.c4.p2.g3 sp24.s1.j16.n8.c4.p2.g4 sp24.s1.j16.n8.c4.p3.g4 sp24.s1.j8.n8.c4.p3 sp24.s1.j8.n8.c4.p3.g4 sp24.s1.j8.n8.c4.p3.g8 sp24.s2.j8.n8.c4.p2 sp24.s2.j8.n8.c4.p2.g2 sp24.s2.j8.n8.c4.p3.g2 sp24.s4.j4.n8.c4.p2 sp24.s2.j4.n8.c8.p3.g4 sp24.s8.j2.n8.c4.p4 sp24.s1.j4.n8.c4.p4.g8"
  t timeout 170 $B -n $n --config $C --json $R/n$n.json --markdown $R/n$n.md > $R/n$n.log 2>&1
done
C="sp24.s2.j8.n16.c4.p3 sp24.s2.j8.n16.c4.p3.g2 sp24.s2.j8.n16.c4.p3.g4 sp24.s4.j2.n16.c4.p4 sp24.s4.j2.n16.c4.p4.g2 sp24.s2.j4.n16.c4.p4.g2 sp24.s2.j4.n16.c4.p4.g4 sp24.s1.j8.n16.c4.p3.g4 sp24.s1.j16.n16.c4.p2.g4 sp24.s8.j2.n16.c4.p4 sp24.s4.j4.n16.c4.p3.g2"
t timeout 150 $B -n 16 --config $C --json $R/n16.json --markdown $R/n16.md > $R/n16.log 2>&1
(cd $R && tar -cJf $OUT/bench.tar.xz *.json *.md *.log)
cat $OUT/steps.txt
for n in 1 8 16; do grep -A6 "^| problem" $R/n$n.md | cut -d'|' -f2,3,7,10,11,12,13; done
python3 - <<'PY'
import json
for n in (1, 8, 16):
    try: d = json.load(open(f"/tmp/r2/n{n}.json"))
    except Exception as e: print(n, e); continue
    def walk(o, name=None):
        if isinstance(o, dict):
            nm = o.get("name") or o.get("problem") or name
            if "sweep" in o:
                s = sorted(o["sweep"], key=lambda r: r["medianSeconds"])
                print(f"n={n} {nm}: " + "  ".join(f"{r['config'].replace('sp24_','')} {r['medianSeconds']*1e6:.1f}" for r in s[:8]))
            for v in o.values(): walk(v, nm)
        elif isinstance(o, list):
            for v in o: walk(v, name)
    walk(d)
PY

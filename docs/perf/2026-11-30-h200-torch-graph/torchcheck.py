import json, subprocess, sys, time
p = subprocess.Popen([sys.executable, "scripts/torch-encoder.py", "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
def req(r):
    t = time.time(); p.stdin.write(json.dumps(r) + "\n"); p.stdin.flush(); a = json.loads(p.stdout.readline())
    print(r["op"], r.get("mode"), r.get("dtype"), f"{time.time()-t:.1f}s", {k: (v if k != "embeddings" else len(v)) for k, v in a.items()}, flush=True); return a
import random
random.seed(1)
for m, b in (("/tmp/minilm", 1), ("/tmp/bert", 32)):
    req({"op": "load", "config": m + "/config.json", "weights": m + "/model.safetensors", "dtypes": ["f16", "f32"]})
    ids = [[101] + [random.randrange(1000, 30000) for _ in range(126)] + [102] for _ in range(b)]
    mask = [[1] * 128 for _ in range(b)]
    ref = req({"op": "run", "ids": ids, "mask": mask, "dtype": "f32", "mode": "eager"})["embeddings"]
    for mode in ("eager", "compile", "graph"):
        e = req({"op": "run", "ids": ids, "mask": mask, "dtype": "f16", "mode": mode})["embeddings"]
        cos = min(sum(x * y for x, y in zip(a, c)) for a, c in zip(ref, e))
        print(m, mode, "min cosine vs f32 eager", cos, flush=True)
        for rep in range(3):
            ts = sorted(req({"op": "time", "warmup": 5, "iterations": 20, "dtype": "f16", "mode": mode})["times"])
            print(m, "batch", b, mode, "median ms", ts[len(ts)//2] * 1e3, "min", ts[0] * 1e3, flush=True)

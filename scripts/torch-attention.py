#!/usr/bin/env python3
"""PyTorch baselines of `sparrow bench attention`: on the GPU, for one (pattern, length, batch,
heads, head size, dtype) at a time,
  - sdpa-mask:  torch.nn.functional.scaled_dot_product_attention with the pattern as a dense
                boolean mask (L x L, broadcast over batch and heads),
  - flex:       torch.nn.attention.flex_attention (compiled) with create_block_mask over a
                mask_mod of the pattern (block masks of 128 x 128); the block mask's creation and
                the first compiled call are timed apart from the attention,
  - sdpa-dense: scaled_dot_product_attention without a mask (every pair attended).

  torch-attention.py --serve
      answers one JSON line per JSON request line on stdin:
        {"op": "setup", "pattern": "window:256", "length": L, "batch": B, "heads": H, "head_size": d,
         "dtype": "f16", "seed": s}
            -> {"ok": true, "version": ..., "device": ..., "mask_ms": ..., "block_mask_ms": ...,
                "block_sparsity": ...}: Q, K, V built on the device from the same hash as Sparrow's
               inputs (see AttentionInputs.swift: value(index) = ((h >> 8) & 0xFFFFFF) / 2^23 - 1,
               rounded to the dtype), the dense mask and the block mask built.
        {"op": "run", "which": "flex", "rows": [..]} -> {"ok": true, "out": [[...] per (head, row)],
               "first_call_ms": ...}: the output rows (fp32) of every batch x head at the listed
               query rows; the first call of a compiled baseline includes its compilation.
        {"op": "time", "which": "flex", "warmup": W, "iterations": I}
            -> {"ok": true, "times": [seconds ...], "peak_extra_bytes": n}: CUDA events around
               batches of back-to-back calls; n = the peak memory the timed calls allocate (output
               and workspace) plus the baseline's mask (dense mask, or the block mask's tensors).
        {"op": "free"} drops the tensors of the last setup.
"""
import json
import math
import sys
import time

import torch
import torch.nn.functional as F

DTYPES = {"f16": torch.float16, "bf16": torch.bfloat16}


def hashed_values(count, seed, device):
    """The inputs Sparrow builds (Bench/Attention/AttentionInputs.swift), bit for bit in fp32."""
    i = torch.arange(count, dtype=torch.int64, device=device)
    h = (i * 2654435761 + (seed + 1) * 97531) & 0xFFFFFFFF
    h = h ^ (h >> 13)
    h = (h * 1274126177) & 0xFFFFFFFF
    h = h ^ (h >> 16)
    return ((h >> 8) & 0xFFFFFF).to(torch.float32) / 8388608.0 - 1.0


def parse(spelling):
    """AttentionPattern's compact spelling -> list of (kind, params)."""
    parts = spelling.split("+")
    terms, i = [], 0
    while i < len(parts):
        f = parts[i].split(":")
        kind, nums = f[0], [int(x) for x in f[1:]]
        if kind == "global":
            w = 0
            if i + 1 < len(parts) and parts[i + 1].startswith("window:"):
                w = int(parts[i + 1].split(":")[1])
                i += 1
            terms.append(("global", nums[0], w))
        else:
            terms.append((kind, *nums))
        i += 1
    return terms


def term_mask(term, q, kv):
    """AttentionPattern.contains(query:key:length:) for one term, on index tensors."""
    kind = term[0]
    if kind == "window":
        return (q - kv).abs() <= term[1] // 2
    if kind == "causal":
        return (kv <= q) & (kv > q - term[1])
    if kind == "dilated":
        w, d = term[1], term[2]
        return ((q - kv).abs() <= d * (w // 2)) & ((q - kv) % d == 0)
    if kind == "global":
        g, w = term[1], term[2]
        return (q < g) | (kv < g) | ((q - kv).abs() <= w // 2)
    if kind == "blocked":
        return (q // term[1]) == (kv // term[1])
    raise ValueError(f"unknown pattern term {kind}")


def mask_mod_of(terms):
    def mask_mod(b, h, q, kv):
        m = term_mask(terms[0], q, kv)
        for t in terms[1:]:
            m = m | term_mask(t, q, kv)
        return m
    return mask_mod


class State:
    pass


def sync_ms(f):
    torch.cuda.synchronize()
    t = time.perf_counter()
    r = f()
    torch.cuda.synchronize()
    return r, (time.perf_counter() - t) * 1e3


def serve():
    from torch.nn.attention.flex_attention import create_block_mask, flex_attention
    torch._dynamo.config.cache_size_limit = 256
    if hasattr(torch._dynamo.config, "accumulated_cache_size_limit"):
        torch._dynamo.config.accumulated_cache_size_limit = 4096
    flex = torch.compile(flex_attention, dynamic=False)
    s = State()
    version = f"torch {torch.__version__}"
    for line in sys.stdin:
        req = json.loads(line)
        try:
            with torch.inference_mode():
                op = req["op"]
                if op == "setup":
                    s.__dict__.clear()
                    torch.cuda.empty_cache()
                    L, B, H, d = req["length"], req["batch"], req["heads"], req["head_size"]
                    dt = DTYPES[req["dtype"]]
                    n = B * H * L * d
                    seed = req["seed"]
                    s.q = hashed_values(n, seed, "cuda").to(dt).view(B, H, L, d)
                    s.k = hashed_values(n, seed + 1, "cuda").to(dt).view(B, H, L, d)
                    s.v = hashed_values(n, seed + 2, "cuda").to(dt).view(B, H, L, d)
                    terms = parse(req["pattern"])
                    mod = mask_mod_of(terms)
                    idx = torch.arange(L, device="cuda")

                    def dense():
                        return mod(None, None, idx.view(L, 1), idx.view(1, L))
                    s.mask, mask_ms = sync_ms(dense)
                    s.block_mask, block_ms = sync_ms(lambda: create_block_mask(mod, B=None, H=None, Q_LEN=L, KV_LEN=L, device="cuda"))
                    s.fns = {
                        "sdpa-mask": lambda: F.scaled_dot_product_attention(s.q, s.k, s.v, attn_mask=s.mask),
                        "flex": lambda: flex(s.q, s.k, s.v, block_mask=s.block_mask),
                        "sdpa-dense": lambda: F.scaled_dot_product_attention(s.q, s.k, s.v),
                    }
                    bm = [t for t in s.block_mask.as_tuple() if isinstance(t, torch.Tensor)] if hasattr(s.block_mask, "as_tuple") else []
                    s.structure = {"sdpa-mask": s.mask.numel() * s.mask.element_size(),
                                   "flex": sum(t.numel() * t.element_size() for t in bm), "sdpa-dense": 0}
                    sparsity = float(s.block_mask.sparsity()) if hasattr(s.block_mask, "sparsity") else None
                    out = {"ok": True, "version": version, "device": torch.cuda.get_device_name(), "mask_ms": mask_ms,
                           "block_mask_ms": block_ms, "block_sparsity": sparsity}
                elif op == "run":
                    o, first = sync_ms(s.fns[req["which"]])
                    rows = torch.tensor(req["rows"], dtype=torch.long, device="cuda")
                    picked = o.float().reshape(-1, o.shape[2], o.shape[3])[:, rows, :]
                    out = {"ok": True, "out": picked.reshape(-1, o.shape[3]).cpu().tolist(), "first_call_ms": first}
                elif op == "time":
                    f = s.fns[req["which"]]
                    for _ in range(max(1, req["warmup"])):
                        f()
                    torch.cuda.synchronize()
                    torch.cuda.reset_peak_memory_stats()
                    before = torch.cuda.memory_allocated()
                    # Batches of back-to-back calls lasting at least ~1 ms per sample.
                    e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                    e0.record()
                    for _ in range(3):
                        f()
                    e1.record()
                    torch.cuda.synchronize()
                    per = e0.elapsed_time(e1) / 3
                    batch = max(1, min(50, int(math.ceil(1.0 / max(per, 1e-3)))))
                    times = []
                    for _ in range(req["iterations"]):
                        e0.record()
                        for _ in range(batch):
                            f()
                        e1.record()
                        e1.synchronize()
                        times.append(e0.elapsed_time(e1) / 1e3 / batch)
                    out = {"ok": True, "times": times, "peak_extra_bytes": torch.cuda.max_memory_allocated() - before + s.structure[req["which"]]}
                elif op == "free":
                    s.__dict__.clear()
                    torch.cuda.empty_cache()
                    out = {"ok": True}
                else:
                    out = {"ok": False, "error": f"unknown op {op}"}
        except Exception as e:  # answered, not raised: the Swift side reports it as a skipped baseline
            out = {"ok": False, "error": f"{type(e).__name__}: {e}"[:2000]}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve()
    else:
        print(__doc__)

#!/usr/bin/env python3
"""PyTorch baselines of `sparrow bench model --device gpu`: Hugging Face transformers' BertModel
(the same safetensors weights, dense) + mean pooling over the mask + L2 normalisation, on the GPU,
fp32 and fp16, in three modes:
  eager    the module as written;
  compile  torch.compile(mode="reduce-overhead") (inductor kernels in CUDA graph trees): what a user
           of torch.compile sees, each call paying dynamo's guards and the graph tree's input
           handling on the host;
  graph    torch.compile's default-mode (inductor) kernels for the last input, captured by hand into
           one torch.cuda.CUDAGraph and replayed: PyTorch's GPU-only time, with no host work per call
           beyond one graph launch (the same conditions as Sparrow's graph replays).

  torch-encoder.py --serve
      answers one JSON line per JSON request line on stdin:
        {"op": "load", "config": ".../config.json", "weights": "...safetensors", "dtypes": ["f32", "f16"]}
            builds one model per dtype on the first load; later loads copy the weights in place
            (same parameter addresses, so compiled graphs stay valid and nothing recompiles)
        {"op": "run", "ids": [[...]], "mask": [[...]], "dtype": "f32", "mode": "eager|compile|graph"}
            -> {"ok": true, "embeddings": [[...], ...]} (fp32)
        {"op": "time", "warmup": W, "iterations": I, "dtype": "f16", "mode": "compile"}
            -> {"ok": true, "times": [seconds, ...]}: the last run's ids already on the device,
            each sample the mean of 20 forwards back to back between two CUDA events.
"""
import json
import sys

import torch
from safetensors.torch import load_file

DTYPES = {"f32": torch.float32, "f16": torch.float16}


def build(config_path, dtype):
    from transformers import BertConfig, BertModel
    with open(config_path) as f:
        config = BertConfig(**json.load(f))
    model = BertModel(config, add_pooling_layer=False).to("cuda", dtype=DTYPES[dtype]).eval()
    return model


def copy_weights(model, tensors):
    state = model.state_dict()
    prefix = "bert." if any(k.startswith("bert.") for k in tensors) else ""
    with torch.no_grad():
        for name, param in state.items():
            key = prefix + name
            if key in tensors:
                param.copy_(tensors[key].to(param.device, param.dtype))
            elif not name.endswith("position_ids") and not name.endswith("token_type_ids"):
                raise KeyError(f"{key} missing from the weights")


def forward(model):
    def run(ids, mask):
        out = model(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).to(out.dtype)
        pooled = (out * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled.float(), p=2, dim=1)
    return run


def captured(compiled, ids, mask):
    """A replay function of `compiled` on static copies of `ids` and `mask`, captured into one CUDA
    graph after warm-up runs on a side stream (as torch.cuda.graphs' documentation asks)."""
    static_ids, static_mask = ids.clone(), mask.clone()
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            compiled(static_ids, static_mask)
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        out = compiled(static_ids, static_mask)

    def replay(ids, mask):
        if ids.data_ptr() != static_ids.data_ptr():
            static_ids.copy_(ids)
            static_mask.copy_(mask)
        graph.replay()
        return out
    replay.graph = graph  # keeps the graph (and its memory pool) alive with the function
    return replay


def serve():
    models, runners, last, inductor = {}, {}, {}, {}
    for line in sys.stdin:
        req = json.loads(line)
        try:
            with torch.inference_mode():
                if req["op"] == "load":
                    tensors = load_file(req["weights"])
                    for dtype in req["dtypes"]:
                        if dtype not in models:
                            models[dtype] = build(req["config"], dtype)
                            runners[(dtype, "eager")] = forward(models[dtype])
                            runners[(dtype, "compile")] = torch.compile(forward(models[dtype]), mode="reduce-overhead", dynamic=False)
                        copy_weights(models[dtype], tensors)
                    out = {"ok": True, "version": f"torch {torch.__version__}, transformers {__import__('transformers').__version__}",
                           "device": torch.cuda.get_device_name()}
                elif req["op"] == "run":
                    ids = torch.tensor(req["ids"], dtype=torch.long, device="cuda")
                    mask = torch.tensor(req["mask"], dtype=torch.long, device="cuda")
                    last = {"ids": ids, "mask": mask}
                    if req["mode"] == "graph":
                        dtype = req["dtype"]
                        if dtype not in inductor:
                            inductor[dtype] = torch.compile(forward(models[dtype]), dynamic=False)
                        runners[(dtype, "graph")] = captured(inductor[dtype], ids, mask)
                    f = runners[(req["dtype"], req["mode"])]
                    for _ in range(3 if req["mode"] == "compile" else 1):  # compile, record, replay
                        e = f(ids, mask)
                    out = {"ok": True, "embeddings": e.clone().cpu().tolist()}
                else:
                    f = runners[(req["dtype"], req["mode"])]
                    ids, mask = last["ids"], last["mask"]
                    for _ in range(max(req["warmup"], 3)):
                        f(ids, mask)
                    torch.cuda.synchronize()
                    times, batch = [], 20
                    for _ in range(req["iterations"]):
                        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                        start.record()
                        for _ in range(batch):
                            f(ids, mask)
                        end.record()
                        end.synchronize()
                        times.append(start.elapsed_time(end) / 1e3 / batch)
                    out = {"ok": True, "times": times}
        except Exception as e:  # noqa: BLE001 - every failure goes back as one JSON answer
            out = {"ok": False, "error": repr(e)[:2000]}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    if sys.argv[1:] != ["--serve"]:
        sys.exit(__doc__)
    serve()

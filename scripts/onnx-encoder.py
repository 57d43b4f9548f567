#!/usr/bin/env python3
"""The BERT encoder + mean pooling + L2 normalisation as an ONNX graph, built with the `onnx`
helper API from a safetensors file and config.json (no torch), and ONNX Runtime running it.

  onnx-encoder.py MODEL_DIR OUT.onnx [--weights FILE.safetensors]
      writes the graph (weights as initializers, stored dense).
  onnx-encoder.py --serve
      answers one JSON line per JSON request line on stdin (how `sparrow bench model` drives it):
        {"op": "load", "config": ".../config.json", "weights": "...safetensors", "threads": N}
        {"op": "run", "ids": [[...], ...]}          -> {"ok": true, "embeddings": [[...], ...]}
        {"op": "time", "warmup": W, "iterations": I} -> {"ok": true, "times": [seconds, ...]}
      ("time" reruns the last "run"'s ids). The session runs with intra_op_num_threads = N,
      inter_op_num_threads = 1 and ORT_ENABLE_ALL.

Inputs: input_ids [batch, seq] int64 and attention_mask [batch, seq] int64 (token types 0,
positions 0..seq-1 computed in the graph). Output: embeddings [batch, hidden] float32.
"""
import json
import math
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file


class Graph:
    def __init__(self, tensors):
        self.nodes, self.inits, self.tensors, self.count = [], [], tensors, 0
        self.prefix = "bert." if "bert.embeddings.word_embeddings.weight" in tensors else ""

    def name(self, hint):
        self.count += 1
        return f"{hint}_{self.count}"

    def const(self, value, hint="c"):
        n = self.name(hint)
        self.inits.append(numpy_helper.from_array(np.asarray(value), n))
        return n

    def weight(self, key, transpose=False):
        w = self.tensors[self.prefix + key].astype(np.float32)
        return self.const(np.ascontiguousarray(w.T) if transpose else w, key.replace(".", "_"))

    def op(self, kind, inputs, **attrs):
        out = self.name(kind.lower())
        self.nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def linear(self, x, key):
        return self.op("Add", [self.op("MatMul", [x, self.weight(key + ".weight", transpose=True)]), self.weight(key + ".bias")])

    def layer_norm(self, x, key, eps):
        return self.op("LayerNormalization", [x, self.weight(key + ".weight"), self.weight(key + ".bias")], axis=-1, epsilon=eps)


def build(config, tensors):
    g = Graph(tensors)
    h, heads = config["hidden_size"], config["num_attention_heads"]
    d, eps = h // heads, config.get("layer_norm_eps", 1e-12)
    ids, mask = "input_ids", "attention_mask"
    # Positions 0..seq-1 and token types 0, from the ids' shape.
    shape = g.op("Shape", [ids])
    seq = g.op("Gather", [shape, g.const(np.array(1, dtype=np.int64))], axis=0)
    positions = g.op("Range", [g.const(np.array(0, dtype=np.int64)), seq, g.const(np.array(1, dtype=np.int64))])
    x = g.op("Gather", [g.weight("embeddings.word_embeddings.weight"), ids])
    x = g.op("Add", [x, g.op("Gather", [g.weight("embeddings.position_embeddings.weight"), positions])])
    type_row = g.op("Gather", [g.weight("embeddings.token_type_embeddings.weight"), g.const(np.array(0, dtype=np.int64))])
    x = g.layer_norm(g.op("Add", [x, type_row]), "embeddings.LayerNorm", eps)
    # Additive mask [batch, 1, 1, seq]: 0 for tokens, -10000 for padding (as transformers' BERT).
    maskf = g.op("Cast", [mask], to=TensorProto.FLOAT)
    bias = g.op("Mul", [g.op("Sub", [g.const(np.array(1, dtype=np.float32)), maskf]), g.const(np.array(-10000.0, dtype=np.float32))])
    bias = g.op("Unsqueeze", [bias, g.const(np.array([1, 2], dtype=np.int64))])
    split_shape = g.const(np.array([0, 0, heads, d], dtype=np.int64))
    merge_shape = g.const(np.array([0, 0, h], dtype=np.int64))
    scale = g.const(np.array(1 / math.sqrt(d), dtype=np.float32))
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        def heads_of(key, perm):
            return g.op("Transpose", [g.op("Reshape", [g.linear(x, p + key), split_shape])], perm=perm)
        q = heads_of("attention.self.query", [0, 2, 1, 3])
        k = heads_of("attention.self.key", [0, 2, 3, 1])
        v = heads_of("attention.self.value", [0, 2, 1, 3])
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), scale]), bias])
        context = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
        context = g.op("Reshape", [g.op("Transpose", [context], perm=[0, 2, 1, 3]), merge_shape])
        x = g.layer_norm(g.op("Add", [g.linear(context, p + "attention.output.dense"), x]), p + "attention.output.LayerNorm", eps)
        u = g.linear(x, p + "intermediate.dense")
        # Exact GELU: 0.5 u (1 + erf(u / sqrt 2)); ORT fuses it into one Gelu.
        erf = g.op("Erf", [g.op("Div", [u, g.const(np.array(math.sqrt(2), dtype=np.float32))])])
        u = g.op("Mul", [g.op("Mul", [u, g.op("Add", [erf, g.const(np.array(1, dtype=np.float32))])]), g.const(np.array(0.5, dtype=np.float32))])
        x = g.layer_norm(g.op("Add", [g.linear(u, p + "output.dense"), x]), p + "output.LayerNorm", eps)
    # Mean pooling over the mask, then L2 normalisation.
    m3 = g.op("Unsqueeze", [maskf, g.const(np.array([2], dtype=np.int64))])
    summed = g.op("ReduceSum", [g.op("Mul", [x, m3]), g.const(np.array([1], dtype=np.int64))], keepdims=0)
    counts = g.op("Max", [g.op("ReduceSum", [m3, g.const(np.array([1], dtype=np.int64))], keepdims=0), g.const(np.array(1e-9, dtype=np.float32))])
    pooled = g.op("Div", [summed, counts])
    norm = g.op("Max", [g.op("ReduceL2", [pooled], axes=[1], keepdims=1), g.const(np.array(1e-12, dtype=np.float32))])
    g.nodes.append(helper.make_node("Div", [pooled, norm], ["embeddings"]))
    graph = helper.make_graph(
        g.nodes, "bert_sentence_encoder",
        [helper.make_tensor_value_info(ids, TensorProto.INT64, ["batch", "seq"]),
         helper.make_tensor_value_info(mask, TensorProto.INT64, ["batch", "seq"])],
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", h])], g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def load(config_path, weights_path):
    with open(config_path) as f:
        config = json.load(f)
    return build(config, load_file(weights_path))


def serve():
    import onnxruntime as ort
    session = feeds = None
    for line in sys.stdin:
        req = json.loads(line)
        try:
            if req["op"] == "load":
                options = ort.SessionOptions()
                options.intra_op_num_threads = int(req["threads"])
                options.inter_op_num_threads = 1
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                model = load(req["config"], req["weights"])
                session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
                out = {"ok": True, "version": ort.__version__}
            elif req["op"] == "run":
                ids = np.asarray(req["ids"], dtype=np.int64)
                feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
                out = {"ok": True, "embeddings": session.run(["embeddings"], feeds)[0].tolist()}
            else:
                for _ in range(req["warmup"]):
                    session.run(["embeddings"], feeds)
                times = []
                for _ in range(req["iterations"]):
                    t = time.perf_counter()
                    session.run(["embeddings"], feeds)
                    times.append(time.perf_counter() - t)
                out = {"ok": True, "times": times}
        except Exception as e:  # noqa: BLE001 - every failure goes back as one JSON answer
            out = {"ok": False, "error": repr(e)}
        print(json.dumps(out), flush=True)


def main():
    if sys.argv[1:] == ["--serve"]:
        return serve()
    args = sys.argv[1:]
    if len(args) not in (2, 4) or (len(args) == 4 and args[2] != "--weights"):
        sys.exit(__doc__)
    folder, out = args[0], args[1]
    weights = args[3] if len(args) == 4 else f"{folder}/model.safetensors"
    onnx.save(load(f"{folder}/config.json", weights), out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
